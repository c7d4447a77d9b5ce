// `npm run bench -- deep-health`: (1) from a Parakeet 500 on a gateway request to `docker restart`
// issued on the speech node (target ≤ 2 s), beside the same path started by a manual deep check,
// measured from the simulator's sshd exec log timestamps; (2) a flapping Parakeet wedge under a
// 10-minute accelerated run (the deep-health clock moves 15 s per step, failures keep coming) never
// exceeds the restart budget. The simulator runs in its own process; the control plane in this one.
import { loadavg } from 'node:os';
import { sshExecLog } from '../src/sim/argv-log.js';
import { buildApp } from '../src/server/app.js';
import { cluster } from './cluster.js';
import { spread } from './stats.js';
import { join } from 'node:path';

const RUNS = 7;
const MIN = 60_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const summary = (xs: number[]) => spread(xs);

function silenceWav(): Buffer {
  const n = 16_000;
  const h = Buffer.alloc(44 + n * 2);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + n * 2, 4);
  h.write('WAVEfmt ', 8, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(16_000, 24);
  h.writeUInt32LE(32_000, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(n * 2, 40);
  return h;
}

export async function deepHealthBench(): Promise<Record<string, unknown>> {
  const load = loadavg()[0] ?? NaN;
  const c = await cluster(2);
  const clock = { now: Date.now() };
  const config = { ...c.config, deep_health: { ...c.config.deep_health, startup_grace_s: 0 } };
  const app = await buildApp({
    config,
    db: c.db,
    transport: c.transport,
    keys: c.keys,
    startSamplers: false,
    timings: { deepHealth: { now: () => clock.now } },
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const speechNode = config.services.parakeet!.node;
  const restartsIssued = () =>
    sshExecLog(join(c.dir, 'sim'), speechNode).filter((e) => e.command === 'docker restart parakeet-asr');
  const jobsDone = async () => {
    for (;;) {
      const jobs = (await (await fetch(`${url}/api/jobs?kind=auto-restart`)).json()) as { state: string }[];
      if (jobs.every((j) => j.state !== 'running')) return jobs.length;
      await sleep(50);
    }
  };
  const transcribe = () => {
    const f = new FormData();
    f.append('file', new Blob([new Uint8Array(silenceWav())], { type: 'audio/wav' }), 'a.wav');
    return fetch(`${url}/v1/audio/transcriptions`, { method: 'POST', body: f });
  };
  /** One wedge → restart: ms from the trigger to the sim's `docker restart` log line. */
  const once = async (trigger: () => Promise<Response>) => {
    clock.now += 31 * MIN; // a fresh budget and no cooldown: each run restarts
    await c.sim.fault('/speech/parakeet/wedge', { on: true });
    const before = restartsIssued().length;
    const t0 = Date.now();
    const r = await trigger();
    await r.body?.cancel();
    for (;;) {
      const issued = restartsIssued();
      if (issued.length > before) {
        await jobsDone();
        return Date.parse(issued.at(-1)!.ts) - t0;
      }
      await sleep(20);
    }
  };

  try {
    const gateway: number[] = [];
    const manual: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      // Side by side, alternating, so both see the same machine noise.
      gateway.push(await once(transcribe));
      manual.push(await once(() => fetch(`${url}/api/deep-health/parakeet/run`, { method: 'POST' })));
    }
    const g = summary(gateway);
    const m = summary(manual);
    console.log(`gateway 500 → docker restart issued: p50 ${g.p50} ms, max ${g.max} ms (target ≤ 2000)`);
    console.log(
      `manual check → docker restart issued: p50 ${m.p50} ms (ratio ${(g.p50 / m.p50).toFixed(2)})`,
    );

    // Flapping: the wedge comes back after every restart; gateway failures every 15 s of clock.
    clock.now += 31 * MIN;
    await c.sim.fault('/speech/parakeet/flap', { on: true });
    const before = restartsIssued().length;
    const steps = 40; // 40 × 15 s = 10 minutes
    for (let i = 0; i < steps; i++) {
      clock.now += 15_000;
      const burst = await Promise.all([transcribe(), transcribe(), transcribe()]);
      for (const r of burst) await r.body?.cancel();
      await sleep(150);
    }
    await jobsDone();
    const flapRestarts = restartsIssued().length - before;
    const dh = (await (await fetch(`${url}/api/deep-health`)).json()) as {
      services: {
        parakeet: { auto_restart: { paused: boolean; max_per_window: number; reason: string | null } };
      };
    };
    const info = dh.services.parakeet.auto_restart;
    await c.sim.fault('/speech/parakeet/flap', { on: false });
    console.log(
      `flapping, 10 accelerated minutes: ${flapRestarts} restarts (budget ${info.max_per_window}), paused: ${info.paused}`,
    );
    return {
      load_avg_1m: load,
      runs: RUNS,
      gateway_to_restart_ms: g,
      manual_to_restart_ms: m,
      gateway_vs_manual_p50: Math.round((g.p50 / m.p50) * 100) / 100,
      target_ms: 2000,
      within_target: g.max <= 2000,
      flapping: {
        accelerated_minutes: 10,
        gateway_failures: steps * 3,
        restarts: flapRestarts,
        budget: info.max_per_window,
        within_budget: flapRestarts <= info.max_per_window,
        paused: info.paused,
        reason: info.reason,
      },
    };
  } finally {
    await app.close();
    await c.close();
  }
}
