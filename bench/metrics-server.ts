// The server side of the metrics benchmark (bench/metrics.ts), in its own process as a real
// control plane is to Prometheus: GET /metrics (metricsRoutes + the bearer-token guard) over the
// bench's state (bench/metrics-load.ts), GET /constant (the same bytes from a constant, the
// reference) and GET /api/hardware (what the dashboards poll). `node --import tsx
// bench/metrics-server.ts <token> [<production build dir>]` prints one JSON line { pid, url }, then answers one JSON line per
// command line on stdin ({ id, cmd, … } → { id, … }):
// - `scrape` { runs, changed } / `scrape-text` / `defaults` { runs }: the handler's scrape.body()
//   (every gateway series changed before each call when `changed`) / the same exposition joined
//   into one string (scrape.metrics()) / Node's default metrics alone, timed in this process;
// - `phase-start` / `phase-end` { runs }: around the scraper's timed requests — the handler's
//   scrape CPU (p50/p99), this process's CPU per request and its event-loop lag;
// - `load-start` { clients, perMs } / `load-stop`: the in-process load (dashboards + gateway).
// stdin closing ends it.
import { createInterface } from 'node:readline';
import Fastify from 'fastify';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type * as AccessModule from '../src/server/modules/metrics/access.js';
import type * as RoutesModule from '../src/server/modules/metrics/routes.js';
import { buildState, startLoad, type StateModules } from './metrics-load.js';
import { cpuMs, measure, ms, processPhase } from './metrics-measure.js';
import { serverModules } from './production-build.js';
import { percentile } from './stats.js';

const token = process.argv[2];
if (!token) throw new Error('usage: metrics-server.ts <token> [<production build dir>]');
// The control plane's modules from its production build, as `npm start` runs them (or the sources).
const load = serverModules(process.argv[3]);
const { metricsGuard } = await load<typeof AccessModule>('modules/metrics/access.js');
const { metricsRoutes } = await load<typeof RoutesModule>('modules/metrics/routes.js');
const { scrape, unsubscribe, st, request, everyCombination } = buildState({
  ...(await load<StateModules>('platform/events/bus.js')),
  ...(await load<StateModules>('modules/metrics/fake-sources.js')),
  ...(await load<StateModules>('modules/metrics/index.js')),
});
// The reference's constant: the same bytes, as the route sends them (a Buffer, Scrape.body).
const constant = await scrape.body();
const defaultsOnly = new Registry();
collectDefaultMetrics({ register: defaultsOnly });

// The handler's own scrape, timed in CPU (the scrape runs to its end without waiting on I/O).
const handlerCpu: number[] = [];
const timedScrape = {
  contentType: scrape.contentType,
  body: async () => {
    const u0 = process.cpuUsage();
    const t = await scrape.body();
    handlerCpu.push(cpuMs(process.cpuUsage(u0)));
    return t;
  },
};
const app = Fastify();
await app.register(metricsRoutes, {
  scrape: timedScrape,
  guard: metricsGuard({ token, adminAuth: false, isAdmin: () => false }),
});
app.get('/constant', async (_req, reply) => reply.type(scrape.contentType).send(constant));
app.get('/api/hardware', async () => ({ nodes: st.hardware, services: st.services }));
const url = await app.listen({ port: 0, host: '127.0.0.1' });

/** The dashboards' client: undici's fetch in this process, as the load always was. */
const get = async (path: string) => {
  const res = await fetch(`${url}${path}`);
  if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
  return res.text();
};

let phase: ReturnType<typeof processPhase> | null = null;
let stopLoad: (() => Promise<void>) | null = null;
let i = 0;
type Command = {
  id: number;
  cmd: string;
  runs?: number;
  changed?: boolean;
  clients?: number;
  perMs?: number;
};

async function run(c: Command): Promise<Record<string, unknown>> {
  switch (c.cmd) {
    case 'scrape':
      return measure(c.runs!, () => scrape.body(), c.changed ? { before: () => everyCombination(i++) } : {});
    case 'scrape-text':
      return measure(c.runs!, () => scrape.metrics());
    case 'defaults':
      return measure(c.runs!, () => defaultsOnly.metrics());
    case 'phase-start':
      handlerCpu.length = 0;
      phase = processPhase();
      return {};
    case 'phase-end': {
      const p = phase!.end();
      phase = null;
      const handler = handlerCpu.length
        ? {
            handler_cpu_p50_ms: ms(percentile(handlerCpu, 50)),
            handler_cpu_p99_ms: ms(percentile(handlerCpu, 99)),
          }
        : {};
      return {
        ...handler,
        server_cpu_ms_per_call: ms(p.process_cpu_ms / c.runs!),
        server_event_loop_lag_p99_ms: p.event_loop_lag_p99_ms,
        server_gc: p.gc,
      };
    }
    case 'load-start':
      stopLoad = startLoad(get, '/api/hardware', request, { clients: c.clients!, perMs: c.perMs! });
      return {};
    case 'load-stop':
      await stopLoad?.();
      stopLoad = null;
      return {};
    case 'exposition': {
      const full = await scrape.metrics();
      return { bytes: full.length, series: full.split('\n').filter((l) => l && !l.startsWith('#')).length };
    }
    default:
      throw new Error(`unknown command ${c.cmd}`);
  }
}

process.stdout.write(`${JSON.stringify({ pid: process.pid, url })}\n`);
const lines = createInterface({ input: process.stdin });
// One command at a time, in order (the driver waits for each answer).
let queue = Promise.resolve();
lines.on('line', (line) => {
  const c = JSON.parse(line) as Command;
  queue = queue.then(async () => {
    try {
      process.stdout.write(`${JSON.stringify({ id: c.id, ...(await run(c)) })}\n`);
    } catch (err) {
      process.stdout.write(`${JSON.stringify({ id: c.id, error: String(err) })}\n`);
    }
  });
});
lines.on('close', () => {
  void queue.then(async () => {
    await stopLoad?.();
    unsubscribe();
    await app.close();
    process.exit(0);
  });
});
