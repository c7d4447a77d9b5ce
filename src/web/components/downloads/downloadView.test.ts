import { describe, expect, it } from 'vitest';
import type { JobInfo } from '../../../common/api.js';
import type { DownloadNodeProgress } from '../../../common/downloads-api.js';
import { actionsFor, catalogFormFor, formatEta, formatRate, keyFromRepo, nodeRows } from './downloadView.js';

const part = (node: string, p: Partial<DownloadNodeProgress>): DownloadNodeProgress => ({
  node,
  state: 'running',
  bytes: 0,
  total: null,
  rate_bps: null,
  eta_s: null,
  error: null,
  cli: 'hf',
  ...p,
});

const job = (state: JobInfo['state'], nodes: DownloadNodeProgress[]): JobInfo => ({
  id: 'j1',
  kind: 'download',
  state,
  phase: '',
  progress: null,
  error: null,
  started_at: '2026-12-01T00:00:00Z',
  finished_at: null,
  locks: [],
  meta: { repo: 'Qwen/Qwen3-0.6B', nodes: Object.fromEntries(nodes.map((n) => [n.node, n])) },
});

describe('download view', () => {
  it('rows: percent, sizes, rate and ETA while running; unknown size has no percent', () => {
    const rows = nodeRows(
      job('running', [
        part('spark1', { bytes: 5e8, total: 2e9, rate_bps: 1e8, eta_s: 15 }),
        part('spark2', { bytes: 0 }),
      ]),
    );
    expect(rows[0]).toMatchObject({
      pct: 25,
      sizes: '0.50 GB of 2.00 GB',
      speed: '100 MB/s',
      eta: '15 s left',
    });
    expect(rows[1]).toMatchObject({ pct: null, sizes: '', speed: '', eta: '' });
  });

  it('a part left running by an interrupted job reads as interrupted, and can be retried', () => {
    const j = job('interrupted', [
      part('spark1', { bytes: 1e9, total: 2e9 }),
      part('spark2', { state: 'succeeded', bytes: 2e9, total: 2e9 }),
    ]);
    expect(nodeRows(j)[0]).toMatchObject({ state: 'failed', error: 'interrupted (interrupted)', eta: '' });
    expect(actionsFor(j)).toEqual({ cancel: false, retry: true, addToCatalog: true });
    expect(actionsFor(job('running', [part('spark1', {})]))).toEqual({
      cancel: true,
      retry: false,
      addToCatalog: false,
    });
    expect(actionsFor(null)).toEqual({ cancel: false, retry: false, addToCatalog: false });
  });

  it('the catalog form is pre-filled with the repo, a key, the size and default knobs', () => {
    const f = catalogFormFor(
      job('succeeded', [part('spark1', { state: 'succeeded', bytes: 1.53e9, total: 1.53e9 })]),
    )!;
    expect(f).toMatchObject({
      key: 'qwen3-0-6b',
      display_name: 'Qwen3-0.6B',
      repo: 'Qwen/Qwen3-0.6B',
      source: 'repo',
      size_gb: '1.5',
      vllm_args: '',
      mode: 'solo',
    });
    expect(keyFromRepo('org/---')).toBe('model');
  });

  it.each([
    [null, ''],
    [0, ''],
    [2.5e9, '2.5 GB/s'],
    [1.2e7, '12 MB/s'],
  ])('formatRate(%s) = %j', (v, s) => expect(formatRate(v)).toBe(s));

  it.each([
    [null, ''],
    [5, '5 s left'],
    [125, '2 min 5 s left'],
    [7260, '2 h 1 min left'],
  ])('formatEta(%s) = %j', (v, s) => expect(formatEta(v)).toBe(s));
});
