// Metrics benchmark (issue 14): a /metrics scrape with 16 nodes, 10 services and 5 API keys
// (target p99 ≤ 10 ms), and no SSH: every collector reads an in-memory snapshot, so the state is
// built in-process with fixed snapshots at the collectors' seam (metrics/fake-sources.ts), plus
// real series from gateway traffic (5 keys × 3 routes × 3 models), swaps and jobs on the bus.
// Measured side by side in one run: `registry.metrics()` alone; GET /metrics over real HTTP;
// and, as the reference, the same text served by the same Fastify from a constant (what HTTP
// alone costs) and a registry holding only Node's default metrics. Wall times move a lot on this
// shared 2-core machine; CPU time (process.cpuUsage, client and server in this process) less.
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import Fastify from 'fastify';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { JobInfo, SwapInfo } from '../src/common/api.js';
import { EventBus } from '../src/server/platform/events/bus.js';
import type { GatewayRequestWatch } from '../src/server/modules/gateway/stats.js';
import { metricsGuard } from '../src/server/modules/metrics/access.js';
import { fakeSources, fakeState } from '../src/server/modules/metrics/fake-sources.js';
import { buildMetrics } from '../src/server/modules/metrics/index.js';
import { metricsRoutes } from '../src/server/modules/metrics/routes.js';
import { percentile, round, verdict } from './stats.js';

const RUNS = 300;
const KEYS = ['alice', 'bob', 'carol', 'dave', 'erin'];
const ROUTES = ['/v1/chat/completions', '/v1/completions', '/v1/models'];
const MODELS = ['served-a', 'served-b', 'unknown-to-the-gateway'];
const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

/** A finished response as the gateway observer sees one (the observer only reads these fields). */
function fakeResponse(status: number): ServerResponse {
  const res = new EventEmitter() as unknown as ServerResponse & {
    statusCode: number;
    writableFinished: boolean;
  };
  res.statusCode = status;
  res.writableFinished = true;
  res.write = (() => true) as unknown as ServerResponse['write'];
  res.end = (() => res) as unknown as ServerResponse['end'];
  return res;
}

function buildState() {
  const st = fakeState({ nodes: 16, services: 10 });
  const bus = new EventBus();
  let observer: ((w: GatewayRequestWatch) => void) | null = null;
  const m = buildMetrics({
    ...fakeSources(st),
    bus,
    gateway: { observe: (fn) => void (observer = fn) },
    sseClients: () => 3,
  });
  // Traffic: every key × route × model, a few requests each, some streamed, some failing.
  for (const keyName of KEYS)
    for (const route of ROUTES)
      for (const model of MODELS)
        for (let i = 0; i < 4; i++) {
          const res = fakeResponse(i === 3 ? 500 : 200);
          observer!({
            res,
            keyName,
            route,
            request: () => ({ model, stream: i % 2 === 0 }),
            failed: () => false,
          });
          res.write('x');
          res.emit('close');
        }
  const swap = (id: string, model: string, state: SwapInfo['state']) =>
    ({ id, model, state, elapsed_s: 120 + Number(id.slice(1)) }) as SwapInfo;
  for (let i = 0; i < 10; i++)
    bus.publish('swap', swap(`s${i}`, MODELS[i % 2]!, i % 3 === 0 ? 'failed' : 'ready'));
  for (let i = 0; i < 20; i++)
    bus.publish('job', {
      id: `j${i}`,
      kind: ['swap', 'download', 'auto-restart'][i % 3]!,
      state: i < 5 ? 'running' : 'succeeded',
    } as JobInfo);
  return m;
}

function timeIt(runs: number, fn: () => Promise<unknown>) {
  return async () => {
    const wall: number[] = [];
    const c0 = process.cpuUsage();
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await fn();
      wall.push(performance.now() - t0);
    }
    const cpu = cpuMs(process.cpuUsage(c0)) / runs;
    return {
      p50_ms: round(percentile(wall, 50), 3),
      p99_ms: round(percentile(wall, 99), 3),
      max_ms: round(Math.max(...wall), 3),
      cpu_ms_per_scrape: round(cpu, 3),
    };
  };
}

export async function metricsBench() {
  const { scrape, unsubscribe } = buildState();
  const text = await scrape.metrics();
  const defaultsOnly = new Registry();
  collectDefaultMetrics({ register: defaultsOnly });

  const app = Fastify();
  await app.register(metricsRoutes, {
    scrape,
    guard: metricsGuard({ token: 'bench-token-0123456789', adminAuth: false, isAdmin: () => false }),
  });
  app.get('/constant', async (_req, reply) => reply.type(scrape.contentType).send(text));
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const get = async (path: string) => {
    const res = await fetch(`${base}${path}`, {
      headers: { authorization: 'Bearer bench-token-0123456789' },
    });
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    return res.text();
  };
  try {
    const phases = {
      'registry.metrics()': timeIt(RUNS, () => scrape.metrics()),
      'default metrics only (reference)': timeIt(RUNS, () => defaultsOnly.metrics()),
      'GET /metrics': timeIt(RUNS, () => get('/metrics')),
      'GET same text from a constant (reference)': timeIt(RUNS, () => get('/constant')),
    };
    for (const p of [scrape.metrics(), defaultsOnly.metrics(), get('/metrics'), get('/constant')]) await p; // warm-up
    const results: Record<string, Awaited<ReturnType<ReturnType<typeof timeIt>>>> = {};
    for (const [name, run] of Object.entries(phases)) results[name] = await run();
    const series = text.split('\n').filter((l) => l && !l.startsWith('#')).length;
    console.log(
      `exposition: ${Math.round(text.length / 1024)} KiB, ${series} series (16 nodes, 10 services, 5 API keys)`,
    );
    for (const [name, r] of Object.entries(results))
      console.log(
        `${name}: p50 ${r.p50_ms} ms, p99 ${r.p99_ms} ms, max ${r.max_ms} ms, ${r.cpu_ms_per_scrape} CPU ms/scrape`,
      );
    const http = results['GET /metrics']!;
    const constant = results['GET same text from a constant (reference)']!;
    console.log(
      `GET /metrics p99 ${http.p99_ms} ms (target ≤ 10 ms: ${verdict(http.p99_ms <= 10)}); CPU ratio to serving the constant text: ${round(http.cpu_ms_per_scrape / constant.cpu_ms_per_scrape)}`,
    );
    return {
      setup: { nodes: 16, services: 10, api_keys: 5, runs: RUNS, bytes: text.length, series },
      results,
    };
  } finally {
    unsubscribe();
    await app.close();
  }
}
