// The event stream's Audio-tab envelopes reach the query cache: a services snapshot replaces the
// cached one, a deep-health snapshot too, and one service's deep-check result goes into it.
import { QueryClient } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeepCheckResult, DeepHealthResponse, ServicesResponse } from '../../common/services-api.js';
import { createEventBatcher, parseEnvelope } from './applyEvents.js';
import { connectivityKeys } from './connectivity.js';
import { audioKeys } from './services.js';

const TS = '2026-03-04T12:00:00Z';
const services: ServicesResponse = { services: [], checked_at: TS };
const deep: DeepHealthResponse = { interval_s: 300, services: {}, loopback: null };
const AUTO = {
  restarts_in_window: 0,
  max_per_window: 3,
  window_min: 30,
  last_restart_at: null,
  paused: false,
  reason: null,
  next_allowed_at: null,
};
const RESULT: DeepCheckResult = {
  service: 'parakeet',
  outcome: 'failed',
  at: TS,
  latency_ms: 40,
  error: 'HTTP 500 cudaErrorUnknown',
  wedge_signature: 'cudaErrorUnknown',
  http_status: 500,
  trigger: 'gateway',
};

describe('Audio envelopes', () => {
  let client: QueryClient;
  beforeEach(() => {
    vi.useFakeTimers();
    client = new QueryClient();
  });
  afterEach(() => {
    vi.useRealTimers();
    client.clear();
  });

  it('stores the services snapshot and the deep-health snapshot', () => {
    const b = createEventBatcher(client);
    b.push(parseEnvelope(JSON.stringify({ type: 'services', ts: TS, data: services }))!);
    b.push(parseEnvelope(JSON.stringify({ type: 'deep_health', ts: TS, data: deep }))!);
    expect(client.getQueryData(audioKeys.services)).toBeUndefined();
    vi.runAllTimers();
    expect(client.getQueryData(audioKeys.services)).toEqual(services);
    expect(client.getQueryData(audioKeys.deepHealth)).toEqual(deep);
    b.dispose();
  });

  it('puts one service result into the cached snapshot', () => {
    const entry = { last: null, auto_restart: AUTO };
    client.setQueryData<DeepHealthResponse>(audioKeys.deepHealth, { ...deep, services: { parakeet: entry } });
    const b = createEventBatcher(client);
    b.push({ type: 'deep_health', ts: TS, data: RESULT });
    vi.runAllTimers();
    const after = client.getQueryData<DeepHealthResponse>(audioKeys.deepHealth)!;
    expect(after.services.parakeet).toEqual({ last: RESULT, auto_restart: AUTO });
    expect(client.getQueryState(audioKeys.deepHealth)?.isInvalidated).toBe(false);
    b.dispose();
  });

  it('reads deep health again for a result it cannot place or does not understand', () => {
    client.setQueryData(audioKeys.deepHealth, deep);
    const b = createEventBatcher(client);
    b.push({ type: 'deep_health', ts: TS, data: RESULT });
    vi.runAllTimers();
    expect(client.getQueryData(audioKeys.deepHealth)).toEqual(deep);
    expect(client.getQueryState(audioKeys.deepHealth)?.isInvalidated).toBe(true);
    client.setQueryData(audioKeys.deepHealth, deep);
    b.push({ type: 'deep_health', ts: TS, data: { something: 'else' } });
    vi.runAllTimers();
    expect(client.getQueryState(audioKeys.deepHealth)?.isInvalidated).toBe(true);
    b.dispose();
  });
});

describe('connectivity envelopes', () => {
  it('mark the connectivity log and its strip stale, nothing else', () => {
    vi.useFakeTimers();
    const client = new QueryClient();
    try {
      client.setQueryData(connectivityKeys.log, { subjects: {}, events: [] });
      client.setQueryData(connectivityKeys.availability, { subjects: {} });
      client.setQueryData(audioKeys.services, services);
      const b = createEventBatcher(client);
      b.push({
        type: 'connectivity',
        ts: TS,
        data: {
          id: 1,
          ts: TS,
          subject: 'spark1',
          kind: 'report',
          ok: true,
          source: 'wake',
          error: null,
          ms: null,
          previous_state_s: null,
        },
      });
      expect(client.getQueryState(connectivityKeys.log)?.isInvalidated).toBe(false);
      vi.runAllTimers();
      expect(client.getQueryState(connectivityKeys.log)?.isInvalidated).toBe(true);
      expect(client.getQueryState(connectivityKeys.availability)?.isInvalidated).toBe(true);
      expect(client.getQueryState(audioKeys.services)?.isInvalidated).toBe(false);
      b.dispose();
    } finally {
      vi.useRealTimers();
      client.clear();
    }
  });
});
