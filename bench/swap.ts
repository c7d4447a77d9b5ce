// Swap benchmark (issue: model swap):
//  1. readiness detected ≤ 1 s after the simulated vLLM becomes ready;
//  2. the swap's own overhead beyond vLLM's load time ≤ 2 s;
//  3. engine death → failed ≤ 5 s: the engine dies mid-load with a random text (the simulator's
//     die fault, nothing the log watcher knows), timed from the fault to the `failed` event.
// The simulator runs in its own process; this process watches its engine phase (its control
// API, every 10 ms) and the control plane's swap events, and compares the two clocks' views.
import { buildApp } from '../src/server/app.js';
import type { EventEnvelope, ModelsResponse, SwapInfo } from '../src/common/api.js';
import { cluster } from './cluster.js';
import { percentile, round, verdict } from './stats.js';

interface Phases {
  loadingAt: number | null;
  readyAt: number | null;
}

/** Samples the simulated engine's phase until `stop` is aborted. */
async function watchEngine(controlUrl: string, stop: AbortSignal): Promise<Phases> {
  const seen: Phases = { loadingAt: null, readyAt: null };
  let last = '';
  while (!stop.aborted) {
    const state = (await (await fetch(`${controlUrl}/state`)).json()) as { vllm?: { phase?: string } };
    const phase = state.vllm?.phase ?? '';
    const now = performance.now();
    if (phase !== last) {
      if (phase === 'loading') seen.loadingAt = now;
      if (phase === 'ready' && last === 'loading') seen.readyAt = now;
      last = phase;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return seen;
}

/** Resolves with the local time at which the control plane published the swap as finished. */
async function swapFinished(url: string, id: string): Promise<{ at: number; swap: SwapInfo }> {
  const res = await fetch(`${url}/api/events`);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error('event stream ended');
    buf += decoder.decode(value, { stream: true });
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      if (!line.startsWith('data: ')) continue;
      const e = JSON.parse(line.slice(6)) as EventEnvelope;
      if (e.type === 'swap' && e.data.id === id && ['ready', 'failed', 'cancelled'].includes(e.data.state)) {
        const at = performance.now();
        await reader.cancel();
        return { at, swap: e.data };
      }
    }
  }
}

/** One swap whose engine dies mid-load: seconds from the die fault to the `failed` event. */
async function deathRound(url: string, controlUrl: string, key: string): Promise<number> {
  const r = (await (
    await fetch(`${url}/api/swap`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key }),
    })
  ).json()) as { id: string };
  const done = swapFinished(url, r.id);
  const text = `bench-${Math.random().toString(36).slice(2)}: something nobody predicted`;
  let diedAt = 0;
  for (let i = 0; i < 3000 && diedAt === 0; i++) {
    const state = (await (await fetch(`${controlUrl}/state`)).json()) as { vllm?: { phase?: string } };
    if (state.vllm?.phase === 'loading') {
      await new Promise((res) => setTimeout(res, 300)); // the load is under way
      const res = await fetch(`${controlUrl}/vllm/die`, { method: 'POST', body: JSON.stringify({ text }) });
      if (res.ok) diedAt = performance.now();
    } else await new Promise((res) => setTimeout(res, 10));
  }
  const end = await done;
  if (end.swap.state !== 'failed' || !end.swap.error?.includes(text))
    throw new Error(`the dying swap ended ${end.swap.state}: ${end.swap.error ?? ''}`);
  return (end.at - diedAt) / 1000;
}

export async function swapBench() {
  const c = await cluster(2, 0.2);
  const app = await buildApp({ config: c.config, db: c.db, transport: c.transport, keys: c.keys });
  const lags: number[] = [];
  const overheads: number[] = [];
  const deaths: number[] = [];
  try {
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const models = ((await (await fetch(`${url}/api/models`)).json()) as ModelsResponse).models;
    const solo = models.filter((m) => m.mode === 'solo' && m.warnings.length === 0).slice(0, 2);
    for (let round_ = 0; round_ < 6; round_++) {
      const target = solo[round_ % solo.length]!;
      const stop = new AbortController();
      const engine = watchEngine(c.sim.controlUrl, stop.signal);
      const started = performance.now();
      const r = (await (
        await fetch(`${url}/api/swap`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ key: target.key }),
        })
      ).json()) as { id: string };
      const done = await swapFinished(url, r.id);
      stop.abort();
      const phases = await engine;
      if (done.swap.state !== 'ready' || phases.readyAt === null || phases.loadingAt === null) {
        throw new Error(
          `swap to ${target.key} ended ${done.swap.state}: ${done.swap.error ?? 'engine never ready'}`,
        );
      }
      lags.push(done.at - phases.readyAt);
      overheads.push(done.at - started - (phases.readyAt - phases.loadingAt));
    }
    for (let i = 0; i < 4; i++)
      deaths.push(await deathRound(url, c.sim.controlUrl, solo[i % solo.length]!.key));
  } finally {
    await app.close();
    await c.close();
  }
  const lag = { p50_ms: round(percentile(lags, 50)), max_ms: round(Math.max(...lags)) };
  const overhead = { p50_ms: round(percentile(overheads, 50)), max_ms: round(Math.max(...overheads)) };
  console.log(
    `readiness detected after vLLM ready: p50 ${lag.p50_ms} ms, max ${lag.max_ms} ms  (target ≤ 1000 ms: ${verdict(lag.max_ms <= 1000)})`,
  );
  console.log(
    `swap overhead beyond vLLM's load: p50 ${overhead.p50_ms} ms, max ${overhead.max_ms} ms  (target ≤ 2000 ms: ${verdict(overhead.max_ms <= 2000)})`,
  );
  const death = { p50_s: round(percentile(deaths, 50), 2), max_s: round(Math.max(...deaths), 2) };
  console.log(
    `engine death → failed: p50 ${death.p50_s} s, max ${death.max_s} s  (target ≤ 5 s: ${verdict(death.max_s <= 5)})`,
  );
  return {
    swaps: lags.length,
    readiness_lag_ms: lag,
    overhead_ms: overhead,
    engine_death_to_failed_s: death,
  };
}
