// Metrics benchmark (issue 14): a /metrics scrape with 16 nodes, 10 services and 5 API keys
// (target p99 ≤ 10 ms), and no SSH: every collector reads an in-memory snapshot, so the state is
// built in-process with fixed snapshots at the collectors' seam (metrics/fake-sources.ts), plus
// real series from gateway traffic, swaps and jobs on the bus (bench/metrics-load.ts).
// Side by side in one run: the exposition alone (nothing changed since the last scrape, and every
// gateway series changed), GET /metrics over real HTTP idle and under load (dashboards polling a
// JSON snapshot + gateway requests finishing, in this process), and as references the same text
// served from a constant and Node's default metrics alone. Wall time under load includes the
// event-loop lag the load itself causes, so the lag is reported on its own, and so is the CPU
// time of the handler's scrape (process.cpuUsage around it), which the machine's noise moves least.
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import Fastify from 'fastify';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { metricsGuard } from '../src/server/modules/metrics/access.js';
import { metricsRoutes } from '../src/server/modules/metrics/routes.js';
import { buildState, startLoad } from './metrics-load.js';
import { percentile, round, verdict } from './stats.js';

const RUNS = 300;
const LOADED_RUNS = 150;
const TOKEN = 'bench-token-0123456789';
const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ms = (v: number) => round(v, 3);

/** Wall and CPU of each call of `fn` (`before` runs untimed first), and the event-loop lag meanwhile. */
async function measure(
  runs: number,
  fn: () => Promise<unknown>,
  o: { before?: () => void; pauseMs?: number } = {},
) {
  const wall: number[] = [];
  const cpu: number[] = [];
  const lag = monitorEventLoopDelay({ resolution: 1 });
  lag.enable();
  const c0 = process.cpuUsage();
  let untimedCpu = 0;
  for (let i = 0; i < runs; i++) {
    if (o.before) {
      const b0 = process.cpuUsage();
      o.before();
      untimedCpu += cpuMs(process.cpuUsage(b0));
    }
    const u0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    wall.push(performance.now() - t0);
    cpu.push(cpuMs(process.cpuUsage(u0)));
    if (o.pauseMs) await sleep(o.pauseMs);
  }
  const processCpu = cpuMs(process.cpuUsage(c0)) - untimedCpu;
  lag.disable();
  return {
    wall_p50_ms: ms(percentile(wall, 50)),
    wall_p99_ms: ms(percentile(wall, 99)),
    cpu_p50_ms: ms(percentile(cpu, 50)),
    cpu_p99_ms: ms(percentile(cpu, 99)),
    /** Everything this process burned over the phase (client, server, load) per call. */
    process_cpu_ms_per_call: ms(processCpu / runs),
    event_loop_lag_p99_ms: ms(lag.percentile(99) / 1e6),
  };
}
type Result = Awaited<ReturnType<typeof measure>>;

export async function metricsBench() {
  const { scrape, unsubscribe, st, request, everyCombination } = buildState();
  const text = await scrape.metrics();
  const defaultsOnly = new Registry();
  collectDefaultMetrics({ register: defaultsOnly });

  // The handler's own scrape, timed in CPU (the scrape runs to its end without waiting on I/O).
  const handlerCpu: number[] = [];
  const timedScrape = {
    contentType: scrape.contentType,
    metrics: async () => {
      const u0 = process.cpuUsage();
      const t = await scrape.metrics();
      handlerCpu.push(cpuMs(process.cpuUsage(u0)));
      return t;
    },
  };
  const app = Fastify();
  await app.register(metricsRoutes, {
    scrape: timedScrape,
    guard: metricsGuard({ token: TOKEN, adminAuth: false, isAdmin: () => false }),
  });
  app.get('/constant', async (_req, reply) => reply.type(scrape.contentType).send(text));
  app.get('/api/hardware', async () => ({ nodes: st.hardware, services: st.services }));
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const get = async (path: string) => {
    const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    return res.text();
  };
  const handler = () => {
    const r = {
      handler_cpu_p50_ms: ms(percentile(handlerCpu, 50)),
      handler_cpu_p99_ms: ms(percentile(handlerCpu, 99)),
    };
    handlerCpu.length = 0;
    return r;
  };
  let i = 0;
  const load = { clients: 4, perMs: 1 };
  try {
    for (const p of [scrape.metrics(), defaultsOnly.metrics(), get('/metrics'), get('/constant')]) await p; // warm-up
    handlerCpu.length = 0;
    const results: Record<string, Result & Partial<ReturnType<typeof handler>>> = {};
    results['scrape.metrics(), nothing changed'] = await measure(RUNS, () => scrape.metrics());
    results['scrape.metrics(), every gateway series changed'] = await measure(RUNS, () => scrape.metrics(), {
      before: () => everyCombination(i++),
    });
    results['default metrics only (reference)'] = await measure(RUNS, () => defaultsOnly.metrics());
    results['GET /metrics idle'] = { ...(await measure(RUNS, () => get('/metrics'))), ...handler() };
    results['GET constant text idle (reference)'] = await measure(RUNS, () => get('/constant'));
    for (const [name, path] of [
      ['GET /metrics under load', '/metrics'],
      ['GET constant text under load (reference)', '/constant'],
    ] as const) {
      const stop = startLoad(get, '/api/hardware', request, load);
      await sleep(200);
      handlerCpu.length = 0;
      results[name] = { ...(await measure(LOADED_RUNS, () => get(path), { pauseMs: 5 })), ...handler() };
      await stop();
    }
    delete results['GET constant text under load (reference)']!.handler_cpu_p50_ms;
    delete results['GET constant text under load (reference)']!.handler_cpu_p99_ms;

    const full = await scrape.metrics();
    const series = full.split('\n').filter((l) => l && !l.startsWith('#')).length;
    console.log(
      `exposition: ${Math.round(full.length / 1024)} KiB, ${series} series (16 nodes, 10 services, 5 API keys)`,
    );
    for (const [name, r] of Object.entries(results))
      console.log(
        `${name}: wall p50 ${r.wall_p50_ms} / p99 ${r.wall_p99_ms} ms; CPU/call p50 ${r.cpu_p50_ms} / p99 ${r.cpu_p99_ms} ms` +
          (r.handler_cpu_p99_ms !== undefined
            ? `; handler scrape CPU p50 ${r.handler_cpu_p50_ms} / p99 ${r.handler_cpu_p99_ms} ms`
            : '') +
          `; process CPU ${r.process_cpu_ms_per_call} ms/call; event-loop lag p99 ${r.event_loop_lag_p99_ms} ms`,
      );
    const idle = results['GET /metrics idle']!;
    const loaded = results['GET /metrics under load']!;
    const loadedRef = results['GET constant text under load (reference)']!;
    const changed = results['scrape.metrics(), every gateway series changed']!;
    console.log(
      `verdict: GET /metrics idle p99 ${idle.wall_p99_ms} ms (target ≤ 10 ms: ${verdict(idle.wall_p99_ms <= 10)}); ` +
        `under load p99 ${loaded.wall_p99_ms} ms (${verdict(loaded.wall_p99_ms <= 10)}) with event-loop lag p99 ${loaded.event_loop_lag_p99_ms} ms ` +
        `(the constant text under the same load: p99 ${loadedRef.wall_p99_ms} ms); ` +
        `the scrape itself: CPU p99 ${changed.cpu_p99_ms} ms with every gateway series changed (${verdict(changed.cpu_p99_ms <= 10)})`,
    );
    return {
      setup: {
        nodes: 16,
        services: 10,
        api_keys: 5,
        runs: RUNS,
        loaded_runs: LOADED_RUNS,
        load,
        bytes: full.length,
        series,
      },
      results,
    };
  } finally {
    unsubscribe();
    await app.close();
  }
}
