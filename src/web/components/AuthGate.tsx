import type { ReactNode } from 'react';
import { useAuthSession } from '../hooks/authQueries.js';
import { LoginPage } from './LoginPage.js';

/** The dashboard when login is off or this browser is signed in; the login page otherwise. */
export function AuthGate({ children }: { children: ReactNode }) {
  const { data, isPending, isError } = useAuthSession();
  // A server too old to know /api/auth (or briefly unreachable) still shows the dashboard, whose
  // own requests then say what is wrong.
  if (isPending) return null;
  if (!isError && data.auth_enabled && !data.authenticated) return <LoginPage />;
  return <>{children}</>;
}
