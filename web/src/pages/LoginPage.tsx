import { useState, type FormEvent } from 'react';
import { ApiError } from '../api';
import { Field } from '../components/Field';
import { describeError } from '../components/ErrorMessage';
import { useSession } from '../session';
import { usePageTitle } from '../usePageTitle';

function loginMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'O2C_INVALID_CREDENTIALS') return 'The e-mail address or password is wrong, or the account is disabled.';
    if (error.code === 'O2C_TOO_MANY_ATTEMPTS') {
      const minutes = error.retryAfterSeconds === undefined ? null : Math.ceil(error.retryAfterSeconds / 60);
      return minutes === null
        ? 'Too many failed sign-ins. Wait a while before trying again.'
        : `Too many failed sign-ins. Wait ${minutes} ${minutes === 1 ? 'minute' : 'minutes'} before trying again.`;
    }
  }
  return describeError(error);
}

export function LoginPage({ notice }: { readonly notice?: string | undefined }) {
  usePageTitle('Sign in');
  const { signIn } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email.trim(), password);
    } catch (failure) {
      setError(failure);
      setPassword('');
      setBusy(false);
    }
  };

  const emailError = error instanceof ApiError ? error.fieldError('email') : undefined;
  return (
    <div className="centered">
      <main className="login-card" id="main">
        <p className="product product-large">o2c</p>
        <h1>Sign in</h1>
        {notice === undefined || error !== null ? null : (
          <p className="message message-info" role="status">
            {notice}
          </p>
        )}
        {error === null ? null : (
          <div className="message message-error" role="alert">
            {loginMessage(error)}
          </div>
        )}
        <form onSubmit={(event) => void onSubmit(event)} noValidate={false}>
          <Field label="E-mail" type="email" autoComplete="username" required value={email} onChange={setEmail} error={emailError} autoFocus />
          <Field label="Password" type="password" autoComplete="current-password" required value={password} onChange={setPassword} />
          <button type="submit" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </main>
    </div>
  );
}
