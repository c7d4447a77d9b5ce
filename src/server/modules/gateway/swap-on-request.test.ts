import { describe, expect, it } from 'vitest';
import type { SwapInfo } from '../../../common/api.js';
import { EventBus } from '../../platform/events/bus.js';
import { AppError } from '../../platform/http/errors.js';
import { SwapOnRequest, type SwapOnRequestDeps } from './swap-on-request.js';

const swap = (over: Partial<SwapInfo>): SwapInfo =>
  ({ id: 's1', model: 'org/b', display_name: 'B', state: 'loading', ...over }) as SwapInfo;

function setup(over: Partial<SwapOnRequestDeps> = {}) {
  const bus = new EventBus();
  const started: string[] = [];
  const s = new SwapOnRequest({
    keyFor: (m) => (m === 'org/b' ? 'b' : null),
    loadedModel: () => 'org/a',
    running: () => null,
    start: (key) => (started.push(key), { id: 's1' }),
    bus,
    timeoutMs: 1000,
    ...over,
  });
  return { s, bus, started };
}

describe('SwapOnRequest', () => {
  it('needs no swap for the loaded model or a model outside the catalog', () => {
    const { s } = setup();
    expect(s.needed('org/a')).toBeNull();
    expect(s.needed('other/x')).toBeNull();
    expect(s.needed(null)).toBeNull();
    expect(s.needed('org/b')).toEqual({ key: 'b', model: 'org/b' });
  });

  it('shares one swap between concurrent requests and resolves when it is ready', async () => {
    const { s, bus, started } = setup();
    const a = s.ensure({ key: 'b', model: 'org/b' });
    const b = s.ensure({ key: 'b', model: 'org/b' });
    bus.publish('swap', swap({ state: 'ready' }));
    await Promise.all([a, b]);
    expect(started).toEqual(['b']);
  });

  it('fails the held request with the swap’s reason, or after its timeout', async () => {
    const { s, bus } = setup();
    const failing = s.ensure({ key: 'b', model: 'org/b' });
    bus.publish('swap', swap({ state: 'failed', error: 'engine init failed' }));
    await expect(failing).rejects.toThrow(/Loading org\/b failed: engine init failed/);
    const slow = setup({ timeoutMs: 20 }).s.ensure({ key: 'b', model: 'org/b' });
    await expect(slow).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('joins a swap already loading the same model, and refuses while another model loads', async () => {
    const joined = setup({ running: () => swap({ id: 'x', model: 'org/b' }) });
    const wait = joined.s.ensure({ key: 'b', model: 'org/b' });
    joined.bus.publish('swap', swap({ id: 'x', state: 'ready' }));
    await wait;
    expect(joined.started).toEqual([]);
    const busy = setup({ running: () => swap({ id: 'y', model: 'org/c', display_name: 'C' }) });
    expect(() => busy.s.ensure({ key: 'b', model: 'org/b' })).toThrow(AppError);
  });
});
