// What never restarts, against the simulator over real SSH: a job holding the container's lock
// (or, for vLLM, the swap's locks), a probe that times out, and vLLM with no model loaded (skipped,
// not failed). The service is built here on the real job runner, transport, status checks and
// store, so a test can hold a lock; the app's own instance answers the HTTP part.
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBus } from '../../src/server/platform/events/bus.js';
import { JobRunner } from '../../src/server/platform/jobs/runner.js';
import { ConnectivityLog } from '../../src/server/modules/connectivity/log.js';
import { StatusService } from '../../src/server/modules/health/status-service.js';
import { probeTargets } from '../../src/server/modules/deep-health/index.js';
import type { ProbeTarget } from '../../src/server/modules/deep-health/probes.js';
import { DeepHealthService, type DeepHealthSettings } from '../../src/server/modules/deep-health/service.js';
import { DeepHealthStore } from '../../src/server/modules/deep-health/store.js';
import type { DeepCheckResult } from '../../src/common/services-api.js';
import { startDeepCluster, type DeepCluster } from '../helpers/deep-health.js';
import { DEEP_SETTINGS } from '../helpers/deep-health-service.js';
import { waitFor } from '../helpers/harness.js';

describe('deep health: what never restarts', () => {
  let c: DeepCluster;
  let runner: JobRunner;
  let silent: Server;
  let silentPort = 0;
  const build = (targets: ProbeTarget[], settings: Partial<DeepHealthSettings> = {}) => {
    const bus = new EventBus();
    const status = new StatusService({ config: c.config, bus, intervalMs: 60_000 });
    const connectivity = new ConnectivityLog({ db: c.db, bus });
    return new DeepHealthService({
      settings: { ...DEEP_SETTINGS, ...settings },
      targets,
      store: new DeepHealthStore(c.db),
      bus,
      runner,
      transport: c.transport,
      report: (r) => connectivity.report(r),
      vllm: () => status.checkVllm(),
      log: c.app.log,
      healthWaitMs: 20_000,
    });
  };
  const targets = () =>
    probeTargets(c.config, new StatusService({ config: c.config, bus: new EventBus(), intervalMs: 60_000 }));
  const target = (name: string) => targets().find((t) => t.name === name)!;
  /** Holds `locks` until the returned function is called. */
  const hold = (locks: string[]) => {
    let release = () => {};
    const job = runner.start({
      kind: 'test-hold',
      locks,
      title: 'a test job',
      run: () => new Promise<void>((r) => (release = r)),
    });
    return async () => {
      release();
      await job.done;
    };
  };

  beforeAll(async () => {
    c = await startDeepCluster({}, { startSamplers: false });
    runner = new JobRunner({ db: c.db });
    silent = createServer(() => {}); // accepts, never answers: a hung service
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    silentPort = (silent.address() as { port: number }).port;
  });
  afterAll(async () => {
    await runner?.shutdown();
    silent?.close();
    await c?.close();
  });

  it('refuses to restart while a job holds the container lock, and restarts once it ends', async () => {
    const deep = build([target('parakeet')]);
    c.sim.faults.parakeetWedge(true);
    const release = hold(['container:spark2:parakeet-asr']);
    const r = await deep.run('parakeet', 'manual');
    expect(r).toMatchObject({ outcome: 'failed', wedge_signature: 'CUBLAS_STATUS_EXECUTION_FAILED' });
    expect(runner.list({ kind: 'auto-restart' })).toHaveLength(0);
    expect(deep.autoRestart('parakeet')).toMatchObject({ restarts_in_window: 0, paused: false });
    await release();
    await deep.run('parakeet', 'manual');
    await waitFor(() => runner.list({ kind: 'auto-restart' }).find((j) => j.state === 'succeeded'));
    expect(c.restarts('parakeet-asr')).toBe(1);
  });

  it("refuses to restart vLLM while a swap's locks are held", async () => {
    const deep = build([target('vllm')]);
    c.sim.faults.vllmError(500);
    try {
      for (const lock of ['node:spark1', 'gpu']) {
        const release = hold([lock]);
        const r = await deep.run('vllm', 'manual');
        await release();
        expect(r).toMatchObject({ outcome: 'failed', http_status: 500 });
      }
    } finally {
      c.sim.faults.vllmError(null);
    }
    expect(runner.list({ kind: 'auto-restart' }).filter((j) => j.meta.service === 'vllm')).toHaveLength(0);
    expect(c.restarts('vllm_node')).toBe(0);
  });

  it('fails a probe that times out, without a restart', async () => {
    const hung: ProbeTarget = {
      ...target('parakeet'),
      name: 'hung',
      baseUrl: () => `http://127.0.0.1:${silentPort}`,
    };
    const deep = build([hung], { timeout_s: 0.3 });
    const r: DeepCheckResult = await deep.run('hung', 'manual');
    expect(r).toMatchObject({
      outcome: 'failed',
      http_status: null,
      wedge_signature: null,
      latency_ms: null,
    });
    expect(r.error).toBe('no answer within 0.3 s');
    expect(runner.list({ kind: 'auto-restart' }).filter((j) => j.meta.service === 'hung')).toHaveLength(0);
  });

  it('fails a refused connection, without a restart', async () => {
    const gone: ProbeTarget = { ...target('parakeet'), name: 'gone', baseUrl: () => 'http://127.0.0.1:1' };
    const r = await build([gone]).run('gone', 'manual');
    expect(r).toMatchObject({ outcome: 'failed', http_status: null });
    expect(r.error).toMatch(/^connection failed \(ECONNREFUSED\)/);
    expect(runner.list({ kind: 'auto-restart' }).filter((j) => j.meta.service === 'gone')).toHaveLength(0);
  });

  it('skips vLLM with no model loaded (idle) and never restarts it, even with generation failing', async () => {
    expect(c.sim.faults.vllmDie('RuntimeError: test ends the engine')).toBe(true);
    c.sim.faults.vllmError(500);
    try {
      const r = await waitFor(async () => {
        const x = await c.run('vllm');
        return x.body.outcome === 'skipped' ? x : null;
      });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({
        outcome: 'skipped',
        error: 'no model loaded (idle)',
        http_status: null,
      });
      const info = (await c.deepHealth()).services.vllm!;
      expect(info.last?.outcome).toBe('skipped');
      expect(info.auto_restart.restarts_in_window).toBe(0);
    } finally {
      c.sim.faults.vllmError(null);
    }
    expect(c.restarts('vllm_node')).toBe(0);
  });
});
