// Deep health against the simulator over real SSH and HTTP: a Parakeet wedge that only the deep
// probe sees is healed by exactly one `docker restart`, with the report events; the gateway's
// Parakeet 500 runs the check at once; Magpie's 500 fault; the loopback; unknown services.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectivityResponse } from '../../src/common/api.js';
import type { LoopbackResult } from '../../src/common/services-api.js';
import { startDeepCluster, startupChecksDone, type DeepCluster } from '../helpers/deep-health.js';
import { getJson, waitFor } from '../helpers/harness.js';
import { pcmWav } from '../helpers/wav.js';

const MIN = 60_000;

describe('deep health: wedge, gateway trigger, magpie, loopback', () => {
  let c: DeepCluster;
  beforeAll(async () => {
    c = await startDeepCluster({ startup_grace_s: 0 });
    await startupChecksDone(c);
  });
  afterAll(async () => c?.close());

  const reports = async (subject: string) =>
    (await getJson<ConnectivityResponse>(`${c.url}/api/connectivity?limit=1000`)).body.events.filter(
      (e) => e.kind === 'report' && e.source === 'deep-health' && e.subject === subject,
    );

  it('starts with every service checked and healthy (vLLM has a model loaded)', async () => {
    const s = await c.deepHealth();
    expect(Object.keys(s.services).sort()).toEqual(['magpie', 'parakeet', 'vllm']);
    expect(s.interval_s).toBe(300);
    for (const [name, v] of Object.entries(s.services)) {
      expect(v.last, name).toMatchObject({ service: name, outcome: 'ok', trigger: 'startup', error: null });
      expect(v.auto_restart).toMatchObject({
        restarts_in_window: 0,
        max_per_window: 3,
        window_min: 30,
        paused: false,
      });
    }
  });

  it('answers 404 for an unknown service', async () => {
    const r = await getJson<{ error: { code: string; message: string } }>(
      `${c.url}/api/deep-health/nope/run`,
      {
        method: 'POST',
      },
    );
    expect(r.status).toBe(404);
    expect(r.body.error.message).toMatch(/nope.*parakeet/);
  });

  it('sees a wedge that /health hides and heals it with exactly one restart', async () => {
    await c.fault('parakeet-wedge', true);
    const health = await fetch(`${c.sim.speech.parakeet.url}/health`);
    expect(health.status).toBe(200);
    const before = c.restarts('parakeet-asr');

    const r = await c.run('parakeet');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      outcome: 'failed',
      http_status: 500,
      wedge_signature: 'CUBLAS_STATUS_EXECUTION_FAILED',
      trigger: 'manual',
    });
    expect(r.body.error).toMatch(/^HTTP 500: .*CUBLAS_STATUS_EXECUTION_FAILED/);

    const jobs = await c.restartJobsDone(1);
    expect(jobs[0]).toMatchObject({
      kind: 'auto-restart',
      state: 'succeeded',
      locks: ['container:spark2:parakeet-asr'],
    });
    const healed = await waitFor(async () => {
      const last = (await c.deepHealth()).services.parakeet!;
      return last.last?.trigger === 'restart' ? last : null;
    });
    expect(healed.last?.outcome).toBe('ok');
    expect(healed.auto_restart.restarts_in_window).toBe(1);
    expect(healed.auto_restart.next_allowed_at).toBe(new Date(c.clock.now + 2 * MIN).toISOString());
    expect(c.restarts('parakeet-asr') - before).toBe(1);
    const faults = (await getJson<{ faults: { name: string; on: boolean }[] }>(`${c.url}/api/sim/faults`))
      .body.faults;
    expect(faults.find((f) => f.name === 'parakeet-wedge')?.on).toBe(false);

    const events = await reports('parakeet');
    expect(events.map((e) => [e.ok, e.error?.replace(/:.*/, '')]).reverse()).toEqual([
      [false, 'deep check failed'],
      [false, 'automatic restart of parakeet-asr'],
      [true, undefined],
    ]);
  });

  it('runs the check when the gateway sees Parakeet fail, answering 503 + Retry-After, and restarts it', async () => {
    c.advance(3 * MIN); // past the cooldown of the previous test's restart
    await c.fault('parakeet-wedge', true);
    const before = c.restarts('parakeet-asr');
    const form = () => {
      const f = new FormData();
      f.append('file', new Blob([new Uint8Array(pcmWav(1))], { type: 'audio/wav' }), 'a.wav');
      f.append('model', 'parakeet');
      return f;
    };
    // A burst of failing requests: one probe in flight at a time, one restart.
    const answers = await Promise.all(
      Array.from({ length: 4 }, () =>
        fetch(`${c.url}/v1/audio/transcriptions`, { method: 'POST', body: form() }),
      ),
    );
    // Those past the audio GPU cap (audio.gpu_concurrency, 2) never reach Parakeet: 503 "busy",
    // retry in 10 s; the others meet the wedge: 503, retry in 60 s.
    const waits = answers.map((a) => a.headers.get('retry-after'));
    for (const a of answers) {
      expect(a.status).toBe(503);
      await a.body?.cancel();
    }
    expect(waits.filter((w) => w === '60').length).toBeGreaterThanOrEqual(1);
    expect(waits.every((w) => w === '60' || w === '10')).toBe(true);
    await c.restartJobsDone(2);
    const s = await waitFor(async () => {
      const p = (await c.deepHealth()).services.parakeet!;
      return p.last?.trigger === 'restart' ? p : null;
    });
    expect(s.last?.outcome).toBe('ok');
    expect(c.restarts('parakeet-asr') - before).toBe(1);
    const ok = await fetch(`${c.url}/v1/audio/transcriptions`, { method: 'POST', body: form() });
    expect(ok.status).toBe(200);
  });

  it('fails Magpie on its 500 with the cudaErrorUnknown signature', async () => {
    await c.fault('magpie-fail', true);
    const r = await c.run('magpie');
    expect(r.body).toMatchObject({
      outcome: 'failed',
      http_status: 500,
      wedge_signature: 'cudaErrorUnknown',
    });
    await c.fault('magpie-fail', false);
    await c.restartJobsDone(3);
    expect(c.restarts('magpie-tts')).toBe(1);
  });

  it('loops Magpie speech back through Parakeet', async () => {
    await waitFor(async () => (await c.run('magpie')).body.outcome === 'ok');
    const r = await getJson<LoopbackResult>(`${c.url}/api/deep-health/loopback/run`, { method: 'POST' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ok: true, overlap: 1, error: null });
    expect(r.body.heard).toBe(r.body.phrase);
    expect((await c.deepHealth()).loopback).toEqual(r.body);
  });

  it('fails the loopback with the step that failed', async () => {
    await c.fault('magpie-fail', true);
    const r = await getJson<LoopbackResult>(`${c.url}/api/deep-health/loopback/run`, { method: 'POST' });
    await c.fault('magpie-fail', false);
    expect(r.body).toMatchObject({ ok: false, heard: null, overlap: null });
    expect(r.body.error).toMatch(/^Magpie answered HTTP 500/);
  });
});
