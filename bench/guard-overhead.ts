// What the request guard and admin auth add to GET /api/hardware (issue 7: ≤ 0.1 ms p50).
// Two servers in this process answer from the same HardwareService: one with only the error
// handling and the hardware routes, one with the guard and auth in front as buildApp installs
// them. A client in its own process sends requests one at a time, rotating between the servers
// (off, token, session) so every variant sees the same machine noise.
import { spawn } from 'node:child_process';
import Fastify from 'fastify';
import type { AppConfig } from '../src/server/config/types.js';
import { authModule } from '../src/server/modules/auth/index.js';
import { SessionStore } from '../src/server/modules/auth/store.js';
import { HardwareService } from '../src/server/modules/nodes/hardware-service.js';
import { HardwareStore } from '../src/server/modules/nodes/hardware-store.js';
import { nodeRoutes } from '../src/server/modules/nodes/routes.js';
import { EventBus } from '../src/server/platform/events/bus.js';
import { installErrorHandling } from '../src/server/platform/http/error-handler.js';
import { installRequestGuard } from '../src/server/platform/http/request-guard.js';
import { cluster } from './cluster.js';
import { round, verdict } from './stats.js';

const TOKEN = 'bench-admin-token-0123456789abcdef';

// Runs in the client process: sequential requests, variants rotated, per-variant percentiles.
const CLIENT = `
const { request } = require(process.argv[1]);
const variants = JSON.parse(process.argv[2]);
const rounds = Number(process.argv[3]);
const times = variants.map(() => []);
const pct = (v, p) => { const s = [...v].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil(p / 100 * s.length) - 1)]; };
(async () => {
  for (let r = 0; r < rounds; r++)
    for (let k = 0; k < variants.length; k++) {
      const i = (r + k) % variants.length;
      const t = performance.now();
      const res = await request(variants[i].url, { headers: variants[i].headers });
      await res.body.arrayBuffer();
      if (res.statusCode !== 200) throw new Error(variants[i].name + ' answered ' + res.statusCode);
      if (r >= 300) times[i].push(performance.now() - t);
    }
  console.log(JSON.stringify(variants.map((v, i) => ({ name: v.name, p50: pct(times[i], 50), p99: pct(times[i], 99), n: times[i].length }))));
})().catch((e) => { console.error(e); process.exit(1); });
`;

function runClient(
  variants: { name: string; url: string; headers: Record<string, string> }[],
  rounds: number,
) {
  const undici = new URL('../node_modules/undici/index.js', import.meta.url).pathname;
  return new Promise<{ name: string; p50: number; p99: number; n: number }[]>((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', CLIENT, undici, JSON.stringify(variants), String(rounds)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`client exit ${code}`)),
    );
  });
}

export async function guardOverhead(rounds = 4000) {
  const c = await cluster(2);
  const hardware = new HardwareService({
    nodes: c.config.nodes,
    transport: c.transport,
    store: new HardwareStore(c.db),
    bus: new EventBus(),
    intervalMs: 60_000,
    historyHours: 1,
  });
  const config: AppConfig = {
    ...c.config,
    host: '127.0.0.1',
    auth: { admin_password_hash: null, admin_tokens: [{ name: 'bench', token: TOKEN }], session_hours: 1 },
  };
  const serve = async (secured: boolean) => {
    const app = Fastify({ logger: false });
    installErrorHandling(app);
    if (secured) {
      installRequestGuard(app, config);
      await authModule(app, { db: c.db, config });
    }
    await app.register(nodeRoutes, {
      nodes: config.nodes,
      hardware,
      store: new HardwareStore(c.db),
      transport: c.transport,
      historyHours: 1,
      publicKey: () => ({ public_key: '', fingerprint: '', commands: [] }),
    });
    return { app, url: `${await app.listen({ port: 0, host: '127.0.0.1' })}/api/hardware` };
  };
  const [off, on] = [await serve(false), await serve(true)];
  try {
    await hardware.sweep();
    const session = new SessionStore(c.db, '').create(3600_000);
    const results = await runClient(
      [
        { name: 'off', url: off.url, headers: {} },
        { name: 'on_token', url: on.url, headers: { authorization: `Bearer ${TOKEN}` } },
        { name: 'on_session', url: on.url, headers: { cookie: `sc_session=${session}` } },
      ],
      rounds,
    );
    const by = Object.fromEntries(results.map((r) => [r.name, r]));
    const added = {
      token_ms: round(by.on_token!.p50 - by.off!.p50, 3),
      session_ms: round(by.on_session!.p50 - by.off!.p50, 3),
    };
    const p50 = (n: string) => round(by[n]!.p50, 3);
    console.log(
      `GET /api/hardware p50, guard+auth off ${p50('off')} ms | on with admin token ${p50('on_token')} ms (+${added.token_ms}) | on with session ${p50('on_session')} ms (+${added.session_ms})  (target added p50 ≤ 0.1 ms: ${verdict(Math.max(added.token_ms, added.session_ms) <= 0.1)})`,
    );
    return {
      samples_per_variant: by.off!.n,
      p50_ms: { off: p50('off'), on_token: p50('on_token'), on_session: p50('on_session') },
      p99_ms: Object.fromEntries(results.map((r) => [r.name, round(r.p99, 3)])),
      added_p50_ms: added,
    };
  } finally {
    hardware.stop();
    await off.app.close();
    await on.app.close();
    await c.close();
  }
}
