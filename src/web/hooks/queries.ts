// Query hooks. Cards subscribe to their own node with `select`, so a hardware update re-renders
// only the cards whose data changed (TanStack shares structure between snapshots).
import { useCallback } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { HardwareSnapshot } from '../../common/api.js';
import {
  getHardware,
  getHardwareHistory,
  getMeta,
  getPublicKey,
  getStatus,
  queryKeys,
} from '../api/endpoints.js';
import { fallbackInterval, useStreamState } from './streamState.js';

export function useMeta() {
  return useQuery({ queryKey: queryKeys.meta, queryFn: ({ signal }) => getMeta(signal), staleTime: 60_000 });
}

export function useStatus() {
  const stream = useStreamState();
  return useQuery({
    queryKey: queryKeys.status,
    queryFn: ({ signal }) => getStatus(signal),
    refetchInterval: fallbackInterval(stream, 15_000),
  });
}

function useHardwareSelect<T>(select: (s: HardwareSnapshot) => T) {
  const stream = useStreamState();
  return useQuery({
    queryKey: queryKeys.hardware,
    queryFn: ({ signal }) => getHardware(signal),
    refetchInterval: fallbackInterval(stream, 10_000),
    select,
  });
}

const selectNames = (s: HardwareSnapshot) => Object.keys(s);
// Probed and failed (never "not probed yet"): the server refuses to swap onto these.
const selectDown = (s: HardwareSnapshot) =>
  Object.values(s)
    .filter((n) => !n.ok && n.error_kind !== null)
    .map((n) => n.name)
    .join(',');

/** Node names in snapshot order. */
export function useNodeNames() {
  return useHardwareSelect(selectNames);
}

/** Names of the nodes that are down now (a joined string, so an unchanged set does not re-render). */
export function useDownNodes(): string[] {
  const { data = '' } = useHardwareSelect(selectDown);
  return data ? data.split(',') : [];
}

/** One node's latest sample, plus when it reached the browser (for the ticking age). */
export function useNode(name: string) {
  const select = useCallback((s: HardwareSnapshot) => s[name], [name]);
  const q = useHardwareSelect(select);
  return { node: q.data, receivedAt: q.dataUpdatedAt };
}

/** The last hour of samples, refreshed every minute; live points are appended by the event stream. */
export function useNodeHistory(name: string) {
  return useQuery({
    queryKey: queryKeys.history(name),
    queryFn: ({ signal }) => getHardwareHistory(name, signal),
    refetchInterval: 60_000,
    staleTime: 55_000,
  });
}

export function usePublicKey(enabled = true) {
  return useQuery({
    queryKey: queryKeys.publicKey,
    queryFn: ({ signal }) => getPublicKey(signal),
    staleTime: 5 * 60_000,
    enabled,
  });
}
