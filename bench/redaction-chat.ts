// Issue 13: what the redacting chat route (POST /v1/redact/chat/completions) adds to
// time-to-first-token over the plain gateway route (/v1/chat/completions), side by side in one
// run. The app (its production build) is built in this process (as the tests do) against the
// simulated vLLM in its own process; the two routes' requests alternate, so drift on this shared
// machine hits both alike.
// TTFT: from sending the request to the first SSE `data:` line whose delta has content.
// CPU per request: this process's CPU (app + client) around each sequential request; the client's
// share is the same for both routes, so the difference is what the redaction path costs.
import { Agent, request } from 'undici';
import type * as AppModule from '../src/server/app.js';
import { cluster } from './cluster.js';
import { checkoutBuild, serverModules } from './production-build.js';
import { percentile, round, verdict } from './stats.js';

const PER_ROUTE = Number(process.env.REDACT_BENCH_N ?? 300);
const CONCURRENCY = 8;
const WARM = 30;
const TARGET_MS = 3;
/** The persons the scrub knows (redaction.names), as a CRM deployment would configure. */
const NAMES = ['Ines Marchetti', 'Johan Lindqvist', 'Amara Okafor', 'Tomasz Wierzbicki', 'Lea Fontaine'];
const SYSTEM =
  'You are the support assistant of a small company. Answer politely and briefly; never invent ' +
  'contact details. Escalations go to Lea Fontaine (lea.fontaine@example.com, +1 415 555 0137).';
const USER =
  'Hi, this is Ines Marchetti (ines.marchetti@example.org, +44 20 7946 0958). My colleague Johan ' +
  'Lindqvist (johan.l@example.net) never got the invoice you sent on Monday; could Amara Okafor ' +
  'call him at +49 30 901820 or write to billing@example.com? Thanks, Ines';

/** An SSE event carries a token when its delta's `content` is a non-empty string. */
const HAS_CONTENT = /"content":"(?!")/;

interface Sample {
  ttftMs: number;
  cpuUs: number;
}

async function stream(agent: Agent, url: string, body: string): Promise<Sample> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  let ttftMs = NaN;
  const res = await request(url, {
    dispatcher: agent,
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body,
  });
  if (res.statusCode !== 200) throw new Error(`${url}: HTTP ${res.statusCode}: ${await res.body.text()}`);
  const decoder = new TextDecoder();
  let buf = '';
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    buf += decoder.decode(chunk, { stream: true });
    let end;
    while ((end = buf.indexOf('\n\n')) >= 0) {
      const event = buf.slice(0, end);
      buf = buf.slice(end + 2);
      if (!event.startsWith('data: ') || event === 'data: [DONE]') continue;
      if (event.includes('"error"')) throw new Error(`SSE error event: ${event.slice(0, 200)}`);
      if (Number.isNaN(ttftMs) && HAS_CONTENT.test(event)) ttftMs = performance.now() - started;
    }
  }
  if (Number.isNaN(ttftMs)) throw new Error(`${url}: no content event`);
  const used = process.cpuUsage(cpu);
  return { ttftMs, cpuUs: used.user + used.system };
}

const summary = (samples: Sample[]) => {
  const ttft = samples.map((s) => s.ttftMs);
  const cpu = samples.map((s) => s.cpuUs);
  return {
    ttftP50Ms: round(percentile(ttft, 50), 3),
    ttftP99Ms: round(percentile(ttft, 99), 3),
    cpuP50Us: round(percentile(cpu, 50), 0),
    cpuMeanUs: round(cpu.reduce((a, b) => a + b, 0) / cpu.length, 0),
  };
};

export async function redactChatBench(): Promise<Record<string, unknown>> {
  // The app as production runs it: tsc's output (REDACTION_BENCH_SOURCE=src: the sources through tsx).
  const load = serverModules(checkoutBuild('REDACTION_BENCH_SOURCE'));
  const { buildApp } = await load<typeof AppModule>('app.js');
  const c = await cluster(1, 0.05, load);
  c.config.redaction.names = NAMES;
  const app = await buildApp({
    config: c.config,
    db: c.db,
    transport: c.transport,
    keys: c.keys,
    startSamplers: false,
  });
  const agent = new Agent({ connections: null, pipelining: 1, keepAliveTimeout: 30_000 });
  try {
    // The fake vLLM answers right away (speed 0.05: 3 ms to the first token, 1 ms per token).
    await c.sim.fault('/vllm/token-delay', { ms: 1 });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const models = (await (await fetch(`${c.sim.vllm.url}/v1/models`)).json()) as { data: { id: string }[] };
    const model = models.data[0]?.id;
    if (!model) throw new Error('the fake vLLM serves no model');
    const body = JSON.stringify({
      model,
      stream: true,
      max_tokens: 32,
      messages: [
        { role: 'system', content: SYSTEM },
        { role: 'user', content: USER },
      ],
    });
    const urls = { plain: `${base}/v1/chat/completions`, redact: `${base}/v1/redact/chat/completions` };
    type Route = keyof typeof urls;
    const order = (i: number): Route[] => (i % 2 === 0 ? ['plain', 'redact'] : ['redact', 'plain']);

    for (let i = 0; i < WARM; i++) for (const r of order(i)) await stream(agent, urls[r], body);

    // Sequential: one request in flight, the two routes alternating (who goes first alternates too).
    const seq: Record<Route, Sample[]> = { plain: [], redact: [] };
    for (let i = 0; i < PER_ROUTE; i++)
      for (const r of order(i)) seq[r].push(await stream(agent, urls[r], body));

    // Concurrency 8: each worker alternates routes, half of them starting with each.
    const conc: Record<Route, Sample[]> = { plain: [], redact: [] };
    const perWorker = Math.ceil(PER_ROUTE / CONCURRENCY);
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, w) => {
        for (let i = 0; i < perWorker; i++)
          for (const r of order(i + w)) conc[r].push(await stream(agent, urls[r], body));
      }),
    );

    const s = { plain: summary(seq.plain), redact: summary(seq.redact) };
    const k = { plain: summary(conc.plain), redact: summary(conc.redact) };
    const addedP50 = round(s.redact.ttftP50Ms - s.plain.ttftP50Ms, 3);
    const addedP99 = round(s.redact.ttftP99Ms - s.plain.ttftP99Ms, 3);
    const addedC8P50 = round(k.redact.ttftP50Ms - k.plain.ttftP50Ms, 3);
    const addedC8P99 = round(k.redact.ttftP99Ms - k.plain.ttftP99Ms, 3);
    const addedCpuUs = round(s.redact.cpuMeanUs - s.plain.cpuMeanUs, 0);
    const met = addedP50 <= TARGET_MS && addedP99 <= TARGET_MS;
    const line = (name: string, x: ReturnType<typeof summary>, cpu: boolean) =>
      console.log(
        `  ${name.padEnd(16)} TTFT p50 ${x.ttftP50Ms.toFixed(2)} ms, p99 ${x.ttftP99Ms.toFixed(2)} ms` +
          (cpu ? `; CPU/request p50 ${x.cpuP50Us} µs, mean ${x.cpuMeanUs} µs` : ''),
      );
    console.log(`redacting vs plain chat route, ${PER_ROUTE} streams each, interleaved:`);
    line('plain, seq', s.plain, true);
    line('redact, seq', s.redact, true);
    line('plain, c=8', k.plain, false);
    line('redact, c=8', k.redact, false);
    console.log(
      `  added TTFT sequential: p50 ${addedP50} ms, p99 ${addedP99} ms (target ≤ ${TARGET_MS} ms: ` +
        `${verdict(met)}); at c=8: p50 ${addedC8P50} ms, p99 ${addedC8P99} ms; ` +
        `added CPU/request ${addedCpuUs} µs`,
    );
    return {
      perRoute: PER_ROUTE,
      concurrency: CONCURRENCY,
      sequential: s,
      concurrent: k,
      addedTtftMs: { p50: addedP50, p99: addedP99, c8p50: addedC8P50, c8p99: addedC8P99 },
      addedCpuUsPerRequest: addedCpuUs,
      targetMs: TARGET_MS,
      met,
    };
  } finally {
    await agent.close();
    await app.close();
    await c.close();
  }
}
