// The demo's fault API (GET /api/sim/faults, POST /api/sim/faults/{name} {"on"}) against the
// simulator: each switch changes what the fake services answer, bad input is a 4xx, and the
// flapping wedge comes back after a real `docker restart` over SSH.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sh } from '../../src/server/platform/remote/sh.js';
import { getJson, startTestCluster, waitFor, type TestCluster } from '../helpers/harness.js';
import { pcmWav } from '../helpers/wav.js';

type Fault = { name: string; on: boolean; description: string };

describe('demo fault API', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await startTestCluster({ startSamplers: false });
  });
  afterAll(async () => c?.close());

  const list = async () => (await getJson<{ faults: Fault[] }>(`${c.url}/api/sim/faults`)).body.faults;
  const set = (name: string, body: unknown) =>
    getJson<Fault | { error: { code: string; message: string } }>(`${c.url}/api/sim/faults/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const isOn = async (name: string) => (await list()).find((f) => f.name === name)?.on;
  const transcribe = () => {
    const f = new FormData();
    f.append('file', new Blob([new Uint8Array(pcmWav(1))], { type: 'audio/wav' }), 'a.wav');
    return fetch(`${c.sim.speech.parakeet.url}/v1/audio/transcriptions`, { method: 'POST', body: f });
  };

  it('lists every fault, all off, each with a description', async () => {
    const faults = await list();
    const names = faults.map((f) => f.name);
    for (const n of [
      'parakeet-wedge',
      'parakeet-flap',
      'magpie-fail',
      'vllm-crash-mid-stream',
      'vllm-engine-dead',
    ])
      expect(names).toContain(n);
    expect(new Set(names).size).toBe(names.length);
    for (const f of faults) {
      expect(f.on, f.name).toBe(false);
      expect(f.description.length, f.name).toBeGreaterThan(10);
    }
  });

  it('turns each fault on and off', async () => {
    for (const { name } of await list()) {
      expect((await set(name, { on: true })).body).toMatchObject({ name, on: true });
      expect(await isOn(name)).toBe(true);
      expect((await set(name, { on: false })).body).toMatchObject({ name, on: false });
      expect(await isOn(name)).toBe(false);
    }
  });

  it('answers 404 for an unknown fault and 400 for a bad body', async () => {
    const unknown = await set('no-such-fault', { on: true });
    expect(unknown.status).toBe(404);
    expect(JSON.stringify(unknown.body)).toMatch(/no-such-fault.*parakeet-wedge/);
    for (const body of [{}, { on: 'yes' }, { on: true, extra: 1 }, [true], null]) {
      const r = await set('parakeet-wedge', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body).toHaveProperty('error.code');
    }
    expect(await isOn('parakeet-wedge')).toBe(false);
  });

  it('wedges Parakeet behind a healthy /health until a container restart', async () => {
    await set('parakeet-wedge', { on: true });
    expect((await fetch(`${c.sim.speech.parakeet.url}/health`)).status).toBe(200);
    const wedged = await transcribe();
    expect(wedged.status).toBe(500);
    expect(await wedged.text()).toMatch(/CUBLAS_STATUS_EXECUTION_FAILED/);
    const node = c.sim.speech.parakeet.node;
    expect((await c.transport.exec(node, sh`docker restart parakeet-asr`)).code).toBe(0);
    const healed = await waitFor(async () => {
      const r = await transcribe();
      return r.status === 200 ? r : null;
    });
    expect(healed.status).toBe(200);
    expect(await isOn('parakeet-wedge')).toBe(false);
  });

  it('brings the flapping wedge back after every restart, until it is turned off', async () => {
    await set('parakeet-flap', { on: true });
    expect((await transcribe()).status).toBe(500);
    const node = c.sim.speech.parakeet.node;
    for (let i = 0; i < 2; i++) {
      expect((await c.transport.exec(node, sh`docker restart parakeet-asr`)).code).toBe(0);
      // Healthy for a moment after the reload (FLAP_S × speed, too short to catch reliably), then
      // wedged again: the service answers, and what it answers is the wedge.
      await waitFor(async () => (await transcribe()).status === 500);
    }
    await set('parakeet-flap', { on: false });
    expect((await transcribe()).status).toBe(200);
    expect((await list()).filter((f) => f.name.startsWith('parakeet')).every((f) => !f.on)).toBe(true);
  });

  it('fails Magpie synthesis while readiness stays 200', async () => {
    await set('magpie-fail', { on: true });
    const f = new FormData();
    f.append('text', 'hi');
    const r = await fetch(`${c.sim.speech.magpie.url}/v1/audio/synthesize`, { method: 'POST', body: f });
    expect(r.status).toBe(500);
    expect((await fetch(`${c.sim.speech.magpie.url}/v1/health/ready`)).status).toBe(200);
    await set('magpie-fail', { on: false });
  });
});
