// A control plane on the simulated cluster with an HF token configured and its log captured, and
// readers for download jobs. Every response body read here is kept, so a test can check that the
// token appears in none of them.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { JobInfo } from '../../src/common/api.js';
import type { DownloadJobMeta } from '../../src/common/downloads-api.js';
import { createLogger } from '../../src/server/platform/log.js';
import { hubManifest } from '../../src/sim/hf-hub.js';
import { startTestCluster, type TestCluster, type TestClusterOptions, waitFor } from '../helpers/harness.js';

export const HF_TOKEN = 'hf_SimTok3nNeverShown0123456789';

export interface DownloadCluster {
  c: TestCluster;
  /** Every line the server logged. */
  logLines: string[];
  /** Every response body the helpers read. */
  bodies: string[];
}

export async function startDownloadCluster(
  o: Pick<TestClusterOptions, 'timings'> = {},
): Promise<DownloadCluster> {
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logLines.push(...chunk.toString().split('\n').filter(Boolean));
      cb();
    },
  });
  const c = await startTestCluster({
    speed: 0.05,
    env: { HF_TOKEN },
    logger: createLogger('debug', sink),
    ...o,
  });
  return { c, logLines, bodies: [] };
}

export async function call<T = unknown>(
  d: DownloadCluster,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${d.c.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  d.bodies.push(text);
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

export const meta = (job: JobInfo): DownloadJobMeta => job.meta as unknown as DownloadJobMeta;

export async function job(d: DownloadCluster, id: string): Promise<JobInfo> {
  const r = await call<JobInfo>(d, 'GET', `/api/jobs/${id}`);
  if (r.status !== 200) throw new Error(`GET job ${id} → ${r.status}`);
  return r.body;
}

export async function finished(d: DownloadCluster, id: string, timeoutMs = 60_000): Promise<JobInfo> {
  return waitFor(async () => {
    const j = await job(d, id);
    return j.state === 'running' ? null : j;
  }, timeoutMs);
}

/** The whole log of a finished job. */
export async function jobLog(d: DownloadCluster, id: string): Promise<string[]> {
  // a finished job's stream replays its whole log and ends
  const res = await fetch(`${d.c.url}/api/jobs/${id}/stream`);
  const text = await res.text();
  d.bodies.push(text);
  return text
    .split('\n')
    .filter((l) => l.startsWith('data: '))
    .map((l) => JSON.parse(l.slice(6)) as { type: string; line?: string })
    .filter((e) => e.type === 'log')
    .map((e) => e.line ?? '');
}

export const cacheDir = (d: DownloadCluster, node: number, repo: string): string =>
  join(d.c.sim.nodes[node]!.home, '.cache/huggingface/hub', `models--${repo.replace('/', '--')}`);

/** The repo's files in a node's cache: complete blobs and .incomplete ones. */
export function cached(
  d: DownloadCluster,
  node: number,
  repo: string,
): { complete: number; incomplete: number } {
  const blobs = join(cacheDir(d, node, repo), 'blobs');
  if (!existsSync(blobs)) return { complete: 0, incomplete: 0 };
  const names = readdirSync(blobs);
  return {
    complete: names.filter((n) => !n.endsWith('.incomplete')).length,
    incomplete: names.filter((n) => n.endsWith('.incomplete')).length,
  };
}

export const repoBytes = (repo: string): number => hubManifest(repo)!.files.reduce((a, f) => a + f.size, 0);
export const repoFiles = (repo: string): number => hubManifest(repo)!.files.length;

/** Live processes of this simulation running the hf / huggingface-cli shim. */
export function hfProcesses(d: DownloadCluster): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
      if (state !== 'Z' && cmd.includes(d.c.dataDir) && /\/shims\/bin\/(hf|huggingface-cli) /.test(cmd))
        pids.push(Number(entry));
    } catch {
      // gone while we looked
    }
  }
  return pids;
}

/** Every command the simulated sshd of a node ran (its audit log). */
export function execLog(d: DownloadCluster, node: string): string {
  const file = join(d.c.dataDir, 'sim', 'nodes', node, 'state', 'ssh-exec.jsonl');
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}
