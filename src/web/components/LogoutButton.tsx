import { useAuthSession, useLogout } from '../hooks/authQueries.js';

/** Only for browser sessions: a token-authenticated client has nothing to log out of. */
export function LogoutButton() {
  const { data } = useAuthSession();
  const signOut = useLogout();
  if (data?.method !== 'session') return null;
  return (
    <button
      className="btn"
      type="button"
      onClick={() => signOut.mutate()}
      disabled={signOut.isPending}
      data-testid="logout"
    >
      Log out
    </button>
  );
}
