// `npm run bench -- gateway-split`: where the gateway's CPU above the splice floor goes — per
// request or per chunk. Short (2-token) and normal (64-token) streams, 256 at once, against the
// gateway and the bench's `raw_splice` relay, interleaved; user and system CPU per stream of each
// relaying process. A gap that is the same at both lengths is per-request work; one that grows
// with the stream's length is per-chunk work.
import { cpuSplit, startControlPlane, startLoadGen, startRawRelay } from './gateway-procs.js';
import { round } from './stats.js';

const CONCURRENCY = 256;
const ROUNDS = 2;

export async function gatewaySplitBench(): Promise<Record<string, unknown>> {
  const cp = await startControlPlane({ tokenDelayMs: 10 });
  const raw = await startRawRelay(cp.vllmUrl, 'splice');
  const load = startLoadGen();
  const out: Record<string, { streams: number; bad: number; user_ms: number; sys_ms: number }[]> = {};
  try {
    const models = (await (await fetch(`${cp.vllmUrl}/v1/models`)).json()) as { data: { id: string }[] };
    const model = models.data[0]?.id;
    if (!model) throw new Error('the fake vLLM serves no model');
    const body = (tokens: number) =>
      JSON.stringify({
        model,
        messages: [{ role: 'user', content: 'Count.' }],
        max_tokens: tokens,
        stream: true,
      });
    const targets = {
      gateway: { url: `${cp.gatewayUrl}/v1/chat/completions`, pid: cp.pid },
      raw_splice: { url: `${raw.url}/v1/chat/completions`, pid: raw.pid },
    };
    // Unmeasured: JIT warm-up in both relays.
    for (const t of Object.values(targets))
      await load.run({ url: t.url, body: body(64), concurrency: 64, perWorker: 1, warm: true });
    for (let r = 0; r < ROUNDS; r++)
      for (const tokens of [2, 64])
        for (const [name, t] of Object.entries(targets)) {
          const job = { url: t.url, body: body(tokens), concurrency: CONCURRENCY };
          await load.run({ ...job, perWorker: 0, warm: true });
          const c0 = cpuSplit(t.pid);
          const res = await load.run({ ...job, perWorker: tokens === 2 ? 4 : 1, staggerMs: tokens * 10 });
          const c1 = cpuSplit(t.pid);
          const n = res.streams.length;
          (out[`${name} ${tokens} tokens`] ??= []).push({
            streams: n,
            bad: res.streams.filter((s) => s.error).length,
            user_ms: round((1000 * (c1.user - c0.user)) / n, 3),
            sys_ms: round((1000 * (c1.sys - c0.sys)) / n, 3),
          });
        }
  } finally {
    await load.stop();
    await raw.stop();
    await cp.stop();
  }
  console.log('CPU ms per stream (user / sys), each round:');
  for (const [k, v] of Object.entries(out))
    console.log(`  ${k.padEnd(22)} ${v.map((x) => `${x.user_ms} / ${x.sys_ms} (${x.bad} bad)`).join(' | ')}`);
  return { concurrency: CONCURRENCY, rounds: ROUNDS, per_stream_cpu_ms: out };
}
