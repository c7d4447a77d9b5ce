// DeepHealthService with services registered at run time (an installed speech NIM): checked from
// when they appear, their results persisting like the configured ones', and everything about them
// dropped when they are removed — even a probe or a restart still under way then. Real job runner
// and store; a local HTTP server stands in for the speech service, the SSH seam records commands.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DEEP_SETTINGS,
  deepTestDb,
  fakeSpeechService,
  recordingTransport,
  removeDeepTestDbs,
} from '../../../../test/helpers/deep-health-service.js';
import { EventBus } from '../../platform/events/bus.js';
import { JobRunner } from '../../platform/jobs/runner.js';
import type { Db } from '../../platform/store/db.js';
import type { ProbeTarget } from './probes.js';
import { DeepHealthService } from './service.js';
import { DeepHealthStore } from './store.js';

const fake = fakeSpeechService('/v1/health/ready');
beforeAll(fake.start);
afterAll(fake.close);
afterEach(() => {
  fake.reset();
  removeDeepTestDbs();
});

const nimTarget = (container = 'parakeet-nim'): ProbeTarget => ({
  name: 'asr-nim',
  kind: 'asr',
  node: 'spark2',
  container,
  baseUrl: () => fake.base,
  healthUrl: () => `${fake.base}/v1/health/ready`,
  language: 'en-US',
});

const WEDGED = { status: 500, body: '{"error":"CUBLAS_STATUS_EXECUTION_FAILED"}' };

function setup(db: Db = deepTestDb('sc-deep-reg-')) {
  const bus = new EventBus();
  const runner = new JobRunner({ db, bus });
  const commands: string[] = [];
  const registered: ProbeTarget[] = [];
  const deep = new DeepHealthService({
    settings: DEEP_SETTINGS,
    targets: [],
    registered: () => [...registered],
    store: new DeepHealthStore(db),
    bus,
    runner,
    transport: recordingTransport(commands),
    report: () => {},
    vllm: () => Promise.reject(new Error('no vLLM here')),
    log: { error() {}, warn() {}, info() {} } as never,
    healthWaitMs: 5000,
  });
  /** What the registry's onChange does: the list changed, deep health is told. */
  const set = (ts: ProbeTarget[]) => {
    registered.splice(0, registered.length, ...ts);
    deep.registryChanged();
  };
  const add = (t: ProbeTarget) => set([...registered, t]);
  const remove = () => set([]);
  const jobsDone = () =>
    expect.poll(() => runner.list({ kind: 'auto-restart' }).every((j) => j.state !== 'running')).toBe(true);
  return { db, deep, runner, commands, set, add, remove, jobsDone };
}

describe('DeepHealthService with registered services', () => {
  it('checks one from when it is registered and keeps its result across a restart', async () => {
    const { db, deep, add } = setup();
    expect(deep.names()).toEqual([]);
    add(nimTarget());
    expect(deep.names()).toEqual(['asr-nim']);
    const r = await deep.run('asr-nim', 'manual');
    expect(r).toMatchObject({ service: 'asr-nim', outcome: 'ok' });
    expect(deep.snapshot().services['asr-nim']?.last).toEqual(r);

    // A new control plane on the same database, the service still registered.
    const again = setup(db);
    again.add(nimTarget());
    expect(again.deep.deepHealthOf('asr-nim')?.last).toEqual(r);
  });

  it('forgets a removed one: no checks, no card line, no saved result if it comes back', async () => {
    const { db, deep, add, remove } = setup();
    add(nimTarget());
    await deep.run('asr-nim', 'manual');
    remove();
    expect(deep.names()).toEqual([]);
    expect(deep.deepHealthOf('asr-nim')).toBeNull();
    expect(() => deep.run('asr-nim', 'manual')).toThrow(/No deep-checked service named "asr-nim"/);
    expect(new DeepHealthStore(db).lastResults().has('asr-nim')).toBe(false);
    add(nimTarget());
    expect(deep.deepHealthOf('asr-nim')?.last).toBeNull();
  });

  it('records and restarts nothing for a probe whose service was removed meanwhile', async () => {
    const { db, deep, runner, commands, add, remove } = setup();
    add(nimTarget());
    fake.answer = { ...WEDGED, delayMs: 100 };
    const pending = deep.run('asr-nim', 'gateway');
    remove();
    expect((await pending).outcome).toBe('failed');
    expect(runner.list({ kind: 'auto-restart' })).toEqual([]);
    expect(commands).toEqual([]);
    expect(new DeepHealthStore(db).lastResults().has('asr-nim')).toBe(false);
  });

  it('restarts its own container on a wedge, and a removal mid-restart ends without a recheck', async () => {
    const { deep, commands, add, remove, jobsDone } = setup();
    add(nimTarget());
    fake.answer = WEDGED;
    const before = fake.probes;
    const r = await deep.run('asr-nim', 'manual');
    expect(r).toMatchObject({ outcome: 'failed', wedge_signature: 'CUBLAS_STATUS_EXECUTION_FAILED' });
    remove();
    await jobsDone();
    expect(commands).toEqual(['docker restart parakeet-nim']);
    // The restart's own check would have been a second probe; a removed service gets none.
    expect(fake.probes - before).toBe(1);
    expect(deep.deepHealthOf('asr-nim')).toBeNull();
  });

  it('treats one re-registered on another container as new (its old result is not its own)', async () => {
    const { deep, set } = setup();
    set([nimTarget('parakeet-nim')]);
    await deep.run('asr-nim', 'manual');
    // The same name, now another container (the registry replaces a custom service in place).
    set([nimTarget('parakeet-nim-2')]);
    expect(deep.deepHealthOf('asr-nim')).toMatchObject({ last: null });
    expect(deep.target('asr-nim').container).toBe('parakeet-nim-2');
  });
});
