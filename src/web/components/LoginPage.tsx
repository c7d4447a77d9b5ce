import { useState, type FormEvent } from 'react';
import { errorMessage } from '../api/client.js';
import { useLogin } from '../hooks/authQueries.js';

/** Shown instead of the dashboard when admin login is on and this browser is not signed in. */
export function LoginPage() {
  const [password, setPassword] = useState('');
  const signIn = useLogin();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (password) signIn.mutate(password, { onError: () => setPassword('') });
  };

  return (
    <main className="login-page">
      <form className="login-card" onSubmit={submit} data-testid="login-form">
        <h1 className="brand">Spark Control</h1>
        <p className="muted">Sign in with the admin password.</p>
        <label className="login-field">
          <span>Password</span>
          <input
            type="password"
            autoComplete="current-password"
            autoFocus
            value={password}
            className="input"
            onChange={(e) => setPassword(e.target.value)}
            data-testid="login-password"
          />
        </label>
        {signIn.isError ? (
          <p className="login-error" role="alert" data-testid="login-error">
            {errorMessage(signIn.error)}
          </p>
        ) : null}
        <button
          className="btn btn-primary"
          type="submit"
          disabled={!password || signIn.isPending}
          data-testid="login-submit"
        >
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
