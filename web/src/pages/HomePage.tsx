import { useState, type FormEvent } from 'react';
import { ActionKey, ApiError, changeOwnPassword } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import { Field } from '../components/Field';
import { RoleList } from '../components/RoleCheckboxes';
import { useFormatters, useMe } from '../session';
import { usePageTitle } from '../usePageTitle';

const minimumPasswordLength = 10;

export function HomePage() {
  usePageTitle('Home');
  const me = useMe();
  const format = useFormatters();
  const user = me.user;
  return (
    <>
      <h1>Welcome, {user?.displayName ?? me.actor.name}</h1>
      <div className="cards">
        <section className="card" aria-labelledby="account-heading">
          <h2 id="account-heading">Your account</h2>
          <dl className="details">
            <dt>Name</dt>
            <dd>{user?.displayName ?? me.actor.name}</dd>
            {user === null ? null : (
              <>
                <dt>E-mail</dt>
                <dd>{user.email}</dd>
              </>
            )}
            <dt>Roles</dt>
            <dd>
              <RoleList roles={me.actor.roles} />
            </dd>
            {user === null ? null : (
              <>
                <dt>Last sign-in</dt>
                <dd>{format.instant(user.lastLoginAt)}</dd>
                <dt>Account created</dt>
                <dd>{format.instant(user.createdAt)}</dd>
              </>
            )}
          </dl>
        </section>
        <section className="card" aria-labelledby="company-heading">
          <h2 id="company-heading">Company</h2>
          <dl className="details">
            <dt>Legal name</dt>
            <dd>{me.tenant.legalName}</dd>
            <dt>Tenant</dt>
            <dd>
              <code>{me.tenant.slug}</code>
            </dd>
            <dt>Base currency</dt>
            <dd>{me.tenant.baseCurrency}</dd>
            <dt>Time zone</dt>
            <dd>{me.tenant.timeZone}</dd>
            <dt>Locale</dt>
            <dd>{me.tenant.locale}</dd>
          </dl>
        </section>
        {user === null ? null : <ChangePasswordForm email={user.email} />}
      </div>
    </>
  );
}

function ChangePasswordForm({ email }: { readonly email: string }) {
  const [actionKey] = useState(() => new ActionKey());
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [repeatPassword, setRepeatPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [localErrors, setLocalErrors] = useState<{ newPassword?: string; repeatPassword?: string }>({});
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(false);
    setError(null);
    const problems: { newPassword?: string; repeatPassword?: string } = {};
    if (newPassword.length < minimumPasswordLength) problems.newPassword = `Use at least ${minimumPasswordLength} characters.`;
    if (repeatPassword !== newPassword) problems.repeatPassword = 'The two new passwords differ.';
    setLocalErrors(problems);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    try {
      const body = { currentPassword, newPassword };
      await actionKey.run(body, (key) => changeOwnPassword(body, key));
      setCurrentPassword('');
      setNewPassword('');
      setRepeatPassword('');
      setDone(true);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const apiError = error instanceof ApiError ? error : null;
  // The server names a too-short new password "password".
  const newPasswordError = localErrors.newPassword ?? apiError?.fieldError('newPassword') ?? apiError?.fieldError('password');
  return (
    <section className="card" aria-labelledby="password-heading">
      <h2 id="password-heading">Change password</h2>
      <form onSubmit={(event) => void onSubmit(event)}>
        {/* Tells password managers whose password this is. */}
        <input type="text" name="username" autoComplete="username" value={email} readOnly hidden />
        <Field
          label="Current password"
          type="password"
          autoComplete="current-password"
          required
          value={currentPassword}
          onChange={setCurrentPassword}
          error={apiError?.fieldError('currentPassword')}
        />
        <Field
          label="New password"
          type="password"
          autoComplete="new-password"
          required
          value={newPassword}
          onChange={setNewPassword}
          hint={`At least ${minimumPasswordLength} characters.`}
          error={newPasswordError}
        />
        <Field
          label="Repeat new password"
          type="password"
          autoComplete="new-password"
          required
          value={repeatPassword}
          onChange={setRepeatPassword}
          error={localErrors.repeatPassword}
        />
        <ErrorMessage error={error} shownFields={['currentPassword', 'newPassword', 'password']} />
        {done ? (
          <p className="message message-success" role="status">
            Your password has been changed. Your other sessions have ended.
          </p>
        ) : null}
        <div className="actions">
          <button type="submit" disabled={busy}>
            Change password
          </button>
        </div>
      </form>
    </section>
  );
}
