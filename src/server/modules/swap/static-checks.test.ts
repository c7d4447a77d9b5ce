import { describe, expect, it } from 'vitest';
import type { NodeHardware } from '../../../common/api.js';
import type { SwapModel } from './model.js';
import {
  batchedTokensWarning,
  engineToReplace,
  flagValue,
  memoryFitWarnings,
  type LastSwap,
} from './static-checks.js';

const model = (over: Partial<SwapModel> = {}): SwapModel => ({
  key: 'm',
  display_name: 'M',
  repo: 'org/m',
  path: null,
  served_model_name: 'org/m',
  size_gb: 30,
  mode: 'solo',
  capabilities: [],
  effective_args: [],
  effective_knobs: {
    max_model_len: null,
    gpu_memory_utilization: 0.8,
    fastsafetensors: false,
    prefix_caching: false,
    fp8_kv_cache: false,
  },
  expected_ready_seconds: 60,
  ...over,
});
const hw = (over: Partial<NodeHardware> = {}): NodeHardware =>
  ({
    name: 'spark1',
    ok: true,
    ram_total: 128e9,
    gpu_mem_total: 128e9,
    gpu_mem_used: 0,
    ...over,
  }) as NodeHardware;

describe('flagValue', () => {
  it.each([
    [['--max-num-batched-tokens', '16384'], '16384'],
    [['--max-num-batched-tokens=8192'], '8192'],
    [['--max_num_batched_tokens=4096'], '4096'],
    [['--other', '1'], null],
  ])('%j → %s', (args, expected) => expect(flagValue(args, '--max-num-batched-tokens')).toBe(expected));
});

describe('batched tokens check', () => {
  it('warns for vision and hybrid-Mamba models without enough batched tokens', () => {
    expect(batchedTokensWarning(model({ capabilities: ['vision'] }))?.message).toMatch(
      /multimodal.*2048.*16384/,
    );
    expect(
      batchedTokensWarning(
        model({ capabilities: ['hybrid-mamba'], effective_args: ['--max-num-batched-tokens=8192'] }),
      )?.message,
    ).toMatch(/hybrid-Mamba.*it is 8192/);
  });
  it('is quiet when the flag is high enough or the model needs none', () => {
    expect(
      batchedTokensWarning(
        model({ capabilities: ['vision'], effective_args: ['--max-num-batched-tokens', '16384'] }),
      ),
    ).toBeNull();
    expect(batchedTokensWarning(model({ capabilities: ['tools'] }))).toBeNull();
  });
});

describe('memory fit', () => {
  it('fits a 30 GB model on an empty 128 GB Spark', () => {
    expect(
      memoryFitWarnings({ model: model(), nodes: ['spark1'], hardware: { spark1: hw() }, loaded: null }),
    ).toEqual([]);
  });
  it('counts memory held by other GPU processes but not the vLLM being replaced', () => {
    const big = model({ size_gb: 90 });
    const speech = { spark1: hw({ gpu_mem_used: 20e9 }) };
    expect(
      memoryFitWarnings({ model: big, nodes: ['spark1'], hardware: speech, loaded: null })[0]?.message,
    ).toMatch(/Needs ~90 GB on spark1.*minus 20 GB/);
    const replacing = { spark1: hw({ gpu_mem_used: 100e9 }) };
    expect(
      memoryFitWarnings({
        model: big,
        nodes: ['spark1'],
        hardware: replacing,
        loaded: { served_model_name: 'x', gpu_memory_utilization: 0.9, nodes: null },
      }),
    ).toEqual([]);
  });
  it('splits a cluster model across its nodes and flags unreachable ones', () => {
    const huge = model({ size_gb: 160, mode: 'cluster' });
    const both = { spark1: hw(), spark2: hw({ name: 'spark2' }) };
    expect(
      memoryFitWarnings({ model: huge, nodes: ['spark1', 'spark2'], hardware: both, loaded: null }),
    ).toEqual([]);
    const down = { spark1: hw(), spark2: hw({ name: 'spark2', ok: false, error_kind: 'unreachable' }) };
    const unknown = { spark1: hw(), spark2: hw({ name: 'spark2', ok: false, error_kind: null }) };
    expect(
      memoryFitWarnings({ model: huge, nodes: ['spark1', 'spark2'], hardware: unknown, loaded: null }),
    ).toEqual([]);
    expect(
      memoryFitWarnings({ model: huge, nodes: ['spark1', 'spark2'], hardware: down, loaded: null })[0]?.code,
    ).toBe('nodes_unreachable');
  });
});

describe('memory fit never counts the vLLM the swap stops', () => {
  const big = model({ size_gb: 90 });
  const last = (over: Partial<LastSwap> = {}): LastSwap => ({
    state: 'ready',
    model: 'org/old',
    nodes: ['spark1'],
    snapshot: { effective_knobs: { ...model().effective_knobs, gpu_memory_utilization: 0.9 } },
    ...over,
  });
  const fit = (loaded: ReturnType<typeof engineToReplace>, used = 110e9) =>
    memoryFitWarnings({
      model: big,
      nodes: ['spark1'],
      hardware: { spark1: hw({ gpu_mem_used: used }) },
      loaded,
    });

  it('vLLM answered with the model: the last ready swap gives its utilization and nodes', () => {
    expect(engineToReplace('org/old', last())).toEqual({
      served_model_name: 'org/old',
      gpu_memory_utilization: 0.9,
      nodes: ['spark1'],
    });
    expect(fit(engineToReplace('org/old', last()), 100e9)).toEqual([]);
  });

  it('vLLM could not say (timeout, slow head): the model the last swap loaded still holds the memory', () => {
    // The status has no model while vLLM is unknown; 100 GB on the node is still the old engine.
    const loaded = engineToReplace(null, last());
    expect(loaded?.served_model_name).toBe('org/old');
    expect(fit(loaded, 100e9)).toEqual([]);
  });

  it('vLLM answered idle: the last ready swap no longer holds memory, every byte is another process', () => {
    expect(engineToReplace(null, last(), 'idle')).toBeNull();
    expect(engineToReplace(null, last(), 'unknown')?.served_model_name).toBe('org/old');
    expect(fit(engineToReplace(null, last(), 'idle'), 100e9)[0]?.message).toMatch(
      /minus 100 GB held by other GPU processes/,
    );
  });

  it('nothing was ever loaded by a swap and vLLM names nothing: every byte is another process', () => {
    expect(engineToReplace(null, null)).toBeNull();
    expect(engineToReplace(null, last({ state: 'failed' }))).toBeNull();
    expect(fit(null, 30e9)[0]?.message).toMatch(/minus 30 GB held by other GPU processes/);
  });

  it('a model started outside Spark Control (utilization unknown) is not capped at a guessed share', () => {
    // It runs with 0.95 of 128 GB: a 0.9 guess would leave ~6 GB of it counted against the new model.
    const loaded = engineToReplace('org/outside', last());
    expect(loaded).toEqual({ served_model_name: 'org/outside', gpu_memory_utilization: null, nodes: null });
    expect(fit(loaded, 0.95 * 128e9)).toEqual([]);
  });

  it('a cluster engine is freed on the worker node too, not only on the head', () => {
    const huge = model({ size_gb: 160, mode: 'cluster' });
    const loaded = engineToReplace('org/old', last({ nodes: ['spark1', 'spark2'] }));
    const busy = { spark1: hw({ gpu_mem_used: 100e9 }), spark2: hw({ name: 'spark2', gpu_mem_used: 100e9 }) };
    expect(memoryFitWarnings({ model: huge, nodes: ['spark1', 'spark2'], hardware: busy, loaded })).toEqual(
      [],
    );
  });

  it('memory on a node the replaced engine does not run on stays counted (a speech service there)', () => {
    const huge = model({ size_gb: 160, mode: 'cluster' });
    const loaded = engineToReplace('org/old', last({ nodes: ['spark1'] }));
    const hwTwo = { spark1: hw({ gpu_mem_used: 100e9 }), spark2: hw({ name: 'spark2', gpu_mem_used: 40e9 }) };
    const warnings = memoryFitWarnings({ model: huge, nodes: ['spark1', 'spark2'], hardware: hwTwo, loaded });
    expect(warnings.map((w) => w.message)).toEqual([expect.stringMatching(/on spark2.*minus 40 GB/)]);
  });
});
