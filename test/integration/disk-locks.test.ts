// The delete's job locks against a download (DL's `download:<node>`), on the real job runner and
// the real SSH transport to the simulator: a held download lock refuses the delete with 409 naming
// the download, and a running delete holds `download:<node>` itself so no download starts mid-delete.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiskService } from '../../src/server/modules/disk/service.js';
import { DiskSnapshot } from '../../src/server/modules/disk/snapshot.js';
import { AppError } from '../../src/server/platform/http/errors.js';
import { JobRunner } from '../../src/server/platform/jobs/runner.js';
import { hubDir, modelRepo, writeHfRepo } from '../../src/sim/hf-cache.js';
import { startTestCluster, type TestCluster } from '../helpers/harness.js';

describe('disk delete vs the download lock', () => {
  let c: TestCluster;
  let runner: JobRunner;
  let service: DiskService;
  const reports: { subject: string; ok: boolean }[] = [];
  let vllm = 'idle';

  beforeAll(async () => {
    c = await startTestCluster({ startSamplers: false });
    runner = new JobRunner({ db: c.db });
    const nodes = ['spark1', 'spark2'];
    const snapshot = new DiskSnapshot({
      nodes,
      transport: c.transport,
      models: () => [],
      nodeDown: () => null,
      intervalMs: 60_000,
    });
    service = new DiskService({
      nodes,
      transport: c.transport,
      runner,
      snapshot,
      model: () => {
        throw new AppError('NOT_FOUND', 'no catalog here');
      },
      loadedModel: () => null,
      vllmState: () => vllm,
      vllmNodes: nodes,
      nodeDown: () => null,
      report: (r) => reports.push(r),
    });
  });
  afterAll(async () => {
    await runner?.shutdown();
    await c?.close();
  });

  it('refuses while a download holds the node, naming it, and deletes once it is gone', async () => {
    const home = c.sim.nodes.find((n) => n.name === 'spark2')!.home;
    writeHfRepo(home, modelRepo('org/held', 3e9));
    let finish = () => {};
    const download = runner.start({
      kind: 'download',
      locks: ['download:spark2'],
      title: 'a download of org/other onto spark2',
      run: () => new Promise<void>((r) => (finish = r)),
    });
    const err = await service.deleteRepo('spark2', 'org', 'held').then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('CONFLICT');
    expect((err as AppError).message).toMatch(/^A download \(job [^)]+\) is running on spark2/);
    expect((err as AppError).message).toContain(download.id);
    expect(existsSync(join(hubDir(home), 'models--org--held'))).toBe(true);

    finish();
    await download.done;
    const res = await service.deleteRepo('spark2', 'org', 'held');
    expect(res.nodes).toEqual([
      { node: 'spark2', ok: true, existed: true, freed_bytes: expect.any(Number), error: null },
    ]);
    expect(res.freed_bytes).toBeGreaterThanOrEqual(3e9);
    expect(existsSync(join(hubDir(home), 'models--org--held'))).toBe(false);
    expect(reports).toContainEqual(
      expect.objectContaining({ subject: 'spark2', ok: true, source: 'disk-delete' }),
    );
  });

  it('holds download:<node> and node:<node> while it deletes, so a download cannot start', async () => {
    const home = c.sim.nodes.find((n) => n.name === 'spark1')!.home;
    writeHfRepo(home, modelRepo('org/busy', 1e9));
    const pending = service.deleteRepo('spark1', 'org', 'busy');
    const job = runner.list({ kind: 'disk-delete' }).find((j) => j.state === 'running');
    expect(job?.locks).toEqual(['download:spark1', 'node:spark1']);
    expect(() => runner.start({ kind: 'download', locks: ['download:spark1'], run: async () => {} })).toThrow(
      /disk delete of org\/busy is running/,
    );
    await pending;
    expect(runner.holder('download:spark1')).toBeNull();
  });

  it('refuses while vLLM is unknown or loading: nobody can say its weights are not in use', async () => {
    const home = c.sim.nodes.find((n) => n.name === 'spark1')!.home;
    writeHfRepo(home, modelRepo('org/maybe-used', 1e9));
    for (const state of ['unknown', 'loading']) {
      vllm = state;
      const err = await service.deleteRepo('spark1', 'org', 'maybe-used').then(
        () => null,
        (e: unknown) => e,
      );
      expect((err as AppError).code).toBe('CONFLICT');
      expect((err as AppError).message).toMatch(/weights may be in use/);
    }
    vllm = 'idle';
    expect(existsSync(join(hubDir(home), 'models--org--maybe-used'))).toBe(true);
    expect((await service.deleteRepo('spark1', 'org', 'maybe-used')).freed_bytes).toBeGreaterThanOrEqual(1e9);
  });
});
