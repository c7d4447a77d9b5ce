// Admin login (README "Security"): the session state decides between the login page and the
// dashboard. The session cookie is HttpOnly — this code never sees it.
import type { AuthSessionResponse } from '../../common/api.js';
import { apiRequest } from './client.js';

export const authSessionKey = ['auth', 'session'] as const;

export const getAuthSession = (signal?: AbortSignal) =>
  apiRequest<AuthSessionResponse>('/api/auth/session', { signal });

export const login = (password: string) =>
  apiRequest<AuthSessionResponse>('/api/auth/login', { method: 'POST', body: { password } });

export const logout = () => apiRequest<AuthSessionResponse>('/api/auth/logout', { method: 'POST' });
