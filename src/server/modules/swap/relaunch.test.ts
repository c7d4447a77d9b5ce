// relaunchLoadedModel: what it refuses (nothing loaded, a swap running, no catalog entry, the swap
// service's own refusals) and what it starts (a swap to the loaded model's key, with its origin).
import { describe, expect, it } from 'vitest';
import type { SwapInfo } from '../../../common/api.js';
import { AppError } from '../../platform/http/errors.js';
import { relaunchLoadedModel, type RelaunchDeps } from './relaunch.js';

function deps(o: {
  loaded?: string | null;
  running?: Partial<SwapInfo> | null;
  keys?: Record<string, string>;
  start?: () => Promise<{ id: string }>;
}) {
  const started: { key: string; holder: string | null; origin?: string }[] = [];
  const d: RelaunchDeps = {
    loadedModel: () => (o.loaded === undefined ? 'org/model-FP8' : o.loaded),
    keyFor: (m) => (o.keys ?? { 'org/model-FP8': 'model-fp8' })[m] ?? null,
    origin: 'Requested by deep health',
    swaps: {
      running: () => (o.running ?? null) as SwapInfo | null,
      start: async (key, holder, origin) => {
        started.push({ key, holder, origin });
        return o.start ? o.start() : { id: 'swap_1' };
      },
    },
  };
  return { d, started };
}

describe('relaunchLoadedModel', async () => {
  it('starts a swap to the catalog entry of the loaded model, saying who asked', async () => {
    const { d, started } = deps({});
    expect(await relaunchLoadedModel(d)).toEqual({
      started: true,
      reason: 'relaunching model-fp8 (swap swap_1)',
      job_id: 'swap_1',
    });
    expect(started).toEqual([{ key: 'model-fp8', holder: null, origin: 'Requested by deep health' }]);
  });

  it('refuses a model with no catalog entry (launched by hand) instead of guessing', async () => {
    const { d, started } = deps({ loaded: 'someone/else' });
    const r = await relaunchLoadedModel(d);
    expect(r.started).toBe(false);
    expect(r.reason).toMatch(/someone\/else has no catalog entry/);
    expect(started).toEqual([]);
  });

  it('refuses while a swap runs, naming it', async () => {
    const { d, started } = deps({ running: { id: 'swap_9', display_name: 'Qwen3' } });
    expect(await relaunchLoadedModel(d)).toEqual({
      started: false,
      reason: 'a swap to Qwen3 is running (swap_9)',
    });
    expect(started).toEqual([]);
  });

  it('refuses when nothing is loaded', async () => {
    const { d } = deps({ loaded: null });
    expect(await relaunchLoadedModel(d)).toEqual({ started: false, reason: 'no model is loaded' });
  });

  it("turns the swap service's refusal (locks, GPU lock, node down) into a refusal with its message", async () => {
    const { d } = deps({
      start: async () => {
        throw new AppError('CONFLICT', 'A model download holds the lock gpu');
      },
    });
    expect(await relaunchLoadedModel(d)).toEqual({
      started: false,
      reason: 'A model download holds the lock gpu',
    });
  });

  it('lets an unexpected error through (a bug, not a refusal)', async () => {
    const { d } = deps({
      start: async () => {
        throw new TypeError('x is undefined');
      },
    });
    await expect(relaunchLoadedModel(d)).rejects.toThrow(TypeError);
  });
});
