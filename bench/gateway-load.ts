// Load generator for the gateway benchmark, run as its own process (`node --import tsx
// bench/gateway-load.ts`) so its SSE parsing never shares an event loop with the gateway it
// measures. Reads one JSON job per stdin line and answers one JSON line per job on stdout:
//   job:    { id, url, body, concurrency, perWorker, warm?, staggerMs? }
//   answer: { id, wallMs, streams: [{ ttftMs, tokens, durationMs, error? }] }
// Each of `concurrency` workers runs `perWorker` streams back to back. A stream's TTFT is the time
// from sending the request to the first `data:` event with non-empty content; its tokens are the
// content events; its duration runs from sending the request to the end of the body.
// `warm: true` sends one max_tokens=1 stream per worker first (unmeasured), so every target starts
// each batch on warm keep-alive connections. `staggerMs` spreads the workers' first requests
// evenly over that time, so streams overlap as steady traffic does instead of arriving in lockstep.
import { createInterface } from 'node:readline';
import type { LoadJob } from './gateway-procs.js';
import { Agent, request } from 'undici';

/** One batch, as the bench sends it (bench/gateway-procs.ts), with its sequence number. */
type Job = LoadJob & { id: number };

export interface StreamResult {
  ttftMs: number;
  tokens: number;
  /** Every SSE event received (role, content, finish, usage, [DONE]): the relay's chunks. */
  events: number;
  durationMs: number;
  error?: string;
}

const agents = new Map<string, Agent>();
const agentFor = (url: string): Agent => {
  const origin = new URL(url).origin;
  let a = agents.get(origin);
  if (!a) {
    a = new Agent({ connections: null, pipelining: 1, keepAliveTimeout: 30_000 });
    agents.set(origin, a);
  }
  return a;
};

/** An SSE event carries a token when its `content` is a non-empty string. */
const HAS_CONTENT = /"(?:content|text)":"(?!")/;

async function stream(url: string, body: string): Promise<StreamResult> {
  const started = performance.now();
  let ttftMs = NaN;
  let tokens = 0;
  let events = 0;
  try {
    const res = await request(url, {
      dispatcher: agentFor(url),
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body,
    });
    if (res.statusCode !== 200) {
      const text = await res.body.text();
      return {
        ttftMs,
        tokens,
        events,
        durationMs: performance.now() - started,
        error: `HTTP ${res.statusCode}: ${text.slice(0, 200)}`,
      };
    }
    const decoder = new TextDecoder();
    let buf = '';
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      buf += decoder.decode(chunk, { stream: true });
      let end;
      while ((end = buf.indexOf('\n\n')) >= 0) {
        const event = buf.slice(0, end);
        buf = buf.slice(end + 2);
        if (event.startsWith('data: ')) events++;
        if (!event.startsWith('data: ') || event === 'data: [DONE]') continue;
        if (event.includes('"error"')) throw new Error(`SSE error event: ${event.slice(0, 200)}`);
        if (HAS_CONTENT.test(event)) {
          if (tokens === 0) ttftMs = performance.now() - started;
          tokens++;
        }
      }
    }
    return { ttftMs, tokens, events, durationMs: performance.now() - started };
  } catch (err) {
    return { ttftMs, tokens, events, durationMs: performance.now() - started, error: String(err) };
  }
}

async function run(job: Job): Promise<{ id: number; wallMs: number; streams: StreamResult[] }> {
  const workers = Array.from({ length: job.concurrency });
  if (job.warm) {
    const b = JSON.parse(job.body) as Record<string, unknown>;
    const warmBody = JSON.stringify({ ...b, max_tokens: 1 });
    await Promise.all(workers.map(() => stream(job.url, warmBody)));
  }
  const streams: StreamResult[] = [];
  const started = performance.now();
  await Promise.all(
    workers.map(async (_, w) => {
      const delay = ((job.staggerMs ?? 0) * w) / job.concurrency;
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      for (let i = 0; i < job.perWorker; i++) streams.push(await stream(job.url, job.body));
    }),
  );
  return { id: job.id, wallMs: performance.now() - started, streams };
}

const rl = createInterface({ input: process.stdin });
// Jobs run one at a time, in order: the parent waits for each answer before the next job anyway.
let queue = Promise.resolve();
rl.on('line', (line) => {
  if (!line.trim()) return;
  const job = JSON.parse(line) as Job;
  queue = queue.then(async () => {
    process.stdout.write(`${JSON.stringify(await run(job))}\n`);
  });
});
rl.on('close', () => {
  // A job that threw fails the bench loudly (the parent sees the status) instead of an
  // unhandled rejection.
  queue
    .then(async () => {
      await Promise.all([...agents.values()].map((a) => a.close()));
      process.exit(0);
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
});
