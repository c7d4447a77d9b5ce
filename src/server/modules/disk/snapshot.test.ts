// The memoized disk-status answer: the JSON text the route sends is the answer, and it is rebuilt
// whenever a scan, a node's reachability or the models list changes — never served stale.
import { describe, expect, it } from 'vitest';
import type { ExecResult, NodeTransport } from '../../platform/remote/transport.js';
import { DiskSnapshot, type DiskModel } from './snapshot.js';

const scanOutput = (blobs: string[]) =>
  [
    '@@df',
    ' 3936260341760 1234567890 /',
    ' 3936260341760 1234567890 /home/spark',
    '@@paths',
    `@@repos\n${['X', 'D\tmodels--org--a', ...blobs, 'S\tmodels--org--a/snapshots/abc/config.json'].map((x) => `${x}\0`).join('')}@@end\0`,
  ].join('\n');

function setup() {
  const state = { blobs: ['B\t5000\tmodels--org--a/blobs/aa'], down: null as string | null };
  const transport = {
    exec: async (): Promise<ExecResult> => ({ code: 0, stdout: scanOutput(state.blobs), stderr: '' }),
  } as unknown as NodeTransport;
  let models: DiskModel[] = [{ key: 'a', repo: 'org/a', path: null, nodes: ['n1'] }];
  const snap = new DiskSnapshot({
    nodes: ['n1'],
    transport,
    models: () => models,
    nodeDown: (n) => (n === 'n1' ? state.down : null),
    intervalMs: 3_600_000,
  });
  return { snap, state, setModels: (m: DiskModel[]) => (models = m) };
}

const n1 = (snap: DiskSnapshot) =>
  (JSON.parse(snap.modelStatusJson()) as ReturnType<DiskSnapshot['modelStatus']>).models[0]?.nodes[0];

describe('DiskSnapshot.modelStatusJson', () => {
  it('is the model status as JSON, serialized once while nothing changes', async () => {
    const { snap } = setup();
    await snap.refresh();
    const text = snap.modelStatusJson();
    expect(JSON.parse(text)).toEqual(snap.modelStatus());
    expect(snap.modelStatusJson()).toBe(text);
    expect(n1(snap)).toMatchObject({ state: 'present', bytes: 5000 });
  });

  it('is rebuilt after a scan, a node going down and a new models list', async () => {
    const { snap, state, setModels } = setup();
    await snap.refresh();
    snap.modelStatusJson();
    state.blobs = ['B\t7000\tmodels--org--a/blobs/aa.incomplete'];
    await snap.refresh();
    expect(n1(snap)).toMatchObject({ state: 'incomplete', bytes: 7000 });

    state.down = 'n1: connection refused';
    expect(n1(snap)).toMatchObject({ state: 'unknown', error: 'n1: connection refused' });
    state.down = null;
    expect(n1(snap)).toMatchObject({ state: 'incomplete' });

    setModels([{ key: 'b', repo: 'org/b', path: null, nodes: ['n1'] }]);
    const status = JSON.parse(snap.modelStatusJson()) as ReturnType<DiskSnapshot['modelStatus']>;
    expect(status.models.map((m) => m.key)).toEqual(['b']);
    expect(status.models[0]?.nodes[0]).toMatchObject({ state: 'missing' });
  });
});
