// A speech NIM installed at run time is deep-checked like a configured service: installed through
// the NIM installer end to end (real SSH, the docker shim, the simulated nvcr.io, the fake ASR NIM
// on its published port), it is checked on demand and by the schedule without a control-plane
// restart, shows on /api/deep-health and its card, a wedge that only its transcriptions show is
// healed by one `docker restart` of its own container, and once removed it is probed no more.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../src/common/api.js';
import type { ServicesResponse } from '../../src/common/services-api.js';
import { sh } from '../../src/server/platform/remote/sh.js';
import { SIM_NGC_KEY } from '../../src/sim/nim.js';
import { startDeepCluster, startupChecksDone, type DeepCluster } from '../helpers/deep-health.js';
import { getJson, waitFor } from '../helpers/harness.js';
import { freePort, post } from './nim-helpers.js';

const NIM = 'asr-nim';
const IMAGE = 'nvcr.io/nim/nvidia/parakeet-1-1b-ctc-en-us:latest';
/** The shortest schedule the config allows: a round every 10 s (the waits below span two). */
const INTERVAL_S = 10;
const ROUND_MS = 3 * INTERVAL_S * 1000;

describe('deep health of a speech NIM registered at run time', () => {
  let c: DeepCluster;
  let port = 0;
  beforeAll(async () => {
    c = await startDeepCluster(
      { startup_grace_s: 0, interval_s: INTERVAL_S },
      { env: { NGC_API_KEY: SIM_NGC_KEY } },
    );
    await startupChecksDone(c);
  });
  afterAll(async () => c?.close());

  const card = async (name: string) =>
    (await getJson<ServicesResponse>(`${c.url}/api/services`)).body.services.find((s) => s.name === name);
  /** Transcription requests the NIM container has served so far (its access log, over SSH). */
  const nimTranscriptions = async () => {
    const r = await c.transport.exec('spark2', sh`docker logs ${NIM}`, { timeoutMs: 15_000 });
    expect(r.code, r.stderr).toBe(0);
    return `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.includes('POST /v1/audio/transcriptions'))
      .length;
  };
  /**
   * Waits for a scheduled round that ended after now: the deep-health clock is moved on first, so
   * results of rounds already recorded carry an earlier `at`.
   */
  const nextRound = async (services: string[]) => {
    c.advance(1000);
    const mark = c.clock.now;
    return waitFor(async () => {
      const s = await c.deepHealth();
      const fresh = services.every((n) => {
        const last = s.services[n]?.last;
        return last?.trigger === 'schedule' && Date.parse(last.at) >= mark;
      });
      return fresh ? s : null;
    }, ROUND_MS);
  };

  it('installs the ASR NIM, and its deep check runs at once: on /api/deep-health and on its card', async () => {
    expect(Object.keys((await c.deepHealth()).services)).not.toContain(NIM);
    port = await freePort();
    const res = await post(`${c.url}/api/nim/install`, {
      image: IMAGE,
      container: NIM,
      port,
      volume: 'nim-cache',
      env: { NIM_TAGS_SELECTOR: 'name=parakeet-1-1b-ctc-en-us,mode=ofl' },
      node: 'spark2',
    });
    expect(res.status).toBe(202);
    const job = await waitFor(async () => {
      const { body } = await getJson<JobInfo>(`${c.url}/api/jobs/${String(res.body.job_id)}`);
      return body.state === 'running' ? null : body;
    }, 60_000);
    expect(job.state, job.error ?? '').toBe('succeeded');

    const r = await c.run(NIM);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ service: NIM, outcome: 'ok', http_status: 200, error: null });
    const deep = (await c.deepHealth()).services[NIM];
    expect(deep?.last?.outcome).toBe('ok');
    expect(deep?.auto_restart).toMatchObject({ restarts_in_window: 0, max_per_window: 3, paused: false });
    const nim = await card(NIM);
    expect(nim).toMatchObject({ custom: true, kind: 'asr', api: 'nim', container: NIM });
    expect(nim?.deep_check?.outcome).toBe('ok');
    expect(nim?.auto_restart).toMatchObject({ restarts_in_window: 0, max_per_window: 3 });
  });

  it('is on the schedule, and a wedge only its transcriptions show is healed by one restart of its container', async () => {
    // The schedule probes it without a control-plane restart. Right after a round the next one is
    // ~10 s away, so the check below is this test's own (not joined to a scheduled one).
    await nextRound([NIM, 'parakeet']);
    await c.fault('nim-asr-wedge', true);
    expect((await fetch(`http://127.0.0.1:${port}/v1/health/ready`)).status).toBe(200);

    const r = await c.run(NIM);
    expect(r.body).toMatchObject({
      outcome: 'failed',
      http_status: 500,
      wedge_signature: 'CUBLAS_STATUS_EXECUTION_FAILED',
    });
    const jobs = await c.restartJobsDone(1);
    expect(jobs[0]).toMatchObject({ state: 'succeeded', locks: [`container:spark2:${NIM}`] });
    const healed = await waitFor(async () => {
      const s = (await c.deepHealth()).services[NIM];
      return s?.last?.trigger === 'restart' ? s : null;
    });
    expect(healed.last?.outcome).toBe('ok');
    expect(healed.auto_restart.restarts_in_window).toBe(1);
    expect(c.restarts(NIM)).toBe(1);
    expect(c.restarts('parakeet-asr')).toBe(0);
    const faults = (await getJson<{ faults: { name: string; on: boolean }[] }>(`${c.url}/api/sim/faults`))
      .body.faults;
    expect(faults.find((f) => f.name === 'nim-asr-wedge')?.on).toBe(false);
    expect((await card(NIM))?.auto_restart?.restarts_in_window).toBe(1);
  });

  it('after DELETE /api/services/{name} it is gone from deep health and the schedule probes it no more', async () => {
    // DELETE right after a round, so the round awaited below starts after it.
    await nextRound([NIM, 'parakeet']);
    const del = await getJson<{ removed: string }>(`${c.url}/api/services/${NIM}`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    const served = await nimTranscriptions();
    expect(served).toBeGreaterThan(0);

    expect(Object.keys((await c.deepHealth()).services).sort()).toEqual(['magpie', 'parakeet', 'vllm']);
    expect((await c.run(NIM)).status).toBe(404);
    expect(await card(NIM)).toBeUndefined();

    // A whole round after the removal: the configured services are checked, the NIM (its container
    // still running: DELETE kept it) gets no request.
    await nextRound(['parakeet', 'magpie']);
    expect(await nimTranscriptions()).toBe(served);
    expect((await c.deepHealth()).services[NIM]).toBeUndefined();
  });
});
