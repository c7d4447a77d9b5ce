// The gateway observer on real node:http responses: counts, errors, aborts, latency and time to
// the first body byte, with bounded labels (a model nobody knows is `other`; never the key).
import { createServer, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parsePrometheusText, sampleOf } from '../../../../test/helpers/prom-text.js';
import { GatewayMetrics, onFirstWrite } from './gateway-metrics.js';
import { ModelLabels } from './labels.js';
import { Scrape } from './scrape.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A server whose handler gets the response; returns its URL. */
async function serve(handler: (res: ServerResponse) => void): Promise<string> {
  const server = createServer((_req, res) => handler(res));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const get = (url: string) =>
  new Promise<string>((resolve, reject) => {
    request(url, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(body));
    })
      .on('error', reject)
      .end();
  });

/** Sleeps on a fake clock: the metrics read `now`, so durations are exact. */
function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('onFirstWrite', () => {
  it('fires once, on the first write, and puts the methods back', async () => {
    let marks = 0;
    let writeWasOwn = true;
    const url = await serve((res) => {
      const write = res.write;
      onFirstWrite(res, () => marks++);
      res.write('a');
      writeWasOwn = res.write === write;
      res.write('b');
      res.end('c');
    });
    expect(await get(url)).toBe('abc');
    expect(marks).toBe(1);
    expect(writeWasOwn).toBe(true);
  });
});

describe('GatewayMetrics', () => {
  it('records a streamed request: count, latency, time to first token, labels', async () => {
    const s = new Scrape();
    const c = clock();
    const m = new GatewayMetrics(s, new ModelLabels((x) => x === 'qwen'), c.now);
    const url = await serve((res) => {
      m.watch({
        res,
        keyName: 'alice',
        route: '/v1/chat/completions',
        request: () => ({ model: 'qwen', stream: true }),
        failed: () => false,
      });
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      c.advance(300);
      res.write('data: {}\n\n');
      c.advance(1700);
      res.end('data: [DONE]\n\n');
    });
    await get(url);
    await new Promise((r) => setTimeout(r, 20)); // 'close' follows the end
    const f = parsePrometheusText(await s.metrics());
    const labels = { route: '/v1/chat/completions', model: 'qwen', key_name: 'alice' };
    expect(sampleOf(f, 'spark_control_gateway_requests_total', labels)).toBe(1);
    expect(sampleOf(f, 'spark_control_gateway_errors_total', labels)).toBe(0);
    const d = 'spark_control_gateway_request_duration_seconds';
    expect(sampleOf(f, d, labels, `${d}_sum`)).toBe(2);
    const t = 'spark_control_gateway_time_to_first_token_seconds';
    expect(sampleOf(f, t, labels, `${t}_sum`)).toBe(0.3);
    expect(sampleOf(f, t, { ...labels, le: '0.25' }, `${t}_bucket`)).toBe(0);
    expect(sampleOf(f, t, { ...labels, le: '0.5' }, `${t}_bucket`)).toBe(1);
  });

  it('counts errors (status and in-stream), keeps TTFT to streams, and labels unknown models other', async () => {
    const s = new Scrape();
    const m = new GatewayMetrics(s, new ModelLabels((x) => x === 'qwen'));
    let n = 0;
    const url = await serve((res) => {
      n++;
      m.watch({
        res,
        keyName: 'anonymous',
        route: undefined,
        request: () => ({ model: n === 1 ? 'whatever-a-client-says' : null, stream: false }),
        failed: () => n === 2,
      });
      res.writeHead(n === 1 ? 404 : 200);
      res.end('x');
    });
    await get(url);
    await get(url);
    await new Promise((r) => setTimeout(r, 20));
    const f = parsePrometheusText(await s.metrics());
    const first = { route: 'unmatched', model: 'other', key_name: 'anonymous' };
    const second = { route: 'unmatched', model: 'none', key_name: 'anonymous' };
    expect(sampleOf(f, 'spark_control_gateway_errors_total', first)).toBe(1);
    expect(sampleOf(f, 'spark_control_gateway_errors_total', second)).toBe(1);
    const t = 'spark_control_gateway_time_to_first_token_seconds';
    expect(sampleOf(f, t, first, `${t}_count`)).toBe(0);
  });

  it('counts a client that leaves mid-answer as aborted, not as an error or a latency', async () => {
    const s = new Scrape();
    const m = new GatewayMetrics(s, new ModelLabels(() => true));
    let closed!: () => void;
    const done = new Promise<void>((r) => (closed = r));
    const url = await serve((res) => {
      m.watch({
        res,
        keyName: 'bob',
        route: '/v1/completions',
        request: () => ({ model: 'm', stream: true }),
        failed: () => false,
      });
      res.once('close', () => setImmediate(closed));
      res.writeHead(200);
      res.write('partial');
    });
    await new Promise<void>((resolve) => {
      const req = request(url, (res) => res.once('data', () => req.destroy()));
      req.on('close', () => resolve());
      req.on('error', () => resolve());
      req.end();
    });
    await done;
    const f = parsePrometheusText(await s.metrics());
    const labels = { route: '/v1/completions', key_name: 'bob' };
    expect(sampleOf(f, 'spark_control_gateway_aborted_total', labels)).toBe(1);
    expect(sampleOf(f, 'spark_control_gateway_errors_total', labels)).toBe(0);
    const d = 'spark_control_gateway_request_duration_seconds';
    expect(sampleOf(f, d, labels, `${d}_count`)).toBe(0);
  });

  it('reuses the text between scrapes only while nothing changed: a request after a scrape shows in the next', async () => {
    const s = new Scrape();
    const m = new GatewayMetrics(s, new ModelLabels((x) => x === 'qwen'));
    const url = await serve((res) => {
      m.watch({
        res,
        keyName: 'alice',
        route: '/v1/completions',
        request: () => ({ model: 'qwen', stream: false }),
        failed: () => false,
      });
      res.end('x');
    });
    const requests = async () =>
      sampleOf(parsePrometheusText(await s.metrics()), 'spark_control_gateway_requests_total', {
        key_name: 'alice',
      });
    const settled = () => new Promise((r) => setTimeout(r, 20)); // 'close' follows the end
    expect(await requests()).toBeUndefined();
    await get(url);
    await settled();
    const first = await s.metrics();
    expect(await requests()).toBe(1);
    expect(await s.metrics()).toBe(first);
    await Promise.all([get(url), get(url)]);
    await settled();
    expect(await requests()).toBe(3);
    const d = 'spark_control_gateway_request_duration_seconds';
    expect(sampleOf(parsePrometheusText(await s.metrics()), d, { key_name: 'alice' }, `${d}_count`)).toBe(3);
  });
});
