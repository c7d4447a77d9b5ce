// Shared by the launcher update tests: requests, waiting for an update job, the head's checkout and
// the vllm-node image ids on the simulated Sparks, and build-and-copy.sh processes still alive.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { JobInfo } from '../../src/common/api.js';
import type { UpdateRecord, UpdatesResponse, UpdateStarted } from '../../src/common/updates-api.js';
import { sh } from '../../src/server/platform/remote/sh.js';
import { getJson, waitFor, type TestCluster } from '../helpers/harness.js';

export type Err = { error: { code: string; message: string; details?: unknown } };

export const post = <T>(c: TestCluster, path: string, body?: unknown) =>
  getJson<T>(`${c.url}${path}`, {
    method: 'POST',
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });

export const updates = async (c: TestCluster) =>
  (await getJson<UpdatesResponse>(`${c.url}/api/updates`)).body;

export const apply = (c: TestCluster, body: unknown = {}) =>
  post<UpdateStarted & Err>(c, '/api/updates/apply', body);

export const job = async (c: TestCluster, id: string) =>
  (await getJson<JobInfo>(`${c.url}/api/jobs/${id}`)).body;

/** Waits for the job to end; answers it and the record GET /api/updates shows for it. */
export async function ended(c: TestCluster, id: string, timeoutMs = 90_000) {
  const j = await waitFor(async () => {
    const info = await job(c, id);
    return info.state !== 'running' ? info : null;
  }, timeoutMs);
  const last = (await updates(c)).last;
  if (last?.id !== id) throw new Error(`the latest record is ${last?.id ?? 'none'}, not ${id}`);
  return { job: j, record: last };
}

export async function inPhase(c: TestCluster, phase: UpdateRecord['phase']): Promise<void> {
  await waitFor(async () => (await updates(c)).last?.phase === phase, 60_000, 30);
}

/** The last 50 lines of a job's log. */
export const logTail = async (c: TestCluster, id: string): Promise<string> =>
  (await getJson<{ log_tail: string[] }>(`${c.url}/api/jobs/${id}`)).body.log_tail.join('\n');

/** The head's launcher commit and origin/main's, read straight from the simulator's git. */
export function commits(c: TestCluster): { head: string; origin: string } {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: c.sim.launcher.checkout, encoding: 'utf8' }).trim();
  return {
    head: git('rev-parse', 'HEAD'),
    origin: git('ls-remote', c.sim.launcher.origin, 'main').split('\t')[0]!,
  };
}

/** The image id of `image` on every node (null: not there), asked over SSH as the server would. */
export async function imageIds(c: TestCluster, image = 'vllm-node'): Promise<(string | null)[]> {
  return Promise.all(
    c.config.nodes.map(async (n) => {
      const r = await c.transport.exec(n.name, sh`docker image inspect -f '{{.Id}}' ${image}`);
      return r.code === 0 ? r.stdout.trim() : null;
    }),
  );
}

/** build-and-copy.sh processes of this cluster still alive (their cwd is the head's checkout). */
export function buildProcesses(c: TestCluster): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
      if (state === 'Z' || !cmd.includes('build-and-copy.sh')) continue;
      if (readlinkSync(`/proc/${entry}/cwd`).startsWith(c.dataDir)) pids.push(Number(entry));
    } catch {
      // gone while we looked
    }
  }
  return pids;
}
