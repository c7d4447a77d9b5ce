// Gateway counters for the endpoint card. The event stream does not carry them, so they poll;
// the card mounts this only while expanded, so a collapsed card costs no requests.
import { useQuery } from '@tanstack/react-query';
import { queryKeys } from '../api/endpoints.js';
import { getGatewayStats } from '../api/gateway.js';

export const GATEWAY_STATS_INTERVAL_MS = 10_000;

export function useGatewayStats() {
  return useQuery({
    queryKey: queryKeys.gatewayStats,
    queryFn: ({ signal }) => getGatewayStats(signal),
    refetchInterval: GATEWAY_STATS_INTERVAL_MS,
    staleTime: GATEWAY_STATS_INTERVAL_MS / 2,
  });
}
