// One error shape (issue 7, item 6): framework errors in our words, upstream 4xx relayed in the
// OpenAI envelope, upstream 5xx internals replaced by a reference that is in the log, and secrets
// in URLs and headers kept out of the log.
import { Writable } from 'node:stream';
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/server/platform/log.js';
import { DEFAULT_MODEL } from '../../src/sim/index.js';
import { startTestCluster, type TestCluster } from '../helpers/harness.js';

/** Sends a raw request path (fetch would normalize it) and reads the JSON answer. */
function raw(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
) {
  const u = new URL(base);
  return new Promise<{ status: number; type: string; json: { error: Record<string, unknown> } }>(
    (resolve, reject) => {
      const req = request({ host: u.hostname, port: u.port, method, path, headers }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            type: String(res.headers['content-type']),
            json: JSON.parse(text) as { error: Record<string, unknown> },
          }),
        );
      });
      req.on('error', reject);
      req.end(body);
    },
  );
}

describe('one error shape', () => {
  let c: TestCluster;
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      cb();
    },
  });

  beforeAll(async () => {
    c = await startTestCluster({ startSamplers: true, logger: createLogger('debug', sink) });
  });
  afterAll(async () => {
    await c?.close();
  });

  it('answers a malformed URL and an over-long path value in our shape, without framework names', async () => {
    for (const path of ['/api/jobs/%E0%A4%A', `/api/jobs/${'x'.repeat(500)}`, '/api/models/%ZZ']) {
      const r = await raw(c.url, 'DELETE', path);
      expect(r.status, path).toBeGreaterThanOrEqual(400);
      expect(r.status, path).toBeLessThan(500);
      expect(r.type).toMatch(/^application\/json/);
      expect(Object.keys(r.json.error).sort()).toEqual(['code', 'message']);
      expect(JSON.stringify(r.json)).not.toMatch(/FST_|statusCode/);
    }
    const v1 = await raw(c.url, 'GET', '/v1/models/%E0%A4%A');
    expect(v1.json.error).toMatchObject({ type: 'invalid_request_error', param: null, code: 'BAD_REQUEST' });
  });

  it("replaces vLLM's 5xx internals with a reference that is in the log, streaming or not", async () => {
    c.sim.faults.vllmError(500);
    try {
      const body = { model: DEFAULT_MODEL, messages: [{ role: 'user', content: 'hi' }] };
      const res = await fetch(`${c.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(500);
      const { error } = (await res.json()) as { error: { message: string; type: string } };
      expect(error.type).toBe('server_error');
      expect(error.message).not.toContain('EngineCore');
      const ref = /reference ([0-9a-f]{8})/.exec(error.message)?.[1];
      expect(ref).toBeDefined();
      const logged = lines
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.reference === ref);
      expect(String(logged?.upstream)).toContain('EngineCore encountered an issue');

      const stream = await fetch(`${c.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...body, stream: true }),
      });
      const text = await stream.text();
      expect(text).toMatch(/reference [0-9a-f]{8}/);
      expect(text).not.toContain('EngineCore');
    } finally {
      c.sim.faults.vllmError(null);
    }
  });

  it("relays vLLM's 4xx message, and turns FastAPI's detail into the OpenAI envelope", async () => {
    c.sim.faults.vllmError(400);
    try {
      const res = await fetch(`${c.url}/v1/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: DEFAULT_MODEL, prompt: 'x' }),
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: { message: 'Bad Request', type: 'invalid_request_error', param: null, code: null },
      });
    } finally {
      c.sim.faults.vllmError(null);
    }
    // Parakeet (FastAPI) answers a file it cannot decode with {"detail": "..."}.
    const form = new FormData();
    form.append('model', 'parakeet-tdt');
    form.append(
      'file',
      new Blob([Buffer.from('RIFF but not really a wave file')], { type: 'audio/wav' }),
      'x.wav',
    );
    const res = await fetch(`${c.url}/v1/audio/transcriptions`, { method: 'POST', body: form });
    expect(res.status).toBe(400);
    const json = (await res.json()) as { error: Record<string, unknown>; detail?: unknown };
    expect(json.detail).toBeUndefined();
    expect(json.error).toMatchObject({ type: 'invalid_request_error', param: null });
    expect(json.error.message).toMatch(/^parakeet: \S/);
  });

  it('answers the next request on a keep-alive connection after refusing a large body unread', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const u = new URL(c.url);
    const send = (method: string, path: string, body?: string, contentType = 'application/json') =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          {
            agent,
            host: u.hostname,
            port: u.port,
            method,
            path,
            headers: body === undefined ? {} : { 'content-type': contentType, 'content-length': body.length },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    try {
      // 404 and 415 answer before the body is read; the same socket then carries the next request.
      for (const [method, path, type] of [
        ['DELETE', '/api/meta', 'application/octet-stream'],
        ['POST', '/api/nowhere', 'text/plain'],
        ['PUT', '/api/gateway/stats', 'multipart/form-data; boundary=xyz'],
        ['POST', '/api/swap/x/stream', 'garbage'],
      ] as const) {
        const status = await send(method, path, JSON.stringify({ blob: 'z'.repeat(2_097_150) }), type);
        expect(status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
        expect(status, `${method} ${path}`).toBeLessThan(500);
        expect(await send('GET', '/api/meta')).toBe(200);
      }
    } finally {
      agent.destroy();
    }
  });

  it('keeps keys in query strings, authorization and cookies out of the log', async () => {
    const secret = 'sk-this-must-not-be-logged-9f8e7d';
    await fetch(`${c.url}/api/status?api_key=${secret}&x=1`, {
      headers: { authorization: `Bearer ${secret}`, cookie: `session=${secret}` },
    });
    await fetch(`${c.url}/v1/models?key=${secret}`);
    await fetch(`${c.url}/api/nope?token=${secret}`);
    await new Promise((r) => setTimeout(r, 50));
    const all = lines.join('\n');
    expect(all).toContain('/api/status?api_key=[redacted]&x=1');
    expect(all).not.toContain(secret);
  });
});
