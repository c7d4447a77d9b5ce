// The connectivity log over real HTTP against the simulated cluster (SPEC §3): transitions come
// only from active polling, reports (HTTP or the gateway) are logged without changing the state.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody, ConnectivityEvent, ConnectivityResponse } from '../../src/common/api.js';
import {
  getJson,
  startTestCluster,
  waitFor,
  type TestCluster,
  WATCHING_HARDWARE,
} from '../helpers/harness.js';
import { pcmWav } from '../helpers/wav.js';

const silenceWav = (seconds: number) => pcmWav(seconds, { hz: 0 });

describe('connectivity log', () => {
  let c: TestCluster;
  const log = async (query = '') =>
    (await getJson<ConnectivityResponse>(`${c.url}/api/connectivity${query}`)).body;
  const post = (body: unknown) =>
    getJson<ConnectivityEvent & ApiErrorBody>(`${c.url}/api/health-event`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const transitions = (r: ConnectivityResponse, subject: string) =>
    r.events.filter((e) => e.kind === 'transition' && e.subject === subject);

  beforeAll(async () => {
    c = await startTestCluster({ timings: WATCHING_HARDWARE });
  });
  afterAll(async () => c?.close());

  it('sees every node and service come up through polling', async () => {
    const r = await waitFor(async () => {
      const s = await log();
      const states = ['spark1', 'spark2', 'vllm', 'parakeet', 'magpie'].map((k) => s.subjects[k]?.state);
      return states.every((x) => x === 'up') ? s : null;
    });
    expect(transitions(r, 'spark1')[0]).toMatchObject({
      ok: true,
      source: 'hardware',
      previous_state_s: null,
    });
    expect(r.subjects.spark1?.last_change).toEqual(expect.any(String));
  });

  it('logs a node going down and back up, with how long each state lasted', async () => {
    await c.sim.faults.nodeDown('spark2');
    const down = await waitFor(async () => {
      const [e] = transitions(await log(), 'spark2');
      return e && !e.ok ? e : null;
    }, 20_000);
    expect(down.previous_state_s).toBeGreaterThan(0);
    expect(down.error).toEqual(expect.any(String));
    expect((await log()).subjects.spark2?.state).toBe('down');

    await c.sim.faults.nodeUp('spark2');
    const up = await waitFor(async () => {
      const [e] = transitions(await log(), 'spark2');
      return e?.ok ? e : null;
    }, 30_000);
    expect(up.previous_state_s).toBeGreaterThan(0);
    expect(Date.parse(up.ts)).toBeGreaterThan(Date.parse(down.ts));
    expect((await log()).subjects.spark2?.state).toBe('up');
  });

  it('records a report from POST /api/health-event and leaves the state alone', async () => {
    const before = (await log()).subjects.magpie;
    const res = await post({
      service: 'magpie',
      ok: false,
      source: 'open-webui',
      error: 'timed out',
      ms: 3000,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      subject: 'magpie',
      kind: 'report',
      ok: false,
      source: 'open-webui',
      error: 'timed out',
      ms: 3000,
      previous_state_s: null,
    });
    const legacy = await post({ spark: 'spark1', ok: true });
    expect(legacy.status).toBe(201);
    expect(legacy.body).toMatchObject({ subject: 'spark1', source: 'external', kind: 'report' });
    const after = await log('?limit=2');
    expect(after.events.map((e) => e.id)).toEqual([legacy.body.id, res.body.id]);
    expect(after.subjects.magpie?.state).toBe(before?.state);
    expect(after.subjects.magpie?.last_change).toBe(before?.last_change);
  });

  it('answers 400 JSON to bad bodies and bad limits', async () => {
    const bad: unknown[] = [
      { ok: false },
      { service: 'a b', ok: false },
      { service: 'x'.repeat(65), ok: false },
      { service: 'vllm' },
      { service: 'vllm', ok: false, error: 'e'.repeat(501) },
      { service: 'vllm', ok: false, ms: -1 },
      { service: 'vllm', subject: 'magpie', ok: false },
      { service: 'vllm', ok: false, extra: 1 },
      [],
    ];
    for (const body of bad) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toEqual(expect.any(String));
    }
    const raw = await fetch(`${c.url}/api/health-event`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(raw.status).toBe(400);
    expect((await getJson(`${c.url}/api/connectivity?limit=1001`)).status).toBe(400);
  });

  it('logs a gateway report when a wedged Parakeet fails a transcription', async () => {
    c.sim.faults.parakeetWedge(true);
    try {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(silenceWav(0.5))], { type: 'audio/wav' }), 'silence.wav');
      form.append('model', 'parakeet-tdt');
      const res = await fetch(`${c.url}/v1/audio/transcriptions`, { method: 'POST', body: form });
      expect(res.status).toBeGreaterThanOrEqual(500);
      const r = await log();
      const report = r.events.find((e) => e.kind === 'report' && e.source === 'gateway');
      expect(report).toMatchObject({
        subject: 'parakeet',
        ok: false,
        error: 'answered 5xx to a client request',
      });
    } finally {
      c.sim.faults.parakeetWedge(false);
    }
  });
});
