// Bounded input against the real app: bodies are validated as sent (a number is not a string, a
// string is not a boolean) while querystrings keep their coercion, and every list endpoint has a
// hard cap whatever the database holds.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelsResponse } from '../../src/common/api.js';
import { getJson, startTestCluster, type TestCluster } from '../helpers/harness.js';

type ErrorBody = { error: { code: string; message: string } };

describe('bounded input', () => {
  let c: TestCluster;
  const send = (method: string, path: string, body: unknown) =>
    getJson<ErrorBody>(`${c.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  beforeAll(async () => {
    c = await startTestCluster({ startSamplers: false });
  });
  afterAll(async () => c?.close());

  const model = { display_name: 'X', repo: 'org/x', path: null, size_gb: 10, mode: 'solo' };

  it.each([false, 5e-324, 7, null, ['a']])('refuses a custom model whose key is %j (400)', async (key) => {
    const r = await send('POST', '/api/models', { ...model, key });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('VALIDATION_FAILED');
    const list = (await getJson<ModelsResponse>(`${c.url}/api/models`)).body.models;
    expect(list.some((m) => m.key === String(key))).toBe(false);
  });

  it('refuses strings where numbers and booleans are expected, in every body', async () => {
    const key = (await getJson<ModelsResponse>(`${c.url}/api/models`)).body.models[0]!.key;
    const refused = [
      await send('PUT', `/api/models/${key}/knobs`, { max_model_len: '4096' }),
      await send('PUT', `/api/models/${key}/knobs`, { fastsafetensors: 'true' }),
      await send('POST', '/api/models', { ...model, key: 'typed-x', size_gb: '10' }),
      await send('POST', '/api/swap', { key: 5 }),
      await send('POST', '/api/swap/lock', { holder: 'cron', ttl_s: '60' }),
      await send('POST', '/api/health-event', { service: 'vllm', ok: 'false' }),
      await send('POST', '/api/schedules', { name: 1, schedule: 'daily' }),
    ];
    for (const r of refused) {
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
    }
    const speech = await send('POST', '/v1/audio/speech', { model: 'magpie', input: 5, voice: 'x' });
    expect(speech.status).toBe(400);
    expect(speech.body.error).toMatchObject({ type: 'invalid_request_error' });
    // The same bodies with the right types pass.
    expect((await send('PUT', `/api/models/${key}/knobs`, { max_model_len: 4096 })).status).toBe(200);
    expect((await send('POST', '/api/health-event', { service: 'vllm', ok: false })).status).toBe(201);
  });

  it('keeps coercion for querystrings, which are strings on the wire', async () => {
    expect((await getJson(`${c.url}/api/jobs?limit=2`)).status).toBe(200);
    expect((await getJson(`${c.url}/api/connectivity?limit=5`)).status).toBe(200);
    expect((await getJson(`${c.url}/api/hardware/history?node=spark1&minutes=5`)).status).toBe(200);
    expect((await getJson(`${c.url}/api/jobs?limit=two`)).status).toBe(400);
  });

  it('GET /api/jobs returns at most 500 jobs (50 by default)', async () => {
    const insert = c.db.prepare(
      `INSERT INTO jobs (id, kind, title, state, phase, started_at, finished_at)
       VALUES (?, 'bench', 'filler', 'succeeded', 'done', ?, ?)`,
    );
    c.db.transaction(() => {
      for (let i = 0; i < 520; i++) insert.run(randomUUID(), 1_000 + i, 2_000 + i);
    })();
    expect((await getJson<unknown[]>(`${c.url}/api/jobs`)).body).toHaveLength(50);
    expect((await getJson<unknown[]>(`${c.url}/api/jobs?limit=500`)).body).toHaveLength(500);
    expect((await getJson(`${c.url}/api/jobs?limit=501`)).status).toBe(400);
  });

  it('GET /api/connectivity returns at most 1000 events', async () => {
    for (let i = 0; i < 30; i++)
      await send('POST', '/api/health-event', { service: 'vllm', ok: i % 2 === 0 });
    const r = await getJson<{ events: unknown[] }>(`${c.url}/api/connectivity?limit=1000`);
    expect(r.body.events.length).toBeLessThanOrEqual(1000);
    expect(
      (await getJson<{ events: unknown[] }>(`${c.url}/api/connectivity?limit=10`)).body.events,
    ).toHaveLength(10);
    expect((await getJson(`${c.url}/api/connectivity?limit=1001`)).status).toBe(400);
  });

  it('GET /api/hardware/history returns at most 720 points however many samples are stored', async () => {
    const now = Date.now();
    const insert = c.db.prepare('INSERT OR REPLACE INTO hardware_samples (node, ts, ok) VALUES (?, ?, 1)');
    c.db.transaction(() => {
      for (let i = 0; i < 24 * 3600; i += 7) insert.run('spark1', now - i * 1000);
    })();
    for (const minutes of [60, 61, 24 * 60]) {
      const r = await getJson<{ samples: unknown[] }>(
        `${c.url}/api/hardware/history?node=spark1&minutes=${minutes}`,
      );
      expect(r.body.samples.length).toBeGreaterThan(100);
      expect(r.body.samples.length).toBeLessThanOrEqual(720);
    }
  });

  it('GET /api/schedules never lists more than 100 entries', async () => {
    for (let i = 0; i < 101; i++)
      await send('POST', '/api/schedules', { name: `job-${i}`, schedule: 'daily' });
    const r = await getJson<{ schedules: unknown[] }>(`${c.url}/api/schedules`);
    expect(r.body.schedules).toHaveLength(100);
  });

  it('GET /api/gateway/stats lists configured clients only, whatever keys requests carry', async () => {
    for (let i = 0; i < 20; i++)
      await fetch(`${c.url}/v1/models`, { headers: { authorization: `Bearer random-${i}` } });
    const r = await getJson<{ clients: unknown[] }>(`${c.url}/api/gateway/stats`);
    expect(r.body.clients.length).toBe(1 + c.config.api_keys.length);
  });
});
