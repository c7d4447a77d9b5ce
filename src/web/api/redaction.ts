// The redaction gateway's calls for the dashboard's tester (shapes in common/redaction-api.ts).
import type {
  RehydrateRequest,
  RehydrateResponse,
  ScrubRequest,
  ScrubResponse,
} from '../../common/redaction-api.js';
import { apiRequest } from './client.js';

export const scrub = (body: ScrubRequest) => apiRequest<ScrubResponse>('/scrub', { method: 'POST', body });

export const rehydrate = (body: RehydrateRequest) =>
  apiRequest<RehydrateResponse>('/rehydrate', { method: 'POST', body });

/** Forget a task's placeholders now instead of at the end of its retention. */
export const deleteRedactionTask = (taskId: string) =>
  apiRequest<unknown>(`/api/redaction/tasks/${encodeURIComponent(taskId)}`, { method: 'DELETE' });
