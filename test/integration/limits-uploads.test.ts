// Bounded input against the real app and the simulator's Parakeet: stalled and trickling uploads
// never hold a Parakeet connection and are cut off with a JSON 408; per-client (429) and global
// (503) upload slots; spool files removed after success, abort and timeout. Timeouts are
// shortened through `timings.limits`; no assertion is about time.
import { readdirSync, watch } from 'node:fs';
import { join } from 'node:path';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, waitFor, type TestCluster } from '../helpers/harness.js';
import {
  BOUNDARY,
  connectionsTo,
  parseAnswer,
  slowClient,
  uploadHead,
  type SlowClient,
} from '../helpers/slow-client.js';
import { pcmWav } from '../helpers/wav.js';

const spoolFiles = (c: TestCluster) => readdirSync(join(c.dataDir, 'uploads'));
const wav = pcmWav(1.5);

async function transcribe(c: TestCluster, file: Buffer = wav) {
  const client = new OpenAI({ baseURL: `${c.url}/v1`, apiKey: 'x', maxRetries: 0 });
  return client.audio.transcriptions.create({
    file: await toFile(file, 'tone.wav', { type: 'audio/wav' }),
    model: 'parakeet-tdt',
  });
}

/** A complete small upload from `from`, answered status (raw socket, so it can use any address). */
async function uploadFrom(
  c: TestCluster,
  from: string,
): Promise<{ status: number; headers: string; body: unknown }> {
  const tail = `\r\n--${BOUNDARY}--\r\n`;
  const head = uploadHead('127.0.0.1', 0, 0, true);
  const length = head.length - head.indexOf('\r\n\r\n') - 4 + wav.length + tail.length;
  const client = await slowClient(c.url, uploadHead('127.0.0.1', length, 0, true), from);
  client.socket.write(Buffer.concat([wav, Buffer.from(tail)]));
  return parseAnswer(await client.closed);
}

describe('slow and stalled uploads, with long limits', () => {
  let c: TestCluster;
  const stalled: SlowClient[] = [];
  beforeAll(async () => {
    c = await startTestCluster({
      timings: { limits: { uploadsPerClient: 4, uploadsTotal: 10, memorySpoolBytes: 64 * 1024 } },
    });
    await waitFor(async () => (await transcribe(c)).text.length > 0);
  });
  afterAll(async () => {
    for (const s of stalled) s.socket.destroy();
    await c?.close();
  });

  it('stalled uploads hold no Parakeet connection; transcriptions and /v1/models still answer', async () => {
    for (let i = 0; i < 4; i++)
      stalled.push(await slowClient(c.url, uploadHead('127.0.0.1', 100_000), '127.0.0.2'));
    for (const a of ['127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6'])
      stalled.push(await slowClient(c.url, uploadHead('127.0.0.1', 100_000), a));
    // The fifth upload from 127.0.0.2 is refused once its four stalled ones hold their slots.
    const refused = await waitFor(async () => {
      const r = await uploadFrom(c, '127.0.0.2');
      return r.status === 429 ? r : null;
    });
    expect(refused.headers).toContain('retry-after: 10');
    expect(refused.headers).toContain('connection: close');
    expect(refused.body).toMatchObject({
      error: { code: 'TOO_MANY_REQUESTS', message: expect.stringContaining('limit is 4') as string },
    });

    // Refused while its own body is still incomplete: answered, and the server carries on.
    const early = await slowClient(c.url, uploadHead('127.0.0.1', 100_000), '127.0.0.2');
    expect(parseAnswer(await early.closed).status).toBe(429);
    expect((await fetch(`${c.url}/api/meta`)).status).toBe(200);

    expect(connectionsTo(c.sim.speech.parakeet.port)).toBeLessThan(stalled.length);
    expect((await transcribe(c)).text.length).toBeGreaterThan(0);
    expect((await uploadFrom(c, '127.0.0.7')).status).toBe(200);
    const models = await fetch(`${c.url}/v1/models`);
    expect(models.status).toBe(200);
    expect(stalled.every((s) => !s.socket.destroyed && s.received() === '')).toBe(true);
  });

  it('answers 503 with Retry-After when every upload slot is taken', async () => {
    const more = [await slowClient(c.url, uploadHead('127.0.0.1', 100_000), '127.0.0.8')];
    more.push(await slowClient(c.url, uploadHead('127.0.0.1', 100_000), '127.0.0.9'));
    stalled.push(...more);
    const full = await waitFor(async () => {
      const r = await uploadFrom(c, '127.0.0.10');
      return r.status === 503 ? r : null;
    });
    expect(full.headers).toContain('retry-after: 10');
    expect(full.body).toMatchObject({ error: { code: 'SERVICE_UNAVAILABLE' } });
    for (const s of stalled.splice(0)) s.socket.destroy();
    await waitFor(async () => (await uploadFrom(c, '127.0.0.10')).status === 200);
  });

  it('spools a large upload to a file and removes it after the answer', async () => {
    const seen: string[] = [];
    const watcher = watch(join(c.dataDir, 'uploads'), (_event, name) => name && seen.push(name));
    try {
      const res = await transcribe(c, pcmWav(5));
      expect(res.text.length).toBeGreaterThan(0);
      await waitFor(() => seen.length > 0);
      await waitFor(() => spoolFiles(c).length === 0);
    } finally {
      watcher.close();
    }
    expect(seen.some((n) => n.startsWith('upload-'))).toBe(true);
  });

  it('removes the spool file of an upload whose client goes away mid-body', async () => {
    const client = await slowClient(c.url, uploadHead('127.0.0.1', 1_000_000, 200_000), '127.0.0.11');
    await waitFor(() => spoolFiles(c).length === 1);
    client.socket.destroy();
    await waitFor(() => spoolFiles(c).length === 0);
    expect((await transcribe(c)).text.length).toBeGreaterThan(0);
  });
});

describe('slow and stalled uploads, with short limits', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await startTestCluster({
      timings: {
        limits: {
          bodyIdleMs: 1_500,
          bodyTotalMs: 3_000,
          uploadGraceMs: 600,
          uploadWindowMs: 600,
          uploadMinBytesPerSec: 16 * 1024,
          watchIntervalMs: 50,
          memorySpoolBytes: 1024,
          headersTimeoutMs: 1_000,
          connectionsCheckingIntervalMs: 200,
        },
      },
    });
  });
  afterAll(async () => c?.close());

  it('cuts off a stalled upload with a JSON 408, closes it and removes its spool file', async () => {
    const client = await slowClient(c.url, uploadHead('127.0.0.1', 1_000_000, 8_000), '127.0.0.2');
    const answer = parseAnswer(await client.closed);
    expect(answer.status).toBe(408);
    expect(answer.headers).toContain('connection: close');
    expect(answer.body).toMatchObject({
      error: { code: 'REQUEST_TIMEOUT', message: expect.stringContaining('cut off') as string },
    });
    await waitFor(() => spoolFiles(c).length === 0);
  });

  it('cuts off an upload that trickles bytes (never idle, too slow)', async () => {
    const client = await slowClient(c.url, uploadHead('127.0.0.1', 1_000_000), '127.0.0.3');
    const drip = setInterval(() => client.socket.write('x'), 100);
    try {
      const answer = parseAnswer(await client.closed);
      expect(answer.status).toBe(408);
      expect(JSON.stringify(answer.body)).toContain('slower than 16 KiB/s');
    } finally {
      clearInterval(drip);
    }
  });

  it('cuts off a stalled JSON body with our error shape', async () => {
    const body = '{"key":"x"';
    const client = await slowClient(
      c.url,
      `POST /api/models HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n${body}`,
    );
    const answer = parseAnswer(await client.closed);
    expect(answer.status).toBe(408);
    expect(answer.body).toMatchObject({ error: { code: 'REQUEST_TIMEOUT' } });
  });

  it('closes a connection whose headers never finish with a JSON 408', async () => {
    const client = await slowClient(c.url, 'GET /api/meta HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const answer = parseAnswer(await client.closed);
    expect(answer.status).toBe(408);
    expect(answer.body).toMatchObject({ error: { code: 'REQUEST_TIMEOUT' } });
  });

  it('still transcribes a normal upload', async () => {
    expect((await transcribe(c)).text.length).toBeGreaterThan(0);
    await waitFor(() => spoolFiles(c).length === 0);
  });
});
