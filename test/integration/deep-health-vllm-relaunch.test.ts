// A failing vLLM is healed by relaunching its model through the swap engine, never by `docker
// restart vllm_node` (with spark-vllm-docker the container's PID 1 is `sleep infinity`; vLLM is
// exec'd in by the launcher, so a restarted container would serve nothing). Against the simulator
// over real SSH and HTTP: vLLM answers 500 to generation while /v1/models still lists its model,
// a deep check fails, and a swap to the same catalog entry starts, ends `ready`, and vLLM serves
// again — with exactly one relaunch in the restart budget.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectivityResponse, JobInfo, StatusResponse, SwapInfo } from '../../src/common/api.js';
import { startDeepCluster, startupChecksDone, type DeepCluster } from '../helpers/deep-health.js';
import { getJson, waitFor } from '../helpers/harness.js';
import { finished, stopsSince } from './swap-helpers.js';

describe('deep health: vLLM relaunch through the swap engine', () => {
  let c: DeepCluster;
  beforeAll(async () => {
    c = await startDeepCluster({ startup_grace_s: 0 });
    await startupChecksDone(c);
  });
  afterAll(async () => {
    c?.sim.faults.vllmError(null);
    await c?.close();
  });

  const status = async () => (await getJson<StatusResponse>(`${c.url}/api/status`)).body;
  const swapJobs = async () => (await getJson<JobInfo[]>(`${c.url}/api/jobs?kind=swap`)).body;

  it('relaunches the loaded model once on a 500 and it serves again', async () => {
    const model = (await waitFor(async () => ((await status()).vllm.model ? status() : null))).vllm.model!;
    const swapsBefore = (await swapJobs()).length;
    const since = new Date().toISOString();

    c.sim.faults.vllmError(500);
    const r = await c.run('vllm');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ service: 'vllm', outcome: 'failed', http_status: 500 });

    // The relaunch is a swap to the same model: its own job, locks and log.
    const swap = await waitFor(async () => {
      const s = (await getJson<SwapInfo | null>(`${c.url}/api/swap/current`)).body;
      return s && s.model === model && s.previous_model === model ? s : null;
    });
    // The new engine is healthy (the sim's error fault belongs to the server, not the process).
    c.sim.faults.vllmError(null);
    const done = await finished(c, swap.id, 90_000);
    expect(done.state).toBe('ready');
    expect(stopsSince(c, since)).toBeGreaterThanOrEqual(1);

    // Serving again: status shows the model and a real completion answers.
    await waitFor(async () => ((await status()).vllm.model === model ? true : null));
    const gen = await fetch(`${c.sim.vllm.url}/v1/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model, prompt: 'hi', max_tokens: 1 }),
    });
    expect(gen.status).toBe(200);

    // The check after the relaunch passes; one relaunch in the budget; no docker restart, no
    // auto-restart job, and exactly one new swap job.
    const after = await waitFor(async () => {
      const v = (await c.deepHealth()).services.vllm!;
      return v.last?.trigger === 'restart' ? v : null;
    });
    expect(after.last?.outcome).toBe('ok');
    expect(after.auto_restart.restarts_in_window).toBe(1);
    expect(c.restarts('vllm_node')).toBe(0);
    const autoRestarts = (await getJson<JobInfo[]>(`${c.url}/api/jobs?kind=auto-restart`)).body;
    expect(autoRestarts).toHaveLength(0);
    const jobs = await swapJobs();
    expect(jobs).toHaveLength(swapsBefore + 1);
    const job = jobs.find((j) => j.id === swap.id);
    expect(job?.state).toBe('succeeded');
    expect(String(job?.meta.origin)).toMatch(/^Requested by deep health/);

    const events = (await getJson<ConnectivityResponse>(`${c.url}/api/connectivity?limit=1000`)).body.events;
    const relaunches = events.filter(
      (e) => e.kind === 'report' && e.subject === 'vllm' && /automatic relaunch of/.test(e.error ?? ''),
    );
    expect(relaunches).toHaveLength(1);
  });

  it("refuses, uncounted, when the swap engine refuses (the GPU lock is someone else's)", async () => {
    c.advance(121_000); // past the first relaunch's cooldown
    const lock = await getJson(`${c.url}/api/swap/lock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ holder: 'batch-eval', ttl_s: 600, reason: 'nightly eval' }),
    });
    expect(lock.status).toBe(200);
    const swapsBefore = (await swapJobs()).length;
    const budgetBefore = (await c.deepHealth()).services.vllm!.auto_restart.restarts_in_window;
    c.sim.faults.vllmError(500);
    try {
      const r = await c.run('vllm');
      expect(r.body).toMatchObject({ outcome: 'failed', http_status: 500 });
    } finally {
      c.sim.faults.vllmError(null);
      await getJson(`${c.url}/api/swap/lock`, { method: 'DELETE' });
    }
    expect((await swapJobs()).length).toBe(swapsBefore);
    expect((await c.deepHealth()).services.vllm!.auto_restart.restarts_in_window).toBe(budgetBefore);
    expect(c.restarts('vllm_node')).toBe(0);
    const events = (await getJson<ConnectivityResponse>(`${c.url}/api/connectivity?limit=1000`)).body.events;
    const refusal = events.find(
      (e) => e.kind === 'report' && e.subject === 'vllm' && /relaunch refused/.test(e.error ?? ''),
    );
    expect(refusal?.error).toMatch(/The GPU is locked by batch-eval/);
  });
});
