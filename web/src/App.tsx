import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { Layout } from './components/Layout';
import { RequirePermission } from './components/RequirePermission';
import { ApiKeysPage } from './pages/ApiKeysPage';
import { AuditLogPage } from './pages/AuditLogPage';
import { HomePage } from './pages/HomePage';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { SettingsPage } from './pages/SettingsPage';
import { UsersPage } from './pages/UsersPage';
import { useSession } from './session';

interface FromState {
  readonly from?: string;
}

export function App() {
  const { state, refresh } = useSession();
  const location = useLocation();

  if (state.status === 'loading') {
    return (
      <p className="loading" role="status">
        Loading…
      </p>
    );
  }

  if (state.status === 'unavailable') {
    return (
      <div className="centered">
        <div className="message message-error" role="alert">
          <p>o2c could not be reached: {state.message}</p>
          <button type="button" onClick={() => void refresh()}>
            Try again
          </button>
        </div>
      </div>
    );
  }

  if (state.status === 'signed-out') {
    return (
      <Routes>
        <Route path="/login" element={<LoginPage notice={state.notice} />} />
        <Route path="*" element={<Navigate to="/login" replace state={{ from: location.pathname + location.search } satisfies FromState} />} />
      </Routes>
    );
  }

  const from = (location.state as FromState | null)?.from;
  return (
    <Routes>
      <Route path="/login" element={<Navigate to={from !== undefined && from !== '/login' ? from : '/'} replace />} />
      <Route element={<Layout />}>
        <Route index element={<HomePage />} />
        <Route path="settings" element={<SettingsPage />} />
        <Route
          path="users"
          element={
            <RequirePermission permission="manageUsers">
              <UsersPage />
            </RequirePermission>
          }
        />
        <Route
          path="api-keys"
          element={
            <RequirePermission permission="manageApiKeys">
              <ApiKeysPage />
            </RequirePermission>
          }
        />
        <Route
          path="audit"
          element={
            <RequirePermission permission="readAuditLog">
              <AuditLogPage />
            </RequirePermission>
          }
        />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
