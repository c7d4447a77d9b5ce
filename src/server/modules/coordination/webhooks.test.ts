import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventEnvelope, SwapInfo } from '../../../common/api.js';
import { EventBus } from '../../platform/events/bus.js';
import { WebhookNotifier } from './webhooks.js';

const swap: SwapInfo = {
  id: 'sw-1',
  key: 'qwen3-32b',
  display_name: 'Qwen3 32B',
  model: 'Qwen/Qwen3-32B',
  mode: 'solo',
  nodes: ['spark1'],
  state: 'ready',
  phase: 'ready',
  holder: null,
  error: null,
  previous_model: null,
  launch_cmd: './launch-cluster.sh --solo -d exec vllm serve Qwen/Qwen3-32B',
  started_at: '2026-06-20T10:00:00.000Z',
  finished_at: '2026-06-20T10:03:00.000Z',
  timings: { loading: 1000 },
  elapsed_s: 180,
  expected_s: 200,
  progress: 1,
  log_tail: [],
};

interface Hit {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A receiver on 127.0.0.1 that answers the n-th request with answer(n, res). */
async function receiver(answer: (n: number, res: ServerResponse) => void) {
  const hits: Hit[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      hits.push({ headers: req.headers, body });
      answer(hits.length, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  servers.push(server);
  return { hits, url: `http://127.0.0.1:${port}/hook?token=s3cret` };
}

const status = (code: number) => (_n: number, res: ServerResponse) => res.writeHead(code).end('{}');

const servers: Server[] = [];
const notifiers: WebhookNotifier[] = [];
function make(o: ConstructorParameters<typeof WebhookNotifier>[0]) {
  const n = new WebhookNotifier({ backoffMs: 10, timeoutMs: 2000, ...o });
  notifiers.push(n);
  return n;
}
function logger() {
  const lines: string[] = [];
  const log = (obj: unknown, msg?: string) => void lines.push(`${msg ?? ''} ${JSON.stringify(obj)}`);
  return { lines, warn: log, debug: log };
}

afterEach(async () => {
  for (const n of notifiers.splice(0)) n.stop();
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

describe('WebhookNotifier', () => {
  it('POSTs {event, swap, sent_at} as JSON to every URL and publishes on the bus', async () => {
    const a = await receiver(status(200));
    const b = await receiver(status(204));
    const bus = new EventBus();
    const seen: EventEnvelope[] = [];
    bus.subscribe((e) => seen.push(e));
    const n = make({ urls: [a.url, b.url], bus });
    n.notify('swap_complete', swap);
    expect(seen).toEqual([{ type: 'swap_complete', ts: expect.any(String), data: swap }]);
    await n.settled();
    for (const r of [a, b]) {
      expect(r.hits).toHaveLength(1);
      const hit = r.hits[0]!;
      expect(hit.headers['content-type']).toBe('application/json');
      expect(hit.headers['x-spark-control-event']).toBe('swap_complete');
      expect(JSON.parse(hit.body)).toEqual({ event: 'swap_complete', swap, sent_at: expect.any(String) });
    }
    expect(n.deliveries()).toEqual([
      expect.objectContaining({ index: 0, host: new URL(a.url).host, state: 'ok', last_status: 200 }),
      expect.objectContaining({ index: 1, state: 'ok', last_status: 204, delivered: 1, failed: 0 }),
    ]);
  });

  it('returns synchronously, before the receiver has even answered', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const r = await receiver((_n, res) => void gate.then(() => res.writeHead(200).end()));
    const n = make({ urls: [r.url] });
    const result = n.notify('swap_failed', { ...swap, state: 'failed', error: 'OOM' }) as unknown;
    expect(result).toBeUndefined();
    expect(r.hits).toHaveLength(0);
    expect(n.deliveries()[0]?.state).not.toBe('ok');
    release();
    await n.settled();
    expect(JSON.parse(r.hits[0]!.body)).toMatchObject({ event: 'swap_failed', swap: { error: 'OOM' } });
  });

  it('retries after a 500 and a 429, then succeeds, with the same delivery id', async () => {
    const r = await receiver((n, res) => res.writeHead(n === 1 ? 500 : n === 2 ? 429 : 200).end());
    const n = make({ urls: [r.url] });
    n.notify('swap_complete', swap);
    await n.settled();
    expect(r.hits).toHaveLength(3);
    const ids = new Set(r.hits.map((h) => h.headers['x-spark-control-delivery']));
    expect(ids.size).toBe(1);
    expect(n.deliveries()[0]).toMatchObject({ state: 'ok', attempts: 3, delivered: 1, last_status: 200 });
  });

  it('does not retry other 4xx answers, and logs the host without the query string', async () => {
    const r = await receiver(status(400));
    const log = logger();
    const n = make({ urls: [r.url], logger: log });
    n.notify('swap_complete', swap);
    await n.settled();
    expect(r.hits).toHaveLength(1);
    expect(n.deliveries()[0]).toMatchObject({ state: 'failed', last_status: 400, failed: 1, attempts: 1 });
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]).toContain(new URL(r.url).host);
    expect(log.lines.join('\n')).not.toMatch(/s3cret|\/hook/);
  });

  it('gives up after the configured retries, with exponential backoff', async () => {
    const r = await receiver(status(503));
    const n = make({ urls: [r.url], retries: 2, backoffMs: 50 });
    const started = performance.now();
    n.notify('swap_complete', swap);
    await n.settled();
    expect(r.hits).toHaveLength(3);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140); // 50 + 100 ms
    expect(n.deliveries()[0]).toMatchObject({ state: 'failed', last_status: 503, last_error: 'HTTP 503' });
  });

  it('times out each attempt on a receiver that never answers', async () => {
    const r = await receiver(() => undefined);
    const n = make({ urls: [r.url], timeoutMs: 200, retries: 1 });
    n.notify('swap_complete', swap);
    await n.settled();
    expect(r.hits).toHaveLength(2);
    expect(n.deliveries()[0]).toMatchObject({
      state: 'failed',
      last_status: null,
      last_error: 'timed out after 200 ms',
      attempts: 2,
    });
  });

  it('retries network errors and never throws', async () => {
    const r = await receiver(status(200));
    const closed = servers.pop()!;
    await new Promise((done) => closed.close(done));
    const log = logger();
    const n = make({ urls: [r.url, 'not a url', 'ftp://127.0.0.1/x?token=s3cret'], retries: 1, logger: log });
    expect(() => n.notify('swap_complete', swap)).not.toThrow();
    await n.settled();
    expect(n.deliveries()).toHaveLength(1);
    expect(n.deliveries()[0]).toMatchObject({ state: 'failed', attempts: 2, last_error: 'ECONNREFUSED' });
    expect(log.lines.join('\n')).not.toMatch(/s3cret/);
  });

  it('stop() cancels a pending retry', async () => {
    const r = await receiver(status(500));
    const n = make({ urls: [r.url], backoffMs: 60_000 });
    n.notify('swap_complete', swap);
    while (r.hits.length === 0) await new Promise((done) => setTimeout(done, 5));
    await new Promise((done) => setTimeout(done, 20));
    n.stop();
    await n.settled();
    expect(r.hits).toHaveLength(1);
    expect(n.deliveries()[0]).toMatchObject({ state: 'failed', last_error: 'cancelled' });
    n.notify('swap_complete', swap); // after stop: bus only, no delivery
    await n.settled();
    expect(r.hits).toHaveLength(1);
  });
});
