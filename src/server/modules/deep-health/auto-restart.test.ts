// The vLLM branch of acting on a failed check: relaunch through the swap engine (a stand-in for
// the `relaunchVllm` dep app.ts wires to swap/relaunch.ts), on a real job runner and store, with a
// local HTTP server standing in for vLLM. `docker restart` must never be issued for vLLM.
import { createServer, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DEEP_SETTINGS,
  deepTestDb,
  recordingTransport,
  removeDeepTestDbs,
} from '../../../../test/helpers/deep-health-service.js';
import { EventBus } from '../../platform/events/bus.js';
import { JobRunner } from '../../platform/jobs/runner.js';
import type { RelaunchVllm, VllmRelaunch } from './auto-restart.js';
import type { ProbeTarget } from './probes.js';
import { DeepHealthService } from './service.js';
import { DeepHealthStore } from './store.js';

let server: Server;
let base = '';
let answer = { status: 500, body: '{"error":{"message":"EngineCore encountered an issue."}}' };
const WEDGED = { status: 500, body: '{"error":{"message":"RuntimeError: Engine core init failed"}}' };
const HEALTHY = { status: 200, body: '{"choices":[{"text":"hi"}]}' };

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

afterEach(removeDeepTestDbs);

function setup(relaunch?: (runner: JobRunner) => RelaunchVllm) {
  const db = deepTestDb('sc-deep-relaunch-');
  const runner = new JobRunner({ db, bus: new EventBus() });
  const commands: string[] = [];
  const reports: { ok: boolean; error?: string | null }[] = [];
  const transport = recordingTransport(commands);
  const target: ProbeTarget = {
    name: 'vllm',
    kind: 'vllm',
    node: 'spark1',
    container: 'vllm_node',
    baseUrl: () => `${base}/v1`,
    healthUrl: () => `${base}/health`,
  };
  const clock = { now: Date.now() };
  const deep = new DeepHealthService({
    settings: DEEP_SETTINGS,
    targets: [target],
    store: new DeepHealthStore(db),
    bus: new EventBus(),
    runner,
    transport,
    report: (r) => reports.push(r),
    vllm: async () => ({ state: 'loaded', model: 'org/model', models: ['org/model'] }) as never,
    log: { error() {}, warn() {}, info() {} } as never,
    now: () => clock.now,
    relaunchVllm: relaunch?.(runner),
  });
  return { deep, runner, commands, reports, clock };
}

const refusing =
  (reason: string, calls: { n: number }): ((r: JobRunner) => RelaunchVllm) =>
  () =>
  async () => {
    calls.n++;
    return { started: false, reason };
  };

/** A relaunch that starts a swap-like job holding the swap's locks; `finish` ends it. */
function startingSwap() {
  const calls = { n: 0 };
  let finish: (ok: boolean) => void = () => {};
  const make =
    (runner: JobRunner): RelaunchVllm =>
    async (): Promise<VllmRelaunch> => {
      calls.n++;
      const h = runner.start({
        kind: 'swap',
        locks: ['gpu', 'node:spark1'],
        title: 'a model swap to Model',
        run: () =>
          new Promise<void>((resolve, reject) => {
            finish = (ok) => (ok ? resolve() : reject(new Error('load failed')));
          }),
      });
      return { started: true, reason: `relaunching model (swap ${h.id})`, job_id: h.id };
    };
  return { calls, make, finish: (ok: boolean) => finish(ok) };
}

describe('AutoRestarter: vLLM is relaunched through the swap engine', () => {
  it('refuses when the loaded model has no catalog entry: not counted, reported once per reason', async () => {
    const calls = { n: 0 };
    const why = 'the loaded model org/model has no catalog entry (launched by hand?)';
    const { deep, runner, commands, reports } = setup(refusing(why, calls));
    answer = WEDGED;
    const r = await deep.run('vllm', 'manual');
    expect(r).toMatchObject({ outcome: 'failed', wedge_signature: 'Engine core init failed' });
    await deep.run('vllm', 'schedule');
    expect(calls.n).toBe(2);
    expect(deep.autoRestart('vllm')).toMatchObject({ restarts_in_window: 0, paused: false });
    const refusals = reports.filter((x) => x.error?.includes('relaunch refused'));
    expect(refusals).toHaveLength(1);
    expect(refusals[0]!.error).toContain('no catalog entry');
    expect(commands).toEqual([]);
    expect(runner.list({ kind: 'auto-restart' })).toHaveLength(0);
  });

  it('refuses when a swap is running: the decision sees its locks and never asks for a relaunch', async () => {
    const calls = { n: 0 };
    const { deep, runner, commands } = setup(refusing('unused', calls));
    let release = () => {};
    const swap = runner.start({
      kind: 'swap',
      locks: ['gpu', 'node:spark1'],
      title: 'a model swap to Other',
      run: () => new Promise<void>((r) => (release = r)),
    });
    answer = WEDGED;
    await deep.run('vllm', 'manual');
    release();
    await swap.done;
    expect(calls.n).toBe(0);
    expect(commands).toEqual([]);
    expect(deep.autoRestart('vllm').restarts_in_window).toBe(0);
  });

  it('refuses when the swap engine says a swap is running (it started after the check)', async () => {
    const calls = { n: 0 };
    const { deep, reports } = setup(refusing('a swap to Other is running (swap_x)', calls));
    answer = { status: 500, body: 'boom' };
    await deep.run('vllm', 'manual');
    expect(calls.n).toBe(1);
    expect(deep.autoRestart('vllm').restarts_in_window).toBe(0);
    expect(reports.at(-1)?.error).toBe(
      'automatic relaunch refused (HTTP 500): a swap to Other is running (swap_x)',
    );
  });

  it('counts a relaunch that could not start because the dep threw, as a refusal', async () => {
    const { deep, reports } = setup(() => () => Promise.reject(new Error('database is locked')));
    answer = WEDGED;
    await deep.run('vllm', 'manual');
    expect(deep.autoRestart('vllm').restarts_in_window).toBe(0);
    expect(reports.at(-1)?.error).toContain('could not start: database is locked');
  });

  it('counts a started relaunch once, checks again after it, and keeps to the cooldown', async () => {
    const s = startingSwap();
    const { deep, runner, commands, reports, clock } = setup(s.make);
    answer = WEDGED;
    await deep.run('vllm', 'manual');
    expect(s.calls.n).toBe(1);
    expect(deep.autoRestart('vllm')).toMatchObject({ restarts_in_window: 1 });
    expect(reports.at(-1)?.error).toMatch(/^automatic relaunch of the loaded model: wedge signature/);
    // While it runs, another failed check does not relaunch again.
    await deep.run('vllm', 'gateway');
    expect(s.calls.n).toBe(1);
    answer = HEALTHY;
    s.finish(true);
    await expect.poll(() => deep.deepHealthOf('vllm')?.last?.trigger).toBe('restart');
    expect(deep.deepHealthOf('vllm')?.last?.outcome).toBe('ok');
    // Wedged again a minute later: the cooldown (120 s) refuses, exactly as for a restart.
    answer = WEDGED;
    clock.now += 60_000;
    await deep.run('vllm', 'manual');
    expect(s.calls.n).toBe(1);
    clock.now += 61_000;
    await deep.run('vllm', 'manual');
    expect(s.calls.n).toBe(2);
    expect(deep.autoRestart('vllm').restarts_in_window).toBe(2);
    s.finish(false);
    await expect.poll(() => runner.list({ kind: 'swap' }).every((j) => j.state !== 'running')).toBe(true);
    expect(commands).toEqual([]);
  });

  it('never acts on vLLM without a relaunch dep (and never runs docker restart)', async () => {
    const { deep, commands, reports } = setup();
    answer = WEDGED;
    await deep.run('vllm', 'manual');
    expect(commands).toEqual([]);
    expect(deep.autoRestart('vllm').restarts_in_window).toBe(0);
    expect(reports.at(-1)?.error).toContain('no swap engine');
  });
});
