// Downloads over real SSH to the simulator's `hf` (SPEC §6, issue 12 item 1): two nodes with
// progress, bad input before SSH, the huggingface-cli fallback, a node down, disk full, retry of the
// failed node only, 409 on a busy node, cancel that really kills the CLI, and the token nowhere.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInfo } from '../../src/common/api.js';
import { waitFor, WATCHING_HARDWARE } from '../helpers/harness.js';
import {
  cached,
  call,
  type DownloadCluster,
  execLog,
  finished,
  HF_TOKEN,
  hfProcesses,
  job,
  jobLog,
  meta,
  repoBytes,
  repoFiles,
  startDownloadCluster,
} from './downloads-helpers.js';

const SLOW = 90_000;
let d: DownloadCluster;

beforeAll(async () => {
  d = await startDownloadCluster({ timings: WATCHING_HARDWARE });
});
afterAll(async () => {
  await d?.c.close();
});

async function start(body: unknown): Promise<string> {
  const r = await call<{ job_id: string }>(d, 'POST', '/api/download', body);
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  return r.body.job_id;
}

describe('downloads', () => {
  it(
    'downloads onto both nodes in parallel with per-node bytes/total and a log line per step',
    async () => {
      const repo = 'acme/Demo-1B-Instruct';
      const id = await start({ repo, mode: 'both' });
      const seen: JobInfo[] = [];
      const done = await waitFor(async () => {
        const j = await job(d, id);
        seen.push(j);
        return j.state === 'running' ? null : j;
      }, SLOW);
      expect(done.state, done.error ?? '').toBe('succeeded');
      expect(done.kind).toBe('download');
      expect(done.locks.sort()).toEqual(['download:spark1', 'download:spark2']);
      expect(done.progress).toBe(1);
      const total = repoBytes(repo);
      for (const [i, node] of ['spark1', 'spark2'].entries()) {
        const p = meta(done).nodes[node]!;
        expect(p).toMatchObject({ node, state: 'succeeded', cli: 'hf', error: null });
        // tqdm prints 3 significant digits: within 1 % of the real size
        expect(Math.abs(p.total! - total) / total).toBeLessThan(0.01);
        expect(p.bytes).toBe(p.total);
        expect(cached(d, i, repo)).toEqual({ complete: repoFiles(repo), incomplete: 0 });
      }
      const log = await jobLog(d, id);
      for (const node of ['spark1', 'spark2']) {
        expect(log).toContain(`[${node}] using hf`);
        const steps = log.filter((l) =>
          new RegExp(`^\\[${node}\\] [\\d.]+ GB of [\\d.]+ GB \\([1-9]0%\\)$`).test(l),
        );
        expect(steps.length, log.join('\n')).toBeGreaterThan(2);
        expect(log).toContain(`[${node}] done: ${repo} is in the HF cache`);
      }
      const midway = seen
        .flatMap((j) => Object.values(meta(j).nodes))
        .filter((p) => p.state === 'running' && p.total);
      for (const p of midway) expect(p.bytes).toBeLessThanOrEqual(p.total!);
      const conn = await call<{ events: { subject: string; kind: string; source: string; ok: boolean }[] }>(
        d,
        'GET',
        '/api/connectivity',
      );
      const reports = conn.body.events.filter((e) => e.kind === 'report' && e.source === 'download');
      expect(reports.map((e) => [e.subject, e.ok]).sort()).toEqual([
        ['spark1', true],
        ['spark2', true],
      ]);
    },
    SLOW,
  );

  it('refuses hostile repo names and unknown nodes with 400 before any SSH', async () => {
    const downloads = (): number => (execLog(d, 'spark1') + execLog(d, 'spark2')).split(' download ').length;
    const before = downloads();
    for (const body of [
      { repo: 'org/name;touch /tmp/pwned' },
      { repo: '$(id)/x' },
      { repo: 'org/name\nhf download x/y' },
      { repo: '../../etc' },
      { repo: 'a/b', nodes: ['spark9'] },
      { repo: 'a/b', mode: 'all' },
      { repo: 'a/b', nodes: [] },
      { repo: 'a/b', extra: 1 },
    ]) {
      const r = await call<{ error: { code: string; message: string } }>(d, 'POST', '/api/download', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.message.length).toBeGreaterThan(5);
    }
    expect(downloads()).toBe(before);
    expect((await call(d, 'POST', '/api/download/nope/retry')).status).toBe(404);
  });

  it(
    'falls back to huggingface-cli where hf is missing; an unknown repo fails with the Hub 404',
    async () => {
      d.c.sim.faults.hfCli('spark2', false);
      try {
        const done = await finished(d, await start({ repo: 'acme/Legacy-1B', nodes: ['spark2'] }), SLOW);
        expect(done.state, done.error ?? '').toBe('succeeded');
        expect(meta(done).nodes.spark2).toMatchObject({ cli: 'huggingface-cli', state: 'succeeded' });
        expect(await jobLog(d, done.id)).toContain(
          '[spark2] using huggingface-cli (hf is not installed there)',
        );
      } finally {
        d.c.sim.faults.hfCli('spark2', true);
      }
      const missing = await finished(
        d,
        await start({ repo: 'nobody/no-such-model', nodes: ['spark1'] }),
        SLOW,
      );
      expect(missing.state).toBe('failed');
      expect(meta(missing).nodes.spark1!.error).toContain('Repository Not Found');
      expect(missing.error).toContain('spark1');
    },
    SLOW,
  );

  it(
    'a node down fails its part only; the job says which',
    async () => {
      await d.c.sim.faults.nodeDown('spark2');
      try {
        const done = await finished(d, await start({ repo: 'acme/Down-1B', mode: 'both' }), SLOW);
        expect(done.state).toBe('failed');
        expect(meta(done).nodes.spark1!.state).toBe('succeeded');
        expect(meta(done).nodes.spark2!.state).toBe('failed');
        expect(done.error).toMatch(/failed on spark2 .*it finished on spark1/);
      } finally {
        await d.c.sim.faults.nodeUp('spark2');
      }
    },
    SLOW,
  );

  it(
    'disk full: failed with the CLI error and the free space, partial files left .incomplete',
    async () => {
      d.c.sim.faults.hfFault('spark1', 'disk-full');
      try {
        const done = await finished(d, await start({ repo: 'acme/Full-2B', nodes: ['spark1'] }), SLOW);
        expect(done.state).toBe('failed');
        const err = meta(done).nodes.spark1!.error!;
        expect(err).toContain('No space left on device');
        expect(err).toMatch(/[\d.]+ GB free on the HF cache's disk of spark1/);
        expect(cached(d, 0, 'acme/Full-2B').incomplete).toBeGreaterThan(0);
      } finally {
        d.c.sim.faults.hfFault('spark1', null);
      }
    },
    SLOW,
  );

  it(
    'retry re-runs only the failed node and resumes its partial file',
    async () => {
      const repo = 'acme/Retry-2B';
      d.c.sim.faults.hfFault('spark2', 'download-fail');
      const first = await finished(d, await start({ repo, mode: 'both' }), SLOW);
      d.c.sim.faults.hfFault('spark2', null);
      expect(first.state).toBe('failed');
      expect(meta(first).nodes.spark1!.state).toBe('succeeded');
      expect(meta(first).nodes.spark2!.error).toContain('Connection broken');
      expect(cached(d, 1, repo).incomplete).toBeGreaterThan(0);
      const spark1Downloads = (): number => execLog(d, 'spark1').split(' download ').length;
      const spark1Before = spark1Downloads();
      const r = await call<{ job_id: string }>(d, 'POST', `/api/download/${first.id}/retry`);
      expect(r.status).toBe(202);
      const second = await finished(d, r.body.job_id, SLOW);
      expect(second.state, second.error ?? '').toBe('succeeded');
      expect(Object.keys(meta(second).nodes)).toEqual(['spark2']);
      expect(meta(second).retry_of).toBe(first.id);
      expect(second.locks).toEqual(['download:spark2']);
      expect(spark1Downloads()).toBe(spark1Before);
      expect(execLog(d, 'spark2')).toContain(`download ${repo}`);
      expect(cached(d, 1, repo)).toEqual({ complete: repoFiles(repo), incomplete: 0 });
      const firstBar = (await jobLog(d, second.id)).find((l) => / GB of /.test(l))!;
      expect(firstBar).not.toMatch(/\(0%\)$/); // resumed, not from zero
      const again = await call<{ error: { code: string } }>(d, 'POST', `/api/download/${second.id}/retry`);
      expect(again.status).toBe(409);
    },
    SLOW,
  );

  it(
    '409 for a second download on a busy node, naming the job; rate and ETA while running; cancel kills the remote CLI',
    async () => {
      const repo = 'acme/Huge-70B';
      const id = await start({ repo, nodes: ['spark1'] });
      await waitFor(
        async () => ((meta(await job(d, id)).nodes.spark1!.total ?? 0) > 1e9 ? true : null),
        SLOW,
      );
      expect(hfProcesses(d).length).toBeGreaterThan(0);
      const clash = await call<{ error: { code: string; message: string } }>(d, 'POST', '/api/download', {
        repo: 'acme/Other-1B',
        mode: 'both',
      });
      expect(clash.status).toBe(409);
      expect(clash.body.error.message).toContain(id);
      const p = await waitFor(async () => {
        const part = meta(await job(d, id)).nodes.spark1!;
        return (part.rate_bps ?? 0) > 0 && part.eta_s !== null ? part : null;
      }, SLOW);
      expect(p.total).toBeGreaterThan(p.bytes);
      expect(p.eta_s).toBeGreaterThan(0);
      const cancel = await call(d, 'DELETE', `/api/jobs/${id}`);
      expect(cancel.status).toBeLessThan(300);
      const done = await finished(d, id, SLOW);
      expect(done.state).toBe('cancelled');
      expect(meta(done).nodes.spark1!.state).toBe('cancelled');
      await waitFor(() => hfProcesses(d).length === 0, 10_000);
      expect(cached(d, 0, repo).incomplete).toBeGreaterThan(0);
      // the node is free again
      const next = await finished(d, await start({ repo: 'acme/After-1B', nodes: ['spark1'] }), SLOW);
      expect(next.state).toBe('succeeded');
    },
    SLOW,
  );

  it('the HF token reached the CLI through its environment and appears in no command, log or response', async () => {
    const hash = createHash('sha256').update(HF_TOKEN).digest('hex');
    for (const node of ['spark1', 'spark2']) {
      const seen = readFileSync(join(d.c.dataDir, 'sim', 'nodes', node, 'state', 'hf-token.sha256'), 'utf8');
      expect(seen.trim()).toBe(hash);
      const commands = execLog(d, node);
      expect(commands).toContain('download');
      expect(commands).not.toContain(HF_TOKEN);
    }
    const jobs = await call<JobInfo[]>(d, 'GET', '/api/jobs?kind=download');
    expect(jobs.status).toBe(200);
    for (const j of Array.isArray(jobs.body) ? jobs.body : []) await jobLog(d, j.id);
    expect(d.bodies.length).toBeGreaterThan(20);
    for (const b of d.bodies) expect(b).not.toContain(HF_TOKEN);
    expect(d.logLines.length).toBeGreaterThan(10);
    for (const l of d.logLines) expect(l).not.toContain(HF_TOKEN);
  });
});
