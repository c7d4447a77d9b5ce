import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { authSessionKey, getAuthSession, login, logout } from '../api/auth.js';

export function useAuthSession() {
  return useQuery({
    queryKey: authSessionKey,
    queryFn: ({ signal }) => getAuthSession(signal),
    staleTime: 60_000,
  });
}

/** Signing in or out changes what every other query may read: start them all afresh. */
export function useLogin() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: (session) => {
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== authSessionKey[0] });
      client.setQueryData(authSessionKey, session);
    },
  });
}

export function useLogout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: logout,
    onSettled: async () => {
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== authSessionKey[0] });
      await client.invalidateQueries({ queryKey: authSessionKey });
    },
  });
}
