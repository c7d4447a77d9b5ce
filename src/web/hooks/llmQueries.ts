// Query hooks of the LLM tab. The event stream keeps these caches current (api/applyEvents.ts);
// polling only runs while the stream is down, faster while a swap runs.
import { useQuery } from '@tanstack/react-query';
import type { ModelsResponse, SwapInfo } from '../../common/api.js';
import { queryKeys } from '../api/endpoints.js';
import { getLock, getModels, getSchedules, getSwapCurrent } from '../api/llm.js';
import { isSwapRunning } from '../lib/swap.js';
import { fallbackInterval, useStreamState } from './streamState.js';

const whole = (r: ModelsResponse) => r;

export function useModels() {
  return useModelsSelect(whole);
}

export function useSwapCurrent() {
  const stream = useStreamState();
  return useQuery({
    queryKey: queryKeys.swapCurrent,
    queryFn: ({ signal }) => getSwapCurrent(signal),
    refetchInterval: (q) =>
      fallbackInterval(stream, isSwapRunning(q.state.data as SwapInfo | null | undefined) ? 3_000 : 30_000),
  });
}

/** The catalog key of the model a running swap is loading, or null. */
export function useSwitchingToKey(): string | null {
  const { data } = useSwapCurrent();
  return data && isSwapRunning(data) ? data.key : null;
}

/** Whether a swap is running right now (Switch buttons are disabled then). */
export function useSwapRunning(): boolean {
  const { data } = useSwapCurrent();
  return isSwapRunning(data);
}

export function useGpuLock() {
  const stream = useStreamState();
  return useQuery({
    queryKey: queryKeys.lock,
    queryFn: ({ signal }) => getLock(signal),
    refetchInterval: fallbackInterval(stream, 30_000),
  });
}

export function useSchedules() {
  const stream = useStreamState();
  return useQuery({
    queryKey: queryKeys.schedules,
    queryFn: ({ signal }) => getSchedules(signal),
    refetchInterval: fallbackInterval(stream, 60_000),
  });
}

/** A selection of the catalog (cards subscribe to their own model so others don't re-render). */
export function useModelsSelect<T>(select: (r: ModelsResponse) => T) {
  const stream = useStreamState();
  return useQuery({
    queryKey: queryKeys.models,
    queryFn: ({ signal }) => getModels(signal),
    refetchInterval: fallbackInterval(stream, 30_000),
    select,
  });
}
