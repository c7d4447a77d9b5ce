// Turns event-stream envelopes into TanStack Query cache updates. Envelopes are queued and
// applied together every BATCH_MS inside one notifyManager batch, so a burst (the replay on
// connect, several nodes changing at once) costs one render pass.
import { notifyManager, type QueryClient } from '@tanstack/react-query';
import type {
  EventEnvelope,
  HardwareHistory,
  HardwareHistoryPoint,
  LockResponse,
  ScheduleEntry,
  StatusResponse,
  SwapInfo,
} from '../../common/api.js';
import type { DeepCheckResult, DeepHealthResponse, ServicesResponse } from '../../common/services-api.js';
import { appendHistoryPoint } from '../lib/history.js';
import { historyPointFromNode } from '../lib/metrics.js';
import { newerSwap } from '../lib/swap.js';
import { connectivityKeys } from './connectivity.js';
import { queryKeys } from './endpoints.js';
import { audioKeys } from './services.js';

/** The Audio tab's envelopes (issue 10). `deep_health` carries one service's result (or a whole snapshot). */
export type AudioEnvelope =
  | { type: 'services'; ts: string; data: ServicesResponse }
  | { type: 'deep_health'; ts: string; data: DeepHealthResponse | DeepCheckResult | Record<string, unknown> };

export type AnyEnvelope = EventEnvelope | AudioEnvelope;

const BATCH_MS = 100;

export function parseEnvelope(raw: string): AnyEnvelope | null {
  try {
    const msg = JSON.parse(raw) as { type?: unknown; data?: unknown };
    if (typeof msg !== 'object' || msg === null || typeof msg.type !== 'string' || msg.data == null)
      return null;
    return msg as AnyEnvelope;
  } catch {
    return null;
  }
}

function sampleTime(sampledAt: string | null, fallback: string): number {
  const t = sampledAt ? Date.parse(sampledAt) : Number.NaN;
  if (Number.isFinite(t)) return t;
  const f = Date.parse(fallback);
  return Number.isFinite(f) ? f : Date.now();
}

export interface EventBatcher {
  push(env: AnyEnvelope): void;
  dispose(): void;
}

export function createEventBatcher(client: QueryClient): EventBatcher {
  let hardware: Extract<EventEnvelope, { type: 'hardware' }> | null = null;
  let status: StatusResponse | null = null;
  let nodeStateChanged = false;
  let swap: SwapInfo | null = null;
  let lock: LockResponse | null = null;
  let schedules: ScheduleEntry[] | null = null;
  let modelsChanged = false;
  let services: ServicesResponse | null = null;
  let deepHealth: DeepHealthResponse | null = null;
  let deepHealthChanged = false;
  let connectivityChanged = false;
  const deepResults: DeepCheckResult[] = [];
  const points: Array<[string, HardwareHistoryPoint]> = [];
  let timer: ReturnType<typeof setTimeout> | undefined;

  const flush = () => {
    timer = undefined;
    notifyManager.batch(() => {
      if (hardware) client.setQueryData(queryKeys.hardware, hardware.data);
      if (status) {
        // The loaded model changed (a swap ended, or vLLM went idle): the cards' loaded flags follow.
        const before = client.getQueryData<StatusResponse>(queryKeys.status);
        client.setQueryData(queryKeys.status, status);
        if (before && before.vllm.model !== status.vllm.model) modelsChanged = true;
      }
      for (const [node, point] of points) {
        client.setQueryData<HardwareHistory>(queryKeys.history(node), (old) =>
          old ? appendHistoryPoint(old, point) : old,
        );
      }
      // A node went up or down: refetch its full sample unless a hardware snapshot just came.
      if (nodeStateChanged && !hardware) {
        void client.invalidateQueries({ queryKey: queryKeys.hardware, exact: true });
      }
      if (swap) applySwap(client, swap);
      if (lock) client.setQueryData(queryKeys.lock, lock);
      if (schedules) client.setQueryData(queryKeys.schedules, { schedules });
      if (modelsChanged) void client.invalidateQueries({ queryKey: queryKeys.models, exact: true });
      if (services) client.setQueryData(audioKeys.services, services);
      if (deepHealth) client.setQueryData(audioKeys.deepHealth, deepHealth);
      for (const r of deepResults) {
        const old = client.getQueryData<DeepHealthResponse>(audioKeys.deepHealth);
        const entry = old?.services[r.service];
        // A service the cached snapshot does not know yet: read the whole snapshot again.
        if (!old || !entry) deepHealthChanged = true;
        else
          client.setQueryData<DeepHealthResponse>(audioKeys.deepHealth, {
            ...old,
            services: { ...old.services, [r.service]: { ...entry, last: r } },
          });
      }
      if (deepHealthChanged) void client.invalidateQueries({ queryKey: audioKeys.deepHealth, exact: true });
      // Only the open connectivity dialog refetches; a closed one reads fresh data when opened.
      if (connectivityChanged) void client.invalidateQueries({ queryKey: connectivityKeys.all });
    });
    hardware = null;
    status = null;
    nodeStateChanged = false;
    swap = null;
    lock = null;
    schedules = null;
    modelsChanged = false;
    services = null;
    deepHealth = null;
    deepHealthChanged = false;
    connectivityChanged = false;
    deepResults.length = 0;
    points.length = 0;
  };

  return {
    push(env) {
      switch (env.type) {
        case 'hardware':
          hardware = env;
          for (const [name, node] of Object.entries(env.data)) {
            points.push([name, historyPointFromNode(node, sampleTime(node.sampled_at, env.ts))]);
          }
          break;
        case 'status':
          status = env.data;
          break;
        case 'node_state':
          nodeStateChanged = true;
          break;
        case 'swap':
        case 'swap_complete':
        case 'swap_failed':
          swap = newerSwap(swap, env.data);
          break;
        case 'lock':
          lock = env.data;
          break;
        case 'schedules':
          schedules = env.data;
          break;
        case 'models':
          modelsChanged = true;
          break;
        case 'services':
          services = env.data;
          break;
        case 'deep_health':
          // The whole snapshot replaces the cache; one service's result goes into it.
          if (isDeepHealthSnapshot(env.data)) deepHealth = env.data;
          else if (isDeepCheckResult(env.data)) deepResults.push(env.data);
          else deepHealthChanged = true;
          break;
        case 'connectivity':
          connectivityChanged = true;
          break;
        default:
          return;
      }
      timer ??= setTimeout(flush, BATCH_MS);
    },
    dispose() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}

function isDeepCheckResult(d: unknown): d is DeepCheckResult {
  return (
    typeof d === 'object' &&
    d !== null &&
    typeof (d as { service?: unknown }).service === 'string' &&
    typeof (d as { outcome?: unknown }).outcome === 'string' &&
    typeof (d as { at?: unknown }).at === 'string'
  );
}

function isDeepHealthSnapshot(d: unknown): d is DeepHealthResponse {
  return typeof d === 'object' && d !== null && 'services' in d && typeof d.services === 'object';
}

/** Stores the swap unless a newer one is cached. Every state change can change what is loaded. */
function applySwap(client: QueryClient, incoming: SwapInfo) {
  const old = client.getQueryData<SwapInfo | null>(queryKeys.swapCurrent);
  const next = newerSwap(old, incoming);
  if (next !== incoming) return;
  client.setQueryData(queryKeys.swapCurrent, next);
  if (!old || old.id !== next.id || old.state !== next.state) refreshLoaded(client);
}

/** What is loaded may have changed: refetch the catalog's loaded flags and the vLLM status. */
export function refreshLoaded(client: QueryClient) {
  void client.invalidateQueries({ queryKey: queryKeys.models, exact: true });
  void client.invalidateQueries({ queryKey: queryKeys.status, exact: true });
}
