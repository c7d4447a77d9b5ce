// The download endpoints the dialog calls (SPEC §6): start, retry the failed nodes, cancel (the
// job runner's cancel); progress comes from the job's stream.
import { ApiError, apiRequest } from '../../api/client.js';
import { jobIdOf } from '../../lib/audioResponses.js';

const seg = encodeURIComponent;

function requireJobId(body: unknown): string {
  const id = jobIdOf(body);
  if (!id) throw new ApiError(200, 'BAD_ANSWER', 'The server started a download but did not say which job.');
  return id;
}

export async function startDownload(repo: string, nodes: string[]): Promise<string> {
  return requireJobId(await apiRequest<unknown>('/api/download', { method: 'POST', body: { repo, nodes } }));
}

export async function retryDownload(jobId: string): Promise<string> {
  return requireJobId(await apiRequest<unknown>(`/api/download/${seg(jobId)}/retry`, { method: 'POST' }));
}

export const cancelJob = (jobId: string) =>
  apiRequest<unknown>(`/api/jobs/${seg(jobId)}`, { method: 'DELETE' });

export const downloadStreamUrl = (jobId: string) => `/api/jobs/${seg(jobId)}/stream`;
