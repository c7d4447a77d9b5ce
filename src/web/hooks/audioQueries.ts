// Query hooks of the Audio tab. The event stream keeps services and deep health current
// (api/applyEvents.ts: `services`, `deep_health`); polling runs only while the stream is down.
import { useQuery } from '@tanstack/react-query';
import type { ServicesResponse } from '../../common/services-api.js';
import {
  audioKeys,
  getDeepHealth,
  getNimCatalog,
  getNimInstalls,
  getSimFaults,
  getSpeechModels,
  getServices,
} from '../api/services.js';
import { fallbackInterval, useStreamState } from './streamState.js';

export function useServicesSelect<T>(select: (r: ServicesResponse) => T) {
  const stream = useStreamState();
  return useQuery({
    queryKey: audioKeys.services,
    queryFn: ({ signal }) => getServices(signal),
    refetchInterval: fallbackInterval(stream, 10_000),
    select,
  });
}

export function useDeepHealth() {
  const stream = useStreamState();
  return useQuery({
    queryKey: audioKeys.deepHealth,
    queryFn: ({ signal }) => getDeepHealth(signal),
    refetchInterval: fallbackInterval(stream, 30_000),
  });
}

/** Not pushed by the event stream: the comparison runs `docker exec` on the node, so it is read on demand. */
export function useSpeechModels() {
  return useQuery({
    queryKey: audioKeys.speechModels,
    queryFn: ({ signal }) => getSpeechModels(signal),
    refetchInterval: 60_000,
  });
}

export function useNimCatalog(enabled: boolean) {
  return useQuery({
    queryKey: audioKeys.nimCatalog,
    queryFn: ({ signal }) => getNimCatalog(signal),
    staleTime: 5 * 60_000,
    enabled,
  });
}

/**
 * Not pushed by the event stream and asks docker on the node when there is something to list, so
 * read at the pace of the patches panel (and again after an install, register or remove).
 */
export function useNimInstalls() {
  return useQuery({
    queryKey: audioKeys.nimInstalls,
    queryFn: ({ signal }) => getNimInstalls(signal),
    refetchInterval: 60_000,
  });
}

export function useSimFaults(enabled: boolean) {
  return useQuery({
    queryKey: audioKeys.simFaults,
    queryFn: ({ signal }) => getSimFaults(signal),
    refetchInterval: 15_000,
    enabled,
  });
}
