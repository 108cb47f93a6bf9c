import { Suspense, useEffect, useRef, useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { isCurrent, linksFor } from '../access';
import { useMe, useSession } from '../session';
import { RoleList } from './RoleCheckboxes';
import { describeError } from './ErrorMessage';

/** The signed-in frame: header with company and person, navigation by role, the page. */
export function Layout() {
  const me = useMe();
  const { signOut } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  const [signOutError, setSignOutError] = useState<string | null>(null);

  // After navigating, move focus to the page so keyboard and screen-reader users start there.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    main.current?.focus();
  }, [location.pathname]);

  const onSignOut = async () => {
    setSignOutError(null);
    try {
      await signOut();
      void navigate('/login', { replace: true });
    } catch (error) {
      setSignOutError(describeError(error));
    }
  };

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <div className="brand">
          <span className="product">o2c</span>
          <span className="tenant-name" title="Company">
            {me.tenant.legalName}
          </span>
        </div>
        <div className="account">
          <span className="account-name" title={me.user?.email ?? undefined}>
            {me.user?.displayName ?? me.actor.name}
          </span>
          <RoleList roles={me.actor.roles} />
          <button type="button" className="secondary" onClick={() => void onSignOut()}>
            Sign out
          </button>
        </div>
      </header>
      {signOutError === null ? null : (
        <div className="message message-error" role="alert">
          {signOutError}
        </div>
      )}
      <nav className="app-nav" aria-label="Main">
        <ul>
          {linksFor(me.actor.roles).map((link) => (
            <li key={link.to}>
              <Link to={link.to} aria-current={isCurrent(link, location.pathname) ? 'page' : undefined}>
                {link.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" ref={main} tabIndex={-1}>
        <Suspense
          fallback={
            <p className="loading" role="status">
              Loading…
            </p>
          }
        >
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
