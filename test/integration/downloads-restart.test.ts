// A control-plane restart in the middle of a download: the job shows `interrupted` (not running,
// not failed), the CLI on the node is gone, its .incomplete blob stays, and a retry resumes it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/harness.js';
import {
  cached,
  call,
  type DownloadCluster,
  finished,
  hfProcesses,
  job,
  jobLog,
  meta,
  repoFiles,
  startDownloadCluster,
} from './downloads-helpers.js';

const SLOW = 120_000;
let d: DownloadCluster;

beforeAll(async () => {
  d = await startDownloadCluster();
});
afterAll(async () => {
  await d?.c.close();
});

describe('download across a control-plane restart', () => {
  it(
    'is interrupted by the restart and resumable by retry',
    async () => {
      const repo = 'acme/Restart-8B';
      const started = await call<{ job_id: string }>(d, 'POST', '/api/download', { repo, nodes: ['spark2'] });
      expect(started.status).toBe(202);
      const id = started.body.job_id;
      await waitFor(
        async () => ((meta(await job(d, id)).nodes.spark2!.total ?? 0) > 1e9 ? true : null),
        SLOW,
      );
      await d.c.restart();
      const after = await job(d, id);
      expect(after.state).toBe('interrupted');
      await waitFor(() => hfProcesses(d).length === 0, 10_000);
      expect(cached(d, 1, repo).incomplete).toBeGreaterThan(0);
      // the lock went with the old process: the node takes a download again
      const retry = await call<{ job_id: string }>(d, 'POST', `/api/download/${id}/retry`);
      expect(retry.status).toBe(202);
      const done = await finished(d, retry.body.job_id, SLOW);
      expect(done.state, done.error ?? '').toBe('succeeded');
      expect(cached(d, 1, repo)).toEqual({ complete: repoFiles(repo), incomplete: 0 });
      const bars = (await jobLog(d, done.id)).filter((l) => / GB of /.test(l));
      const firstBig = bars.find((l) => /of [1-9][\d.]* GB/.test(l))!;
      expect(firstBig).not.toMatch(/^\[spark2\] 0\.00 GB/); // resumed where the first run stopped
    },
    SLOW,
  );
});
