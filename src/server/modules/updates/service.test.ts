// UpdateService over the real job runner and SQLite, with the SSH transport (the outermost seam)
// answering like a head node: phases in order, a failure keeping its phase, cancel mid-build, the
// rollback source, and records a restart cut off.
import { afterEach, describe, expect, it } from 'vitest';
import type { NodeConfig } from '../../config/types.js';
import { JobRunner } from '../../platform/jobs/runner.js';
import type { ExecResult, NodeTransport } from '../../platform/remote/transport.js';
import { closeTempStores, trackedTempDb } from '../../../../test/helpers/unit.js';
import { UpdateService } from './service.js';
import { UpdateSnapshot } from './snapshot.js';
import { UpdateStore, type StoredUpdate } from './store.js';

afterEach(closeTempStores);

const FROM = 'a'.repeat(40);
const TO = 'b'.repeat(40);
const node = (name: string): NodeConfig => ({
  name,
  host: `${name}.local`,
  user: 'u',
  ssh_port: 22,
  qsfp_ip: null,
  mac: null,
});

interface Fake {
  dirty: string;
  pullCode: number;
  /** Lines build-and-copy.sh prints; `hang` waits for the abort (a cancel mid-build). */
  build: string[] | 'hang';
  commands: string[];
}

function fakeTransport(f: Fake): NodeTransport {
  const ok = (stdout: string, code = 0): ExecResult => ({ code, stdout, stderr: '' });
  return {
    exec: async (n, cmd) => {
      const t = cmd.text;
      f.commands.push(`${n}: ${t}`);
      if (t.includes('git status --porcelain')) return ok(`${FROM}\n${f.dirty}`);
      if (t.includes('vllm-node vllm-node:rollback')) return ok(`tagged sha256:${n}\n`);
      if (t.includes('vllm-node:rollback vllm-node')) return ok(`restored sha256:${n}\n`);
      if (t.includes('git pull'))
        return f.pullCode ? ok('fatal: Not possible to fast-forward, aborting.', 1) : ok(`Updating\n${TO}\n`);
      if (t.includes('git reset --hard')) return ok(`HEAD is now at ${FROM.slice(0, 7)} first\n`);
      return ok('', 1);
    },
    stream: async (n, cmd, onLine, opts) => {
      f.commands.push(`${n}: ${cmd.text}`);
      if (f.build === 'hang') {
        onLine('Building vLLM from source', 'stdout');
        await new Promise((_, reject) =>
          opts?.signal?.addEventListener('abort', () => reject(opts.signal!.reason as Error)),
        );
      }
      for (const l of f.build) onLine(l, 'stdout');
      return { code: 0, stdout: '', stderr: '' };
    },
    state: () => ({ state: 'connected' }),
    retrust: async () => undefined,
    checkNow: async () => undefined,
    close: async () => undefined,
  };
}

function setup(over: Partial<Fake> = {}) {
  const db = trackedTempDb('sc-upd-');
  const f: Fake = {
    dirty: '',
    pullCode: 0,
    build: [
      'Building image with command: docker build',
      "Copying image 'vllm-node' to 1 host(s): spark2",
      'Done building vllm-node.',
    ],
    commands: [],
    ...over,
  };
  const transport = fakeTransport(f);
  const runner = new JobRunner({ db });
  const store = new UpdateStore(db);
  const closed: string[] = [];
  const svc = new UpdateService({
    runner,
    store,
    transport,
    snapshot: new UpdateSnapshot({
      transport,
      head: () => 'spark1',
      launcherDir: '~/spark-vllm-docker',
      intervalMs: 60_000,
    }),
    launcherDir: '~/spark-vllm-docker',
    nodes: [node('spark1'), node('spark2')],
    swaps: {
      runWithin: () => ({ id: 'swap_x', done: Promise.resolve() }),
      closeOrphan: (id) => void closed.push(id),
    },
    catalog: { snapshot: (key) => ({ key, display_name: key }) },
    loadedKey: () => null,
  });
  return { svc, runner, store, f, closed, db };
}

describe('UpdateService', () => {
  it('an update runs its phases in order on every node and copies to the peers', async () => {
    const { svc, runner, f } = setup();
    const started = await svc.apply({});
    const info = await runner.settled(started.job_id, 10_000);
    expect(info?.state).toBe('succeeded');
    const last = svc.current().last!;
    expect(last).toMatchObject({
      state: 'succeeded',
      phase: 'done',
      from_commit: FROM,
      to_commit: TO,
      rollback_image: 'vllm-node:rollback',
      smoke_result: 'skipped',
    });
    expect(Object.keys(last.timings)).toEqual(['preparing', 'pulling', 'building', 'copying']);
    expect(info?.meta.update).toMatchObject({ id: started.id, state: 'succeeded' });
    expect(
      f.commands
        .filter((c) => c.includes('docker tag'))
        .map((c) => c.split(':')[0])
        .sort(),
    ).toEqual(['spark1', 'spark2']);
    expect(f.commands.find((c) => c.includes('build-and-copy'))).toMatch(
      /^spark1: .*\.\/build-and-copy\.sh -c spark2\.local 2>&1$/s,
    );
    expect(svc.current().rollback_available).toBe(true);
  });

  it('a failed pull keeps its phase and error; the rollback goes back to the commit it started from', async () => {
    const { svc, runner, f } = setup({ pullCode: 1 });
    const a = await svc.apply({});
    expect((await runner.settled(a.job_id, 10_000))?.state).toBe('failed');
    expect(svc.current().last).toMatchObject({
      state: 'failed',
      phase: 'pulling',
      error: expect.stringMatching(/git pull --ff-only failed: fatal: Not possible to fast-forward/),
    });
    expect(svc.current().rollback_available).toBe(true);
    const r = await svc.rollback();
    expect((await runner.settled(r.job_id, 10_000))?.state).toBe('succeeded');
    expect(f.commands.some((c) => c.includes(`git reset --hard ${FROM}`))).toBe(true);
    expect(f.commands.filter((c) => c.includes('docker tag vllm-node:rollback vllm-node'))).toHaveLength(2);
    expect(svc.current()).toMatchObject({
      rollback_available: false,
      last: { kind: 'rollback', state: 'succeeded' },
    });
    await expect(svc.rollback()).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'There is no update to roll back',
    });
  });

  it('a dirty tree is a 409 listing the files, before any job or record', async () => {
    const { svc, runner } = setup({ dirty: ' M launch-cluster.sh\n' });
    await expect(svc.apply({})).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/uncommitted changes \(launch-cluster\.sh\)/),
    });
    expect(runner.list()).toEqual([]);
    expect(svc.current().last).toBeNull();
  });

  it('cancel mid-build: the build stream is aborted, the record cancelled in building; a second apply meanwhile is 409', async () => {
    const { svc, runner } = setup({ build: 'hang' });
    const a = await svc.apply({});
    await expect.poll(() => svc.current().last?.phase).toBe('building');
    await expect(svc.apply({})).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/launcher update is running/),
    });
    runner.cancel(a.job_id);
    expect((await runner.settled(a.job_id, 10_000))?.state).toBe('cancelled');
    expect(svc.current().last).toMatchObject({ state: 'cancelled', phase: 'building' });
  });

  it('records a restart cut off become interrupted, and their smoke-test swap is closed', () => {
    const { svc, store, closed } = setup();
    const r: StoredUpdate = {
      id: 'upd_1',
      job_id: 'upd_1',
      kind: 'update',
      state: 'running',
      phase: 'smoke_test',
      from_commit: FROM,
      to_commit: TO,
      rollback_image: 'vllm-node:rollback',
      smoke_model: 'm',
      smoke_result: null,
      smoke_swap_id: 'swap_9',
      error: null,
      started_at: new Date().toISOString(),
      finished_at: null,
      timings: {},
    };
    store.insert(r);
    svc.closeInterrupted();
    expect(store.get('upd_1')).toMatchObject({
      state: 'interrupted',
      phase: 'smoke_test',
      error: expect.stringMatching(/restarted during the update \(smoke_test\)/),
    });
    expect(closed).toEqual(['swap_9']);
    expect(svc.current().rollback_available).toBe(true);
  });
});
