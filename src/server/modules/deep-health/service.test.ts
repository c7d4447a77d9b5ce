// DeepHealthService on a real job runner and store, against a local HTTP server standing in for a
// speech service (it counts probes and answers what each test says). Only the SSH transport, the
// outermost seam, is a stand-in: it records `docker restart` commands or fails like a lost node.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DEEP_SETTINGS,
  deepTestDb,
  fakeSpeechService,
  recordingTransport,
  removeDeepTestDbs,
} from '../../../../test/helpers/deep-health-service.js';
import { EventBus } from '../../platform/events/bus.js';
import { AppError } from '../../platform/http/errors.js';
import { JobRunner } from '../../platform/jobs/runner.js';
import type { NodeTransport } from '../../platform/remote/transport.js';
import type { ProbeTarget } from './probes.js';
import { DeepHealthService } from './service.js';
import { DeepHealthStore } from './store.js';

const fake = fakeSpeechService('/health');
beforeAll(fake.start);
afterAll(fake.close);

afterEach(removeDeepTestDbs);

function setup(o: { exec?: NodeTransport['exec']; report?: () => void } = {}) {
  const db = deepTestDb('sc-deep-');
  const bus = new EventBus();
  const runner = new JobRunner({ db, bus });
  const commands: string[] = [];
  const reports: { ok: boolean; error?: string | null }[] = [];
  const transport = o.exec ? ({ exec: o.exec } as unknown as NodeTransport) : recordingTransport(commands);
  const target: ProbeTarget = {
    name: 'parakeet',
    kind: 'asr',
    node: 'spark2',
    container: 'parakeet-asr',
    baseUrl: () => fake.base,
    healthUrl: () => `${fake.base}/health`,
  };
  const silentLog = { error() {}, warn() {}, info() {} } as never;
  const deep = new DeepHealthService({
    settings: DEEP_SETTINGS,
    targets: [target],
    store: new DeepHealthStore(db),
    bus,
    runner,
    transport,
    report: o.report ?? ((r) => reports.push(r)),
    vllm: () => Promise.reject(new Error('no vLLM here')),
    log: silentLog,
    healthWaitMs: 5000,
  });
  const jobsDone = async () => {
    for (;;) {
      const jobs = runner.list({ kind: 'auto-restart' });
      if (jobs.every((j) => j.state !== 'running')) return jobs;
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const published: unknown[] = [];
  bus.subscribe((e) => {
    if (e.type === 'deep_health') published.push(e.data);
  });
  return { deep, runner, commands, reports, jobsDone, published };
}

describe('DeepHealthService', () => {
  it('joins concurrent checks of one service into one probe and one restart', async () => {
    const { deep, commands, jobsDone } = setup();
    fake.answer = { status: 500, body: '{"detail":"CUBLAS_STATUS_EXECUTION_FAILED"}', delayMs: 100 };
    fake.probes = 0;
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => deep.run('parakeet', 'gateway')));
    expect(fake.probes).toBe(1);
    expect(new Set(results).size).toBe(1);
    fake.answer = { status: 200, body: '{"text":""}' };
    await jobsDone();
    expect(commands).toEqual(['docker restart parakeet-asr']);
  });

  it('records and restarts nothing for a probe that outlives stop() (shutdown closes the database)', async () => {
    const { deep, commands, reports, published, runner } = setup();
    fake.answer = { status: 500, body: '{"detail":"CUBLAS_STATUS_EXECUTION_FAILED"}', delayMs: 100 };
    const pending = deep.run('parakeet', 'gateway');
    deep.stop();
    expect((await pending).outcome).toBe('failed');
    expect(published).toEqual([]);
    expect(reports).toEqual([]);
    expect(runner.list({ kind: 'auto-restart' })).toEqual([]);
    expect(commands).toEqual([]);
    fake.answer = { status: 200, body: '{"text":""}' };
  });

  it('restarts on a 500 whose text nobody predicted, and reports the recovery after it', async () => {
    const { deep, commands, reports, jobsDone, published } = setup();
    fake.answer = { status: 500, body: '<html>¯\\_(ツ)_/¯ segfault in libfoo.so</html>' };
    const r = await deep.run('parakeet', 'manual');
    expect(r).toMatchObject({ outcome: 'failed', http_status: 500, wedge_signature: null });
    expect(r.error).toContain('segfault in libfoo.so');
    fake.answer = { status: 200, body: '{"text":""}' };
    await jobsDone();
    await expect.poll(() => deep.deepHealthOf('parakeet')?.last?.trigger).toBe('restart');
    expect(commands).toHaveLength(1);
    expect(reports.map((x) => x.ok)).toEqual([false, false, true]);
    // Every result is a `deep_health` event for the dashboard: the failure, then the check after the restart.
    expect(published).toEqual([r, deep.deepHealthOf('parakeet')?.last]);
  });

  it('counts a restart whose SSH step throws, fails its job, and does not re-probe', async () => {
    const { deep, reports, jobsDone } = setup({
      exec: () => Promise.reject(new AppError('NODE_UNREACHABLE', 'spark2 is unreachable')),
    });
    fake.answer = { status: 500, body: 'cudaErrorUnknown' };
    await deep.run('parakeet', 'manual');
    const jobs = await jobsDone();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ state: 'failed', error: expect.stringContaining('unreachable') });
    // The attempt spent budget: a flaky node must not turn into a restart storm either.
    expect(deep.autoRestart('parakeet').restarts_in_window).toBe(1);
    expect(deep.deepHealthOf('parakeet')?.last?.trigger).toBe('manual');
    expect(reports.filter((x) => x.ok)).toHaveLength(0);
  });

  it('keeps the result when the connectivity log refuses a report', async () => {
    const { deep } = setup({
      report: () => {
        throw new Error('database is locked');
      },
    });
    fake.answer = { status: 503, body: '{"status":"not ready"}' };
    const r = await deep.run('parakeet', 'manual');
    expect(r).toMatchObject({ outcome: 'failed', http_status: 503 });
    expect(deep.deepHealthOf('parakeet')?.last).toEqual(r);
    expect(deep.snapshot().services.parakeet?.auto_restart.restarts_in_window).toBe(0);
  });

  it('answers 404 for a service it does not check', () => {
    const { deep } = setup();
    expect(() => deep.run('nope', 'manual')).toThrow(AppError);
    expect(deep.deepHealthOf('nope')).toBeNull();
  });
});
