// The event stream's Audio-tab envelopes reach the query cache: a services snapshot replaces the
// cached one, a deep-health snapshot too, and a single deep-check result marks it stale.
import { QueryClient } from '@tanstack/react-query';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeepHealthResponse, ServicesResponse } from '../../common/services-api.js';
import { createEventBatcher, parseEnvelope } from './applyEvents.js';
import { audioKeys } from './services.js';

const TS = '2026-03-04T12:00:00Z';
const services: ServicesResponse = { services: [], checked_at: TS };
const deep: DeepHealthResponse = { interval_s: 300, services: {}, loopback: null };

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

  it('marks deep health stale on a single result instead of storing it as the snapshot', () => {
    client.setQueryData(audioKeys.deepHealth, deep);
    const b = createEventBatcher(client);
    b.push({ type: 'deep_health', ts: TS, data: { service: 'parakeet', outcome: 'failed' } });
    vi.runAllTimers();
    expect(client.getQueryData(audioKeys.deepHealth)).toEqual(deep);
    expect(client.getQueryState(audioKeys.deepHealth)?.isInvalidated).toBe(true);
    b.dispose();
  });
});
