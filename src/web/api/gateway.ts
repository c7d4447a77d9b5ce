// The gateway's per-client counters (`GET /api/gateway/stats`), mirroring the server's
// GatewayStatsResponse (src/server/modules/gateway/stats.ts). Key names only, never the keys.
import { apiRequest } from './client.js';

export interface GatewayClientStats {
  /** A configured API key's name, or `anonymous`. */
  name: string;
  requests: number;
  errors: number;
  /** Requests the client abandoned before the response ended. */
  aborted: number;
  last_request_at: string | null;
  /** Over the latest `window` requests; null while there are none. */
  latency_ms: { p50: number | null; p95: number | null; window: number };
}

export interface GatewayStatsResponse {
  /** Whether `/v1` requires `Authorization: Bearer <key>`. */
  keys_required: boolean;
  /** When the counters started (server start). */
  since: string;
  window_size: number;
  clients: GatewayClientStats[];
}

export const getGatewayStats = (signal?: AbortSignal) =>
  apiRequest<GatewayStatsResponse>('/api/gateway/stats', { signal });
