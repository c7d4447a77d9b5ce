import { describe, expect, it } from 'vitest';
import type { ModelDiskNode, ModelDiskStatus } from '../../../common/disk-api.js';
import { deletePlan, diskPill, diskPills, downloadOffer, lackingNodes } from './diskView.js';

const n = (node: string, o: Partial<ModelDiskNode>): ModelDiskNode => ({
  node,
  state: 'missing',
  present: false,
  bytes: 0,
  complete: false,
  needed: true,
  error: null,
  checked_at: null,
  ...o,
});
const model = (nodes: ModelDiskNode[]): ModelDiskStatus => ({ key: 'k', repo: 'o/n', path: null, nodes });

describe('diskPill', () => {
  it.each([
    [n('spark1', { state: 'present', bytes: 18e9, complete: true }), 'spark1: 18.0 GB', 'pill pill-ok'],
    [n('spark1', { state: 'incomplete', bytes: 5e9 }), 'spark1: incomplete', 'pill pill-warn'],
    [n('spark1', {}), 'spark1: missing', 'pill pill-danger'],
    [
      n('spark1', { state: 'unknown', bytes: null, error: 'spark1: connection refused' }),
      'spark1: unknown',
      'pill pill-muted',
    ],
  ])('%#', (node, label, className) => expect(diskPill(node)).toMatchObject({ label, className }));

  it('says why a node is unknown', () => {
    expect(diskPill(n('spark2', { state: 'unknown', error: 'spark2: connection refused' })).title).toBe(
      'spark2: connection refused',
    );
  });
});

describe('diskPills', () => {
  it('shows the nodes the model runs on and any other node holding it', () => {
    const pills = diskPills(
      model([
        n('spark1', {}),
        n('spark2', { needed: false }),
        n('spark3', { needed: false, state: 'present', bytes: 1 }),
      ]),
    );
    expect(pills.map((p) => p.node)).toEqual(['spark1', 'spark3']);
  });
});

describe('deletePlan', () => {
  it('counts what the delete frees on the nodes it touches', () => {
    const plan = deletePlan(
      model([
        n('spark1', { state: 'present', bytes: 10 }),
        n('spark2', { state: 'incomplete', bytes: 5 }),
        n('spark3', { state: 'unknown', bytes: null }),
        n('spark4', { state: 'present', bytes: 99, needed: false }),
      ]),
    );
    expect(plan).toEqual({
      nodes: [
        { node: 'spark1', bytes: 10 },
        { node: 'spark2', bytes: 5 },
      ],
      total: 15,
      unknown: ['spark3'],
    });
  });
});

describe('lackingNodes', () => {
  it('names needed nodes that are missing or incomplete, never unknown or unneeded ones', () => {
    const m = model([
      n('spark1', { state: 'present', complete: true }),
      n('spark2', {}),
      n('spark3', { state: 'incomplete' }),
      n('spark4', { state: 'unknown' }),
      n('spark5', { needed: false }),
    ]);
    expect(lackingNodes(m)).toEqual(['spark2', 'spark3']);
    expect(lackingNodes(model([n('spark1', { state: 'present' })]))).toEqual([]);
    expect(lackingNodes(undefined)).toEqual([]);
  });
});

describe('downloadOffer', () => {
  it('offers the download for weights_missing with a repo and nodes only', () => {
    expect(downloadOffer({ code: 'weights_missing', repo: 'o/n', nodes: ['spark2'] })).toEqual({
      repo: 'o/n',
      nodes: ['spark2'],
    });
    expect(downloadOffer({ code: 'weights_missing', repo: null, path: '/x', nodes: ['spark2'] })).toBeNull();
    expect(downloadOffer({ code: 'weights_unknown', repo: 'o/n', nodes: ['spark2'] })).toBeNull();
    expect(downloadOffer({ code: 'weights_missing', repo: 'o/n', nodes: [] })).toBeNull();
    expect(downloadOffer(undefined)).toBeNull();
    expect(downloadOffer('weights_missing')).toBeNull();
  });
});
