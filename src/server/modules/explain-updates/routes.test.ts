// POST /api/explain-updates against the simulator's fake vLLM (a reasoning model with its parser)
// and, for what the fake never sends, a scripted upstream. The updates snapshot is an in-test
// stand-in (the updates module is another module's); vLLM's status is the one this route reads.
import { once } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { VllmStatus } from '../../../common/api.js';
import { sseDataSplitter } from '../../../common/sse-data.js';
import type { ExplainEvent, UpdatesResponse } from '../../../common/updates-api.js';
import { startFakeVllm, type FakeVllm } from '../../../sim/vllm/test-server.js';
import { installErrorHandling } from '../../platform/http/error-handler.js';
import { explainUpdatesModule } from './index.js';

const MODEL = 'Qwen/Qwen3-8B';

const snapshot = (o: Partial<UpdatesResponse> = {}): UpdatesResponse => ({
  ok: true,
  behind: 2,
  ahead: 0,
  dirty: false,
  current: 'a1b2c3d',
  branch: 'main',
  log: [
    { sha: 'b'.repeat(40), subject: 'Bump vLLM to 0.12', author: 'Dev', date: '2026-11-30T10:00:00Z' },
    { sha: 'c'.repeat(40), subject: 'Add --solo', author: 'Dev', date: '2026-11-29T10:00:00Z' },
  ],
  error: null,
  checked_at: '2026-12-01T10:00:00Z',
  checking: false,
  last: null,
  rollback_available: false,
  capabilities: null,
  ...o,
});

let vllm: FakeVllm;
let scripted: Server;
let script: (res: ServerResponse) => void = (res) => res.writeHead(500).end();
let app: FastifyInstance;
let url: string;
let updates: UpdatesResponse | null;
let vllmStatus: Pick<VllmStatus, 'state' | 'base_url' | 'model'>;

const loaded = (base: string, model = MODEL) => ({ state: 'loaded' as const, base_url: `${base}/v1`, model });
const scriptedBase = () => `http://127.0.0.1:${(scripted.address() as AddressInfo).port}`;

beforeAll(async () => {
  vllm = await startFakeVllm(MODEL, ['--reasoning-parser', 'qwen3']);
  scripted = createServer((_req, res) => script(res));
  scripted.listen(0, '127.0.0.1');
  await once(scripted, 'listening');
  app = Fastify({ logger: false });
  installErrorHandling(app);
  await explainUpdatesModule(app, {
    status: { current: () => ({ vllm: vllmStatus }) },
    updates: { current: () => updates ?? snapshot() },
  });
  url = await app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await app?.close();
  scripted?.closeAllConnections();
  scripted?.close();
  await vllm?.close();
});
beforeEach(() => {
  updates = snapshot();
  vllmStatus = loaded(vllm.url);
  vllm.server.faults.crashMidStream = false;
  vllm.server.faults.errorStatus = null;
});

const explain = (init: RequestInit = {}) => fetch(`${url}/api/explain-updates`, { method: 'POST', ...init });

async function events(res: Response): Promise<ExplainEvent[]> {
  const split = sseDataSplitter();
  const text = await res.text();
  return [...split.push(text), ...split.end()].map((d) => JSON.parse(d) as ExplainEvent);
}

const metric = async (name: string) => {
  const text = await (await fetch(`${vllm.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
};
const running = () => metric('vllm:num_requests_running');

describe('POST /api/explain-updates', () => {
  it('streams start, the thinking apart from the answer, then done', async () => {
    const res = await explain();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const all = await events(res);
    expect(all[0]).toEqual({ type: 'start', model: MODEL, commits: 2 });
    expect(all.at(-1)).toEqual({ type: 'done' });
    const kinds = all.slice(1, -1).map((e) => e.type);
    const firstContent = kinds.indexOf('content');
    expect(firstContent).toBeGreaterThan(0);
    expect(kinds.slice(0, firstContent).every((k) => k === 'reasoning')).toBe(true);
    expect(kinds.slice(firstContent).every((k) => k === 'content')).toBe(true);
    const said = (t: string) => all.flatMap((e) => (e.type === t && 'text' in e ? [e.text] : [])).join('');
    // The fake vLLM echoes (the start of) the last user message: the pending commits reached it.
    expect(said('content')).toContain('- bbbbbbbbbbbb 2026-11-30 Dev: Bump vLLM to 0.12');
    expect(said('reasoning')).toMatch(/The user wrote/);
  });

  it('refuses with 409 JSON when nothing is pending, before asking vLLM', async () => {
    updates = snapshot({ behind: 0, log: [] });
    vllmStatus = loaded('http://127.0.0.1:9'); // would fail if it were asked
    const res = await explain();
    expect(res.status).toBe(409);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /Nothing to explain/,
    );
  });

  it('refuses with 409 when the last check failed', async () => {
    updates = snapshot({ ok: false, error: 'git fetch failed' });
    const res = await explain();
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /check failed \(git fetch failed\)/,
    );
  });

  it.each([
    ['idle', 409, /No model is loaded/],
    ['loading', 409, /still loading/],
    ['unreachable', 503, /unreachable/],
  ] as const)('vLLM %s → %i JSON', async (state, status, message) => {
    vllmStatus = { state, base_url: `${vllm.url}/v1`, model: null };
    const res = await explain();
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: { code: string; message: string } }).error.message).toMatch(
      message,
    );
  });

  it("an upstream error before the first byte keeps its status; a 5xx's own text is not shown", async () => {
    vllm.server.faults.errorStatus = 500;
    const five = await explain();
    expect(five.status).toBe(500);
    const body = (await five.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('UPSTREAM_ERROR');
    expect(body.error.message).toMatch(/vllm failed with HTTP 500 \(reference [0-9a-f]{8}/);
    expect(body.error.message).not.toMatch(/EngineCore/);
    vllm.server.faults.errorStatus = 429;
    expect((await explain()).status).toBe(429);
  });

  it('vLLM unreachable → 502 JSON', async () => {
    vllmStatus = loaded('http://127.0.0.1:9');
    const res = await explain();
    expect(res.status).toBe(502);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe('vllm unreachable');
  });

  it('a stream that breaks off ends with one error event and no done', async () => {
    vllm.server.faults.crashMidStream = true;
    const all = await events(await explain());
    expect(all.filter((e) => e.type === 'reasoning' || e.type === 'content').length).toBeGreaterThan(0);
    expect(all.at(-1)).toMatchObject({ type: 'error', status: 502, message: /stream interrupted/ });
    expect(all.some((e) => e.type === 'done')).toBe(false);
  });

  it("older vLLM's reasoning_content, and an in-stream error said safely", async () => {
    script = (res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = (delta: object) => `data: ${JSON.stringify({ choices: [{ index: 0, delta }] })}\r\n\r\n`;
      res.write(chunk({ reasoning_content: 'thinking' }) + chunk({ content: 'Ans' }));
      res.end(
        `data: ${JSON.stringify({ error: { message: 'secret internals', type: 'X', code: 500 } })}\n\ndata: [DONE]\n\n`,
      );
    };
    vllmStatus = loaded(scriptedBase());
    const all = await events(await explain());
    expect(all.slice(1).map((e) => e.type)).toEqual(['reasoning', 'content', 'error']);
    expect(all[1]).toEqual({ type: 'reasoning', text: 'thinking' });
    const err = all.at(-1) as Extract<ExplainEvent, { type: 'error' }>;
    expect(err.status).toBe(500);
    expect(err.message).not.toContain('secret');
  });

  it('a client that leaves aborts the request to vLLM', async () => {
    vllm.server.faults.tokenDelayMs = 200; // long enough to leave in the middle
    try {
      const succeeded = await metric('vllm:request_success_total');
      const ctrl = new AbortController();
      const res = await explain({ signal: ctrl.signal });
      const reader = res.body!.getReader();
      expect((await reader.read()).done).toBe(false);
      await expect.poll(running, { timeout: 5_000 }).toBe(1);
      ctrl.abort();
      await expect.poll(running, { timeout: 10_000 }).toBe(0);
      // Ended by the abort, not by finishing the answer.
      expect(await metric('vllm:request_success_total')).toBe(succeeded);
    } finally {
      vllm.server.faults.tokenDelayMs = null;
    }
  });
});
