// The control plane for the gateway benchmark, in its own process (`node --import tsx
// bench/gateway-server.ts <token delay ms> [<production build dir>]`), so the CPU it spends relaying can be read from
// /proc/<pid>/stat apart from the load generator's and the driver's. It starts a simulated
// cluster (the fake vLLM in a further process), builds the app as production does (samplers on)
// and prints one JSON line: { pid, gatewayUrl, vllmUrl, vllmPid }. A `stop` line on stdin (or
// stdin closing) shuts it down and exits normally, so `--cpu-prof` gets to write its profile.
import { createInterface } from 'node:readline';
import type * as AppModule from '../src/server/app.js';
import { cluster } from './cluster.js';
import { serverModules } from './production-build.js';

const tokenDelayMs = Number(process.argv[2] ?? 10);
// A production build's directory (bench/production-build.ts), or this checkout's sources.
const load = serverModules(process.argv[3]);
const { buildApp } = await load<typeof AppModule>('app.js');
const c = await cluster(1, 0.05, load);
// GATEWAY_BENCH_SAMPLERS=0 (the no-samplers baseline): no background work beside the relay.
const startSamplers = process.env.GATEWAY_BENCH_SAMPLERS !== '0';
const app = await buildApp({
  config: c.config,
  db: c.db,
  transport: c.transport,
  keys: c.keys,
  startSamplers,
});
await c.sim.fault('/vllm/token-delay', { ms: tokenDelayMs });
const gatewayUrl = await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(
  `${JSON.stringify({ pid: process.pid, gatewayUrl, vllmUrl: c.sim.vllm.url, vllmPid: c.sim.pid })}\n`,
);

let stopping: Promise<void> | undefined;
const stop = (): Promise<void> =>
  (stopping ??= (async () => {
    await app.close();
    await c.close();
  })());

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line.trim() === 'stop') lines.close();
});
lines.on('close', () => {
  stop()
    .then(() => process.exit(0))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
});
