// GET /api/hardware and GET /api/status under open-loop load (200 req/s) with one node down:
// first a worker, then the head node (vLLM's host). Target: p99 ≤ 5 ms for each endpoint.
//
// Three processes, as in production: the simulator (bench/sim-process.ts: its SSH servers, bash
// and fake vLLM are the Sparks), the load generator (bench/open-loop-load.ts: the dashboards),
// and the control plane here. The control plane stays in this process because nothing else runs
// in it while a phase runs (this code only awaits the generator's exit), so it measures the
// server fairly while `process.cpuUsage()` gives its CPU directly and `--cpu-prof` profiles it.
// The control plane runs with production timings (hardware sweep every 5 s, status every 5 s),
// so its background work (SSH probes, history writes, the down node's reconnects) lands inside
// every phase the way it would for a dashboard user.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pino from 'pino';
import type { HardwareSnapshot, StatusResponse } from '../src/common/api.js';
import { buildApp } from '../src/server/app.js';
import { createLogger } from '../src/server/platform/log.js';
import { waitFor } from '../test/helpers/harness.js';
import { cluster } from './cluster.js';
import { percentile, round } from './stats.js';

const RATE = 200;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 20);
const WARMUP_S = 2;
/** A dashboard's browser holds about six connections; a few dashboards open. */
const CONNECTIONS = 16;
const ENDPOINTS = ['/api/hardware', '/api/status'] as const;

interface LoadAnswer {
  sent: number;
  answered: number;
  ok: number;
  errors: number;
  errorSamples: string[];
  latencyMs: number[];
  p99FromSendMs: number;
  sendLagMs: { p99: number; max: number };
  elapsedS: number;
}

/** Runs the generator in its own process and resolves with its answer. */
export function runLoad(url: string, durationS = DURATION_S, warmupS = WARMUP_S): Promise<LoadAnswer> {
  const job = {
    url,
    rate: RATE,
    durationS,
    warmupS,
    connections: CONNECTIONS,
    timeoutMs: 10_000,
  };
  const root = new URL('../', import.meta.url).pathname;
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'bench/open-loop-load.ts', JSON.stringify(job)],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as LoadAnswer) : reject(new Error(`load generator exit ${code}`)),
    );
  });
}

/** CPU seconds this process spent (user + system) since `from`. */
const cpuSince = (from: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1e6;
};

/** Watches this process's event loop; on in the background window too, so its cost nets out. */
function loopMonitor() {
  const h = monitorEventLoopDelay({ resolution: 2 });
  h.enable();
  return () => {
    h.disable();
    return { p99: round(h.percentile(99) / 1e6), max: round(h.max / 1e6) };
  };
}

/** The control plane's CPU while idle (background sweeps only), in CPU seconds per second. */
export async function backgroundCpu(seconds: number): Promise<number> {
  const stopMonitor = loopMonitor();
  const cpu = process.cpuUsage();
  const t = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const perS = cpuSince(cpu) / ((performance.now() - t) / 1000);
  stopMonitor();
  return perS;
}

export type PhaseResult = Awaited<ReturnType<typeof phase>>;
export interface ScenarioResult {
  node_down: string;
  background_cpu_s_per_s: number;
  cpu_vs_bare_node_http: Record<string, number>;
  endpoints: Record<string, PhaseResult>;
}

export async function phase(url: string, background: number) {
  // How long the control plane's event loop was held up: a stall of its own (a sweep, a
  // synchronous query, GC) shows here; a latency tail without one is the machine's scheduling.
  const stopMonitor = loopMonitor();
  const cpu = process.cpuUsage();
  const t = performance.now();
  const a = await runLoad(url);
  const cpuS = cpuSince(cpu);
  const loopDelay = stopMonitor();
  const wallS = (performance.now() - t) / 1000;
  // The CPU covers every request the generator made, warm-up and connection openers included.
  const requests = a.answered;
  return {
    sent: a.sent,
    achieved_rps: round(a.ok / a.elapsedS, 1),
    errors: a.errors,
    ...(a.errorSamples.length > 0 ? { error_samples: a.errorSamples } : {}),
    p50_ms: round(percentile(a.latencyMs, 50)),
    p90_ms: round(percentile(a.latencyMs, 90)),
    p99_ms: round(percentile(a.latencyMs, 99)),
    max_ms: round(percentile(a.latencyMs, 100)),
    p99_from_send_ms: round(a.p99FromSendMs),
    generator_send_lag_ms: { p99: round(a.sendLagMs.p99), max: round(a.sendLagMs.max) },
    server_loop_delay_ms: loopDelay,
    // Everything the control plane spent during the phase (background work included), and the
    // same less its idle background rate: the requests' own cost.
    cpu_s_per_1000_req: round((cpuS / requests) * 1000, 3),
    cpu_s_per_1000_req_net: round((Math.max(0, cpuS - background * wallS) / requests) * 1000, 3),
  };
}

/**
 * The floor this machine gives right now: a bare node:http server in this process answering a
 * fixed body of /api/status's size, measured with the same generator beside the real endpoints.
 * A p99 the bare server misses too is the machine's scheduling, not the control plane.
 */
export async function bareServer(body: string) {
  const server = createServer((_req, res) =>
    res
      .writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
      .end(body),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise((r) => server.close(r)),
  };
}

export async function hardwareUnderLoad() {
  const c = await cluster(2);
  // The production logger at its default level (every request logged, as main.ts does), written
  // synchronously like pino's stdout, to /dev/null.
  const logger = createLogger('info', pino.destination({ dest: '/dev/null', sync: true }));
  const app = await buildApp({ config: c.config, db: c.db, transport: c.transport, keys: c.keys, logger });
  try {
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const get = async <T>(path: string) => (await (await fetch(`${base}${path}`)).json()) as T;
    const hw = () => get<HardwareSnapshot>('/api/hardware');
    const status = () => get<StatusResponse>('/api/status');
    await waitFor(async () => (await hw()).spark1?.ok && (await hw()).spark2?.ok, 30_000);

    const scenarios = [
      {
        name: 'worker_down',
        down: 'spark2',
        // The answer must stay truthful under load: the down node is reported unreachable.
        truthful: async () => (await hw()).spark2?.error_kind === 'unreachable',
      },
      {
        name: 'head_down',
        down: 'spark1',
        truthful: async () =>
          (await hw()).spark1?.error_kind === 'unreachable' && (await status()).vllm.state === 'unreachable',
      },
    ];
    // Unmeasured first pass over every endpoint: V8 optimizes the request path on background
    // threads that process.cpuUsage() counts, which made whichever phase ran first look dearer.
    for (const path of ENDPOINTS) await runLoad(`${base}${path}`, 5, 0);

    const results: Record<string, ScenarioResult> = {};
    let up: string | null = null;
    for (const s of scenarios) {
      if (up) await c.sim.fault(`/nodes/${up}/up`);
      await c.sim.fault(`/nodes/${s.down}/down`);
      up = s.down;
      await waitFor(s.truthful, 30_000);
      const background = await backgroundCpu(10);
      const endpoints: Record<string, PhaseResult> = {};
      for (const path of ENDPOINTS) {
        endpoints[path] = await phase(`${base}${path}`, background);
        if (!(await s.truthful())) throw new Error(`${s.name}: ${path} stopped reporting ${s.down} as down`);
      }
      const bare = await bareServer(JSON.stringify(await status()));
      try {
        endpoints.baseline_bare_node_http = await phase(bare.url, background);
      } finally {
        await bare.close();
      }
      const bareCpu = endpoints.baseline_bare_node_http.cpu_s_per_1000_req;
      results[s.name] = {
        node_down: s.down,
        background_cpu_s_per_s: round(background, 4),
        // CPU per request against a bare node:http server: what Fastify, the hooks, the request
        // log and the handler add. Gross on both sides (each carries the same background work):
        // steadier than the net figures, whose background estimate comes from another window.
        cpu_vs_bare_node_http: Object.fromEntries(
          ENDPOINTS.map((path) => [path, round(endpoints[path]!.cpu_s_per_1000_req / bareCpu)]),
        ),
        endpoints,
      };
    }
    return {
      setup: {
        rate_rps: RATE,
        duration_s: DURATION_S,
        warmup_s: WARMUP_S,
        connections: CONNECTIONS,
        load: 'open loop (latency from each request’s due time), generator in its own process',
      },
      scenarios: results,
    };
  } finally {
    await app.close();
    await c.close();
  }
}
