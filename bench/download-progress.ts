// Download progress benchmark (issue 12): "download progress reaches the dashboard within 1 s of
// the node printing it". A sizeable repo downloads onto both simulated nodes while this process
// reads the job's SSE stream (`GET /api/jobs/{id}/stream`, the dashboard's download bar) over real
// HTTP. The simulator's `hf` shim, only when $SIM_STATE/hf-progress.trace exists (created here),
// appends `<epoch_us> <done as printed> <file>` per bar it prints; the node's byte count after each
// line is the sum of its files' printed sizes (the control plane's own parser), and its delay is
// the time until the first stream event whose bytes for that node reach it. The simulated nodes
// run on this machine, so both clocks are the same. The SSH leg (node → control plane) is timed
// apart by wrapping the transport's line callback.
import Fastify from 'fastify';
import { performance } from 'node:perf_hooks';
import type { DownloadJobMeta } from '../src/common/downloads-api.js';
import { downloadsModule } from '../src/server/modules/downloads/index.js';
import { parseLine, parseTqdmSize } from '../src/server/modules/downloads/progress.js';
import { jobRoutes } from '../src/server/platform/jobs/routes.js';
import { JobRunner } from '../src/server/platform/jobs/runner.js';
import { raw, sh } from '../src/server/platform/remote/sh.js';
import type { NodeTransport } from '../src/server/platform/remote/transport.js';
import { cluster } from './cluster.js';
import { percentile, round } from './stats.js';

const NODES = 2;
/** 8B params × 2.05 bytes ≈ 16.4 GB in 4 shards: ~16 s at speed 0.1, a bar per file every ~270 ms. */
const REPO = `bench/progress-${Date.now().toString(36)}-8B`;
const SPEED = 0.1;
const TARGET_MS = 1000;
const TRACE = '"$SIM_STATE"/hf-progress.trace';
/** What the control plane itself adds (read from the code): see the report lines below. */
const SERVICE_FLUSH_MS = 250; // DownloadService progressEveryMs default (service.ts)
const JOB_THROTTLE_MS = 250; // LiveJob THROTTLE_MS (platform/jobs/live-job.ts)

const nowMs = (): number => performance.timeOrigin + performance.now();

interface Printed {
  node: string;
  at: number;
  bytes: number;
}

/** Each trace line → the node's byte count after it; only lines that raised it (new progress to show). */
function printedProgress(node: string, trace: string): Printed[] {
  const files = new Map<string, number>();
  const out: Printed[] = [];
  let last = -1;
  for (const line of trace.split('\n')) {
    const m = /^(\d+) (\S+) (.+)$/.exec(line.trim());
    if (!m) continue;
    files.set(m[3]!, parseTqdmSize(m[2]!) ?? 0);
    let bytes = 0;
    for (const b of files.values()) bytes += b;
    if (bytes > last) out.push({ node, at: Number(m[1]) / 1000, bytes });
    last = Math.max(last, bytes);
  }
  return out;
}

/** Reads an SSE body as the dashboard's EventSource would, calling back with each message's data. */
async function readSse(body: ReadableStream<Uint8Array>, onData: (data: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  let buf = '';
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buf += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
    let cut: number;
    while ((cut = buf.indexOf('\n\n')) >= 0) {
      const msg = buf.slice(0, cut);
      buf = buf.slice(cut + 2);
      const data = msg
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).replace(/^ /, ''))
        .join('\n');
      if (data) onData(data);
    }
  }
}

function summary(values: number[]) {
  return {
    n: values.length,
    p50_ms: round(percentile(values, 50), 0),
    p95_ms: round(percentile(values, 95), 0),
    max_ms: round(values.length ? Math.max(...values) : NaN, 0),
  };
}

export async function downloadProgressBench() {
  const c = await cluster(NODES, SPEED);
  const names = c.config.nodes.map((n) => n.name);
  // Lines as they reach the control plane: node → (time, bytes after the line), the SSH leg.
  const arrived = new Map<string, { at: number; files: Map<string, number>; log: Printed[] }>(
    names.map((n) => [n, { at: 0, files: new Map(), log: [] }]),
  );
  const transport: NodeTransport = Object.create(c.transport) as NodeTransport;
  transport.stream = (node, cmd, onLine, opts) =>
    c.transport.stream(
      node,
      cmd,
      (line, which) => {
        const p = parseLine(line);
        const a = arrived.get(node);
        if (p.kind === 'file' && a) {
          a.files.set(p.bar.file, p.bar.done);
          let bytes = 0;
          for (const b of a.files.values()) bytes += b;
          a.log.push({ node, at: nowMs(), bytes });
        }
        onLine(line, which);
      },
      opts,
    );
  const runner = new JobRunner({ db: c.db });
  const app = Fastify();
  await app.register(jobRoutes, { runner });
  await downloadsModule(app, { config: c.config, runner, transport });
  try {
    for (const n of names) await c.transport.exec(n, sh`: > ${raw(TRACE)}`);
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const started = await fetch(`${base}/api/download`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ repo: REPO, nodes: names }),
    });
    const { job_id: jobId } = (await started.json()) as { job_id: string };
    if (!started.ok || !jobId) throw new Error(`POST /api/download answered ${started.status}`);
    const seen: { at: number; bytes: Record<string, number> }[] = [];
    let jobEvents = 0;
    let openedAt = 0;
    let finalState = '';
    const res = await fetch(`${base}/api/jobs/${encodeURIComponent(jobId)}/stream`, {
      headers: { accept: 'text/event-stream' },
    });
    openedAt = nowMs();
    await readSse(res.body!, (data) => {
      const at = nowMs();
      const e = JSON.parse(data) as { type: string; job?: { state: string; meta: unknown } };
      if (!e.job || (e.type !== 'job' && e.type !== 'end')) return;
      jobEvents += 1;
      finalState = e.job.state;
      const meta = e.job.meta as DownloadJobMeta;
      seen.push({ at, bytes: Object.fromEntries(names.map((n) => [n, meta.nodes[n]?.bytes ?? 0])) });
    });
    if (finalState !== 'succeeded') throw new Error(`the download ended ${finalState}`);

    const firstReaching = (list: { at: number; bytes: number }[], p: Printed) =>
      list.find((e) => e.bytes >= p.bytes)?.at;
    const endToEnd: number[] = [];
    const sshLeg: number[] = [];
    let before = 0;
    for (const n of names) {
      const trace = (await c.transport.exec(n, sh`cat ${raw(TRACE)}; rm -f ${raw(TRACE)}`)).stdout;
      const onStream = seen.map((s) => ({ at: s.at, bytes: s.bytes[n] ?? 0 }));
      for (const p of printedProgress(n, trace)) {
        // Printed before the stream was open: the dashboard could not have had it live.
        if (p.at < openedAt) {
          before += 1;
          continue;
        }
        const got = firstReaching(onStream, p);
        const cp = firstReaching(arrived.get(n)?.log ?? [], p);
        if (got === undefined) throw new Error(`${n}: ${p.bytes} bytes printed never reached the stream`);
        endToEnd.push(got - p.at);
        if (cp !== undefined) sshLeg.push(cp - p.at);
      }
    }
    const e2e = summary(endToEnd);
    const ssh = summary(sshLeg);
    console.log(
      `${REPO} onto ${NODES} nodes at sim speed ${SPEED}: ${jobEvents} job events on the stream, ${endToEnd.length} progress steps timed (${before} printed before the stream opened, left out)`,
    );
    console.log(
      `node printed → control plane got the line (SSH): p50 ${ssh.p50_ms} ms, p95 ${ssh.p95_ms} ms, max ${ssh.max_ms} ms`,
    );
    console.log(
      `node printed → event on /api/jobs/{id}/stream: p50 ${e2e.p50_ms} ms, p95 ${e2e.p95_ms} ms, max ${e2e.max_ms} ms (target ≤ ${TARGET_MS} ms: ${e2e.max_ms <= TARGET_MS ? 'meets target' : 'MISSES target'})`,
    );
    console.log(
      `control plane's own throttles: the downloads service flushes progress at most every ${SERVICE_FLUSH_MS} ms (trailing timer), the job runner publishes a job at most every ${JOB_THROTTLE_MS} ms (trailing timer); stacked, up to ~${SERVICE_FLUSH_MS + JOB_THROTTLE_MS} ms of the delay by design`,
    );
    return {
      repo: REPO,
      speed: SPEED,
      nodes: NODES,
      job_events: jobEvents,
      printed_before_stream_open: before,
      end_to_end_ms: e2e,
      ssh_leg_ms: ssh,
      throttle_ms: { downloads_service: SERVICE_FLUSH_MS, job_runner: JOB_THROTTLE_MS },
      target_ms: TARGET_MS,
      meets_target: e2e.max_ms <= TARGET_MS,
    };
  } finally {
    await app.close();
    await runner.shutdown();
    await c.close();
  }
}
