// The launcher update endpoints (SPEC §13) and their query. `GET /api/updates` answers from a
// server-side snapshot, so a slow poll is enough; faster while a check, update or rollback runs.
// A server without the endpoint (404) reads as null: the banner then stays hidden.
import { useQuery, type QueryClient } from '@tanstack/react-query';
import type { ApplyUpdateRequest, UpdateStarted, UpdatesResponse } from '../../../common/updates-api.js';
import { ApiError, apiRequest } from '../../api/client.js';

export const updatesKey = ['updates'] as const;

export async function getUpdates(signal?: AbortSignal): Promise<UpdatesResponse | null> {
  try {
    return await apiRequest<UpdatesResponse>('/api/updates', { signal });
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

/** Runs a check now; the answer is the new snapshot (or the one a running check will replace). */
export const checkUpdates = () =>
  apiRequest<UpdatesResponse | null>('/api/updates/check', { method: 'POST' });

export const applyUpdate = (body: ApplyUpdateRequest) =>
  apiRequest<UpdateStarted>('/api/updates/apply', { method: 'POST', body });

export const rollbackUpdate = () => apiRequest<UpdateStarted>('/api/updates/rollback', { method: 'POST' });

const busy = (u: UpdatesResponse | null | undefined) => !!u && (u.checking || u.last?.state === 'running');

export function useUpdates() {
  return useQuery({
    queryKey: updatesKey,
    queryFn: ({ signal }) => getUpdates(signal),
    refetchInterval: (q) => (busy(q.state.data) ? 2_000 : 60_000),
  });
}

/** After an action: the snapshot the server now has. */
export const refreshUpdates = (qc: QueryClient) => qc.invalidateQueries({ queryKey: updatesKey });
