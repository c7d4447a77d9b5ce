// The weights check: trusts only a recent "present" from the snapshot, asks the node once about
// anything else, and refuses on missing / incomplete / could-not-ask with what to do.
import { describe, expect, it } from 'vitest';
import type { ModelDiskNode, ModelDiskStatus } from '../../../common/disk-api.js';
import type { SwapModel } from '../swap/model.js';
import { placementCheck } from './placement-check.js';
import type { WeightsOnNode } from './weights-probe.js';

const NOW = Date.parse('2026-12-01T20:00:00Z');
const model = (o: Partial<SwapModel> = {}): SwapModel => ({
  key: 'big',
  display_name: 'Big model',
  repo: 'org/big',
  path: null,
  served_model_name: 'org/big',
  size_gb: 100,
  mode: 'cluster',
  capabilities: [],
  effective_args: [],
  effective_knobs: {} as SwapModel['effective_knobs'],
  expected_ready_seconds: 60,
  ...o,
});
const node = (name: string, state: ModelDiskNode['state'], ageMs = 1000): ModelDiskNode => ({
  node: name,
  state,
  present: state === 'unknown' ? null : state !== 'missing',
  bytes: state === 'unknown' ? null : 1e9,
  complete: state === 'unknown' ? null : state === 'present',
  needed: true,
  error: state === 'unknown' ? 'Not checked yet' : null,
  checked_at: new Date(NOW - ageMs).toISOString(),
});

function setup(snap: ModelDiskNode[] | null, fresh: Record<string, WeightsOnNode>, repo = 'org/big') {
  const probes: string[] = [];
  const disagreed: string[][] = [];
  const status: ModelDiskStatus | undefined = snap
    ? { key: 'big', repo, path: null, nodes: snap }
    : undefined;
  const check = placementCheck({
    status: (k) => (k === 'big' ? status : undefined),
    probe: async (n) => (probes.push(n), fresh[n] ?? { state: 'unknown', error: `${n}: no answer` }),
    disagreed: (n) => disagreed.push(n),
    now: () => NOW,
  });
  return { check, probes, disagreed };
}

describe('placementCheck', () => {
  it('lets a model go when the recent snapshot says present on every node, asking nobody', async () => {
    const { check, probes } = setup([node('spark1', 'present'), node('spark2', 'present')], {});
    expect(await check(model(), ['spark1', 'spark2'])).toBeNull();
    expect(probes).toEqual([]);
  });

  it('refuses with weights_missing naming the node and the repo when a fresh look confirms it', async () => {
    const { check, probes } = setup([node('spark1', 'present'), node('spark2', 'missing')], {
      spark2: { state: 'missing', bytes: 0 },
    });
    const r = await check(model(), ['spark1', 'spark2']);
    expect(probes).toEqual(['spark2']);
    expect(r?.code).toBe('weights_missing');
    expect(r?.details).toMatchObject({ repo: 'org/big', nodes: ['spark2'], missing: ['spark2'] });
    expect(r?.message).toMatch(/not on spark2 .*every Spark.*download them to spark2 first/);
    expect(r?.message).toMatch(/Nothing was stopped/);
  });

  it('says a download is unfinished when the weights are incomplete', async () => {
    const { check } = setup([node('spark1', 'incomplete')], { spark1: { state: 'incomplete', bytes: 5 } });
    const r = await check(model({ mode: 'solo' }), ['spark1']);
    expect(r).toMatchObject({
      code: 'weights_missing',
      details: { nodes: ['spark1'], incomplete: ['spark1'] },
    });
    expect(r?.message).toMatch(/incomplete on spark1 \(a download is still running or was interrupted\)/);
  });

  it('believes a fresh look over a snapshot that says missing (a download just finished), and says so', async () => {
    const { check, disagreed } = setup([node('spark1', 'present'), node('spark2', 'missing')], {
      spark2: { state: 'present', bytes: 9 },
    });
    expect(await check(model(), ['spark1', 'spark2'])).toBeNull();
    expect(disagreed).toEqual([['spark2']]);
  });

  it('asks again about a stale "present" and about an unknown node; still unknown → weights_unknown', async () => {
    const { check, probes } = setup([node('spark1', 'present', 10 * 60_000), node('spark2', 'unknown')], {
      spark1: { state: 'present', bytes: 1 },
      spark2: { state: 'unknown', error: 'spark2: timed out after 20 s' },
    });
    const r = await check(model(), ['spark1', 'spark2']);
    expect(probes.sort()).toEqual(['spark1', 'spark2']);
    expect(r?.code).toBe('weights_unknown');
    expect(r?.details).toMatchObject({ nodes: ['spark2'] });
    expect(r?.message).toMatch(/spark2 could not be asked .*timed out after 20 s/);
  });

  it('puts a certain "missing" before an unknown node: the download is needed either way', async () => {
    const { check } = setup(null, { spark1: { state: 'missing', bytes: 0 } });
    const r = await check(model(), ['spark1', 'spark2']);
    expect(r).toMatchObject({ code: 'weights_missing', details: { nodes: ['spark1'], unknown: ['spark2'] } });
  });

  it('never trusts a snapshot taken of another repo (the catalog entry changed)', async () => {
    const { check, probes } = setup(
      [node('spark1', 'present')],
      { spark1: { state: 'missing', bytes: 0 } },
      'org/old',
    );
    expect((await check(model({ mode: 'solo' }), ['spark1']))?.code).toBe('weights_missing');
    expect(probes).toEqual(['spark1']);
  });

  it('offers to copy, not download, for a local-path model', async () => {
    const { check } = setup(null, { spark1: { state: 'missing', bytes: 0 } });
    const r = await check(model({ repo: null, path: '/data/tune', mode: 'solo' }), ['spark1']);
    expect(r).toMatchObject({ code: 'weights_missing', details: { repo: null, path: '/data/tune' } });
    expect(r?.message).toMatch(/copy the directory to spark1/);
  });
});
