// Open-loop, fixed-rate HTTP load generator, run as its own process
// (`node --import tsx bench/open-loop-load.ts '<job json>'`) so its work never shares an event
// loop with the server it measures. Prints one JSON line with the figures.
//
// Open loop: request i is due at start + i/rate whether or not earlier ones have answered, and
// its latency runs from that *due* time to the end of its response body. A closed-loop client
// (autocannon -R, one request per connection at a time) sends nothing while the server stalls, so
// a 200 ms pause shows up as one slow request instead of the forty that queued behind it — the
// coordinated omission this avoids. `sendLagMs` (due → actually handed to the socket pool) shows
// how late this process itself was: a large value means the generator, not the server, lagged.
//   job:    { url, rate, durationS, warmupS, connections, timeoutMs }
//   answer: { sent, answered (warm-up included), ok, errors, errorSamples, latencyMs: number[] (measured requests only),
//             p99FromSendMs, sendLagMs: { p99, max }, elapsedS }
import { Agent, request } from 'undici';

interface Job {
  url: string;
  rate: number;
  durationS: number;
  warmupS: number;
  connections: number;
  timeoutMs: number;
}

const job = JSON.parse(process.argv[2] ?? '{}') as Job;
const agent = new Agent({ connections: job.connections, pipelining: 1, keepAliveTimeout: 60_000 });

const latencyMs: number[] = [];
/** The same requests timed from when they were actually sent: the server's part alone. */
const fromSendMs: number[] = [];
const sendLag: number[] = [];
const errorSamples: string[] = [];
let ok = 0;
let errors = 0;
let sent = 0;
/** Every request answered, warm-up and connection openers included (the server's CPU covers them). */
let answered = 0;

async function one(dueAt: number, measured: boolean): Promise<void> {
  const sentAt = performance.now();
  if (measured) sendLag.push(sentAt - dueAt);
  let failure: string | null = null;
  try {
    const res = await request(job.url, {
      dispatcher: agent,
      headersTimeout: job.timeoutMs,
      bodyTimeout: job.timeoutMs,
    });
    await res.body.dump({ limit: Infinity });
    if (res.statusCode !== 200) failure = `HTTP ${res.statusCode}`;
  } catch (err) {
    failure = String(err);
  }
  answered++;
  if (!measured) return;
  const end = performance.now();
  latencyMs.push(end - dueAt);
  fromSendMs.push(end - sentAt);
  if (failure === null) ok++;
  else {
    errors++;
    if (errorSamples.length < 5) errorSamples.push(failure);
  }
}

async function main(): Promise<void> {
  // Open every connection before the clock starts, as a dashboard's browser would have them.
  await Promise.all(Array.from({ length: job.connections }, () => one(performance.now(), false)));
  const intervalMs = 1000 / job.rate;
  const total = Math.round((job.warmupS + job.durationS) * job.rate);
  const warm = Math.round(job.warmupS * job.rate);
  const start = performance.now() + 10;
  const pending: Promise<void>[] = [];
  let measuredFrom = 0;
  for (let i = 0; i < total;) {
    const now = performance.now();
    // Everything already due goes out now, however late this loop woke up.
    while (i < total && start + i * intervalMs <= now) {
      if (i === warm) measuredFrom = performance.now();
      pending.push(one(start + i * intervalMs, i >= warm));
      if (i >= warm) sent++;
      i++;
    }
    if (i < total) {
      const wait = start + i * intervalMs - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  }
  await Promise.all(pending);
  const elapsedS = (performance.now() - measuredFrom) / 1000;
  await agent.close();
  const p99 = (v: number[]) => v.sort((a, b) => a - b)[Math.max(0, Math.ceil(v.length * 0.99) - 1)] ?? NaN;
  process.stdout.write(
    `${JSON.stringify({
      sent,
      answered,
      ok,
      errors,
      errorSamples,
      latencyMs,
      p99FromSendMs: p99(fromSendMs),
      sendLagMs: { p99: p99(sendLag), max: sendLag.at(-1) ?? NaN },
      elapsedS,
    })}\n`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
