import { describe, expect, it } from 'vitest';
import type { SwapInfo, VllmState, VllmStatus } from '../../../common/api.js';
import { EventBus } from '../../platform/events/bus.js';
import { SwapOnRequest, type SwapOnRequestDeps } from './swap-on-request.js';

const swap = (over: Partial<SwapInfo>): SwapInfo =>
  ({ id: 's1', model: 'org/b', display_name: 'B', state: 'loading', ...over }) as SwapInfo;

const vllm = (state: VllmState, models: string[] = [], error: string | null = null): VllmStatus => ({
  ok: state === 'loaded' || state === 'idle',
  state,
  base_url: 'http://192.0.2.1:8888/v1',
  model: models[0] ?? null,
  models,
  note: null,
  error,
});

function setup(over: Partial<SwapOnRequestDeps> = {}) {
  const bus = new EventBus();
  const started: string[] = [];
  let probes = 0;
  const s = new SwapOnRequest({
    keyFor: (m) => (m === 'org/b' ? 'b' : null),
    loadedModel: () => 'org/a',
    running: () => null,
    start: async (key) => (started.push(key), { id: 's1' }),
    probe: async () => (probes++, vllm('loaded', ['org/a'])),
    bus,
    timeoutMs: 1000,
    ...over,
  });
  /** Resolves once the swap was started (the fresh vLLM check comes first). */
  const whenStarted = async () => {
    for (let i = 0; i < 100 && started.length === 0; i++) await new Promise((r) => setImmediate(r));
  };
  return { s, bus, started, whenStarted, probes: () => probes };
}

const B = { key: 'b', model: 'org/b' };

describe('SwapOnRequest', () => {
  it('needs no swap for the loaded model or a model outside the catalog', () => {
    const { s } = setup();
    expect(s.needed('org/a')).toBeNull();
    expect(s.needed('other/x')).toBeNull();
    expect(s.needed(null)).toBeNull();
    expect(s.needed('org/b')).toEqual(B);
  });

  it('shares one swap between concurrent requests and resolves when it is ready', async () => {
    const { s, bus, started, whenStarted, probes } = setup();
    const a = s.ensure(B);
    const b = s.ensure(B);
    await whenStarted();
    bus.publish('swap', swap({ state: 'ready' }));
    await Promise.all([a, b]);
    expect(started).toEqual(['b']);
    expect(probes()).toBe(1);
  });

  it('asks vLLM again first: no swap when the fresh answer already lists the model', async () => {
    const { s, started } = setup({ probe: async () => vllm('loaded', ['org/b']) });
    await s.ensure(B);
    expect(started).toEqual([]);
  });

  it('never swaps on a guess: an unknown or unreachable vLLM is a 503 with Retry-After', async () => {
    for (const state of ['unknown', 'unreachable'] as const) {
      const { s, started } = setup({ probe: async () => vllm(state, [], 'vLLM did not answer within 3 s') });
      await expect(s.ensure(B)).rejects.toMatchObject({
        code: 'SERVICE_UNAVAILABLE',
        message: expect.stringMatching(/unknown right now \(vLLM did not answer within 3 s\)/),
        headers: { 'retry-after': '10' },
      });
      expect(started).toEqual([]);
    }
  });

  it('swaps from idle (a definite answer: nothing is loaded)', async () => {
    const { s, bus, started, whenStarted } = setup({ probe: async () => vllm('idle') });
    const wait = s.ensure(B);
    await whenStarted();
    bus.publish('swap', swap({ state: 'ready' }));
    await wait;
    expect(started).toEqual(['b']);
  });

  it('fails the held request with the swap’s reason, or after its timeout', async () => {
    const { s, bus, whenStarted } = setup();
    const failing = s.ensure(B);
    await whenStarted();
    bus.publish('swap', swap({ state: 'failed', error: 'engine init failed' }));
    await expect(failing).rejects.toThrow(/Loading org\/b failed: engine init failed/);
    const slow = setup({ timeoutMs: 20 }).s.ensure(B);
    await expect(slow).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('joins a swap already loading the same model, and refuses while another model loads', async () => {
    const joined = setup({ running: () => swap({ id: 'x', model: 'org/b' }) });
    const wait = joined.s.ensure(B);
    await new Promise((r) => setImmediate(r));
    joined.bus.publish('swap', swap({ id: 'x', state: 'ready' }));
    await wait;
    expect(joined.started).toEqual([]);
    expect(joined.probes()).toBe(0);
    const busy = setup({ running: () => swap({ id: 'y', model: 'org/c', display_name: 'C' }) });
    await expect(busy.s.ensure(B)).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
