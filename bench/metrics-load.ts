// The metrics bench's fixtures: the state a scrape reads (16 nodes, 10 services, 5 API keys × 3
// routes × 3 models of gateway traffic, swaps and jobs on the bus) and the in-process load a scrape
// competes with in the real server: gateway requests finishing (which change the gateway series)
// and dashboards polling a JSON snapshot over HTTP.
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { JobInfo, SwapInfo } from '../src/common/api.js';
import type * as BusModule from '../src/server/platform/events/bus.js';
import type { GatewayRequestWatch } from '../src/server/modules/gateway/stats.js';
import type * as FakeSourcesModule from '../src/server/modules/metrics/fake-sources.js';
import type * as MetricsModule from '../src/server/modules/metrics/index.js';

/** The modules the state is built from: a production build's (bench/production-build.ts) or the sources'. */
export type StateModules = typeof BusModule & typeof FakeSourcesModule & typeof MetricsModule;

export const KEYS = ['alice', 'bob', 'carol', 'dave', 'erin'];
export const ROUTES = ['/v1/chat/completions', '/v1/completions', '/v1/models'];
export const MODELS = ['served-a', 'served-b', 'unknown-to-the-gateway'];

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

export function buildState({ EventBus, fakeSources, fakeState, buildMetrics }: StateModules) {
  const st = fakeState({ nodes: 16, services: 10 });
  const bus = new EventBus();
  let observer: ((w: GatewayRequestWatch) => void) | null = null;
  const m = buildMetrics({
    ...fakeSources(st),
    bus,
    gateway: { observe: (fn) => void (observer = fn) },
    sseClients: () => 3,
  });
  /** One gateway request finishing (what the gateway's response 'close' does). */
  const request = (keyName: string, route: string, model: string, i: number) => {
    const res = fakeResponse(i % 4 === 3 ? 500 : 200);
    observer!({ res, keyName, route, request: () => ({ model, stream: i % 2 === 0 }), failed: () => false });
    res.write('x');
    res.emit('close');
  };
  /** A request on every key × route × model: every gateway series changed since the last scrape. */
  const everyCombination = (i: number) => {
    for (const k of KEYS) for (const r of ROUTES) for (const m of MODELS) request(k, r, m, i);
  };
  for (let i = 0; i < 4; i++) everyCombination(i);
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
  return { ...m, st, request, everyCombination };
}

/**
 * The load: `clients` loops GETting `path` back to back (dashboards polling), and gateway requests
 * finishing at `perMs` a millisecond on random combinations. Returns a stop function.
 */
export function startLoad(
  get: (path: string) => Promise<unknown>,
  path: string,
  request: (key: string, route: string, model: string, i: number) => void,
  o: { clients: number; perMs: number },
): () => Promise<void> {
  let running = true;
  const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;
  let n = 0;
  const gateway = setInterval(() => {
    for (let i = 0; i < o.perMs; i++) request(pick(KEYS), pick(ROUTES), pick(MODELS), n++);
  }, 1);
  const loops = Array.from({ length: o.clients }, async () => {
    while (running) await get(path);
  });
  return async () => {
    running = false;
    clearInterval(gateway);
    await Promise.all(loops);
  };
}
