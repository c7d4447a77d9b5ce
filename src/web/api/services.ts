// The Audio tab's endpoints (SPEC §7, §8): services and their actions, deep health and the
// loopback probe, the NIM installer, speech-model patches, the matrix-bridge bot, and the demo's
// fault switches. Each part of the tab says "not available on this server" when its endpoint 404s.
import type {
  DeepCheckResult,
  DeepHealthResponse,
  LoopbackResult,
  NimCatalogEntry,
  NimInstallRequest,
  NimInstallsResponse,
  ReapplyResult,
  ServiceAction,
  ServicesResponse,
  SpeechModelsResponse,
} from '../../common/services-api.js';
import { catalogEntries, jobIdOf, reapplyResultOf } from '../lib/audioResponses.js';
import { ApiError, apiRequest } from './client.js';

const seg = encodeURIComponent;

export const audioKeys = {
  services: ['services'] as const,
  deepHealth: ['deep-health'] as const,
  speechModels: ['speech-models'] as const,
  nimCatalog: ['nim', 'catalog'] as const,
  nimInstalls: ['nim', 'installs'] as const,
  simFaults: ['sim', 'faults'] as const,
};

/**
 * A list endpoint this server does not have (yet), or a feature it has not configured: that part
 * of the tab says so instead of failing. Only used on GETs of whole lists, where a 404 can mean
 * nothing else.
 */
export function isNotAvailable(e: unknown): boolean {
  return e instanceof ApiError && (e.status === 404 || e.status === 405 || e.status === 501);
}

/** A 202 answer must name its job; anything else is a server that does not follow the contract. */
function requireJobId(body: unknown): string {
  const id = jobIdOf(body);
  if (!id) throw new ApiError(200, 'BAD_ANSWER', 'The server started something but did not say which job.');
  return id;
}

export const getServices = (signal?: AbortSignal) =>
  apiRequest<ServicesResponse>('/api/services', { signal });

export async function runServiceAction(name: string, action: ServiceAction): Promise<string> {
  return requireJobId(await apiRequest<unknown>(`/api/services/${seg(name)}/${action}`, { method: 'POST' }));
}

export const removeService = (name: string, removeContainer: boolean) =>
  apiRequest<unknown>(`/api/services/${seg(name)}${removeContainer ? '?remove_container=1' : ''}`, {
    method: 'DELETE',
  });

export const serviceLogStreamUrl = (name: string) => `/api/services/${seg(name)}/logs/stream`;

export const jobStreamUrl = (id: string) => `/api/jobs/${seg(id)}/stream`;

/** A job's whole log as plain text: what "Job log" links open in a new tab. */
export const jobLogUrl = (id: string) => `/api/jobs/${seg(id)}/log`;

/** Stops showing an ended job's notice on its card and panel (kept across control-plane restarts). */
export const dismissJob = (id: string) =>
  apiRequest<unknown>(`/api/jobs/${seg(id)}/dismiss`, { method: 'POST' });

export const getDeepHealth = (signal?: AbortSignal) =>
  apiRequest<DeepHealthResponse>('/api/deep-health', { signal });

export const runDeepCheck = (service: string) =>
  apiRequest<DeepCheckResult>(`/api/deep-health/${seg(service)}/run`, { method: 'POST' });

export const runLoopback = () =>
  apiRequest<LoopbackResult>('/api/deep-health/loopback/run', { method: 'POST' });

export async function getNimCatalog(signal?: AbortSignal): Promise<NimCatalogEntry[]> {
  return catalogEntries(await apiRequest<unknown>('/api/nim/catalog', { signal }));
}

export async function installNim(body: NimInstallRequest): Promise<string> {
  return requireJobId(await apiRequest<unknown>('/api/nim/install', { method: 'POST', body }));
}

/** Installs cut off (or failed) that left a container and no card. */
export const getNimInstalls = (signal?: AbortSignal) =>
  apiRequest<NimInstallsResponse>('/api/nim/installs', { signal });

export const settleNimInstall = (jobId: string, how: 'register' | 'remove') =>
  apiRequest<unknown>(`/api/nim/installs/${seg(jobId)}/${how}`, { method: 'POST' });

/** `refresh`: compare the files again now (docker exec on the node) instead of the last comparison. */
export const getSpeechModels = (signal?: AbortSignal, refresh = false) =>
  apiRequest<SpeechModelsResponse>(`/api/speech-models${refresh ? '?refresh=1' : ''}`, { signal });

/** A reapply answers with its job (the result arrives in the job's meta) or with the result itself. */
export type ReapplyStarted = { job_id: string } | { result: ReapplyResult };

export async function reapplyPatches(): Promise<ReapplyStarted> {
  const body = await apiRequest<unknown>('/api/speech-models/reapply', { method: 'POST' });
  const result = reapplyResultOf(body);
  if (result) return { result };
  return { job_id: requireJobId(body) };
}

/** Restart of the patched container: a job, or a direct answer (then there is no log to follow). */
export async function restartSpeechModels(): Promise<string | null> {
  const body = await apiRequest<unknown>('/api/speech-models/restart', { method: 'POST' });
  return jobIdOf(body);
}

export async function updateMatrixBridge(): Promise<string> {
  return requireJobId(await apiRequest<unknown>('/api/matrix-bridge/update', { method: 'POST' }));
}

export interface SimFault {
  name: string;
  on: boolean;
  description: string;
}

export const getSimFaults = (signal?: AbortSignal) =>
  apiRequest<{ faults: SimFault[] }>('/api/sim/faults', { signal });

export const setSimFault = (name: string, on: boolean) =>
  apiRequest<unknown>(`/api/sim/faults/${seg(name)}`, { method: 'POST', body: { on } });
