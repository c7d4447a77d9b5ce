// The gateway's per-client counters (`GET /api/gateway/stats`); the shape lives in common/api.ts.
import type { GatewayClientStats, GatewayStatsResponse } from '../../common/api.js';
import { apiRequest } from './client.js';

export type { GatewayClientStats, GatewayStatsResponse };

export const getGatewayStats = (signal?: AbortSignal) =>
  apiRequest<GatewayStatsResponse>('/api/gateway/stats', { signal });
