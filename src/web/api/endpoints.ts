// One function per endpoint the dashboard calls, and the TanStack Query keys they live under.
import type {
  HardwareHistory,
  HardwareSnapshot,
  MetaResponse,
  PublicKeyResponse,
  StatusResponse,
  WakeResponse,
} from '../../common/api.js';
import { apiRequest } from './client.js';

/** How much history the sparklines show. */
export const HISTORY_MINUTES = 60;

export const queryKeys = {
  meta: ['meta'] as const,
  hardware: ['hardware'] as const,
  status: ['status'] as const,
  publicKey: ['ssh', 'public-key'] as const,
  history: (node: string) => ['hardware-history', node, HISTORY_MINUTES] as const,
  models: ['models'] as const,
  swapCurrent: ['swap', 'current'] as const,
  lock: ['swap', 'lock'] as const,
  schedules: ['schedules'] as const,
  gatewayStats: ['gateway', 'stats'] as const,
};

export const getMeta = (signal?: AbortSignal) => apiRequest<MetaResponse>('/api/meta', { signal });

export const getHardware = (signal?: AbortSignal) =>
  apiRequest<HardwareSnapshot>('/api/hardware', { signal });

export const getHardwareHistory = (node: string, signal?: AbortSignal) =>
  apiRequest<HardwareHistory>(
    `/api/hardware/history?node=${encodeURIComponent(node)}&minutes=${HISTORY_MINUTES}`,
    { signal },
  );

export const getStatus = (signal?: AbortSignal) => apiRequest<StatusResponse>('/api/status', { signal });

export const getPublicKey = (signal?: AbortSignal) =>
  apiRequest<PublicKeyResponse>('/api/ssh/public-key', { signal });

export const retrustNode = (node: string) =>
  apiRequest<unknown>(`/api/ssh/retrust/${encodeURIComponent(node)}`, { method: 'POST' });

/** Tries the node's SSH connection now; the answer's state says whether the key is accepted yet. */
export const checkNodeNow = (node: string) =>
  apiRequest<{ node: string; connection: { state: string; error?: string } }>(
    `/api/ssh/check/${encodeURIComponent(node)}`,
    { method: 'POST' },
  );

/** Wake-on-LAN: the magic packet from a peer Spark and the control plane's broadcast. */
export const wakeNode = (node: string) =>
  apiRequest<WakeResponse>(`/api/spark/${encodeURIComponent(node)}/wake`, { method: 'POST' });
