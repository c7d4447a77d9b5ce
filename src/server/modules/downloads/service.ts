// Downloads (SPEC §6, issue 12 item 1): one job of kind `download` per request, holding the lock
// `download:<node>` of every target node (a second download onto a node is refused with 409 naming
// the job), the nodes' parts in parallel. The job fails when any part failed and says which; the
// others still finish. Retry starts a new job for the nodes that did not succeed.
import {
  DOWNLOAD_JOB_KIND,
  type DownloadJobMeta,
  type DownloadNodeProgress,
  type DownloadRequest,
} from '../../../common/downloads-api.js';
import { AppError } from '../../platform/http/errors.js';
import type { JobContext, JobRunnerApi } from '../../platform/jobs/types.js';
import type { NodeTransport } from '../../platform/remote/transport.js';
import { initialProgress, runNodePart } from './node-part.js';
import { validateDownload } from './validate.js';

export interface DownloadReport {
  subject: string;
  ok: boolean;
  source: string;
  error?: string | null;
}

export interface DownloadServiceDeps {
  runner: JobRunnerApi;
  transport: NodeTransport;
  nodes: () => string[];
  /** secrets.hf_token, read at each start; null for public repos. */
  hfToken: () => string | null;
  /** A connectivity `report` event per node when its part ends. */
  report?: (r: DownloadReport) => void;
  now?: () => number;
  /** How often running progress is persisted and streamed (ms). */
  progressEveryMs?: number;
}

export const downloadLock = (node: string): string => `download:${node}`;

export class DownloadService {
  constructor(private readonly d: DownloadServiceDeps) {}

  start(req: DownloadRequest): { job_id: string } {
    const v = validateDownload(req, this.d.nodes());
    return this.launch(v.repo, v.nodes);
  }

  retry(jobId: string): { job_id: string } {
    const job = this.d.runner.get(jobId);
    if (!job || job.kind !== DOWNLOAD_JOB_KIND) throw new AppError('NOT_FOUND', `No download job ${jobId}`);
    if (job.state === 'running')
      throw new AppError('CONFLICT', `Download job ${jobId} is still running; cancel it first or wait`, {
        details: { job },
      });
    const meta = job.meta as unknown as DownloadJobMeta;
    const configured = this.d.nodes();
    const nodes = Object.values(meta.nodes ?? {})
      .filter((n) => n.state !== 'succeeded' && configured.includes(n.node))
      .map((n) => n.node);
    if (nodes.length === 0)
      throw new AppError('CONFLICT', `Download job ${jobId} succeeded on every node; nothing to retry`);
    return this.launch(meta.repo, nodes, jobId);
  }

  private launch(repo: string, nodes: string[], retryOf?: string): { job_id: string } {
    const meta: DownloadJobMeta = {
      repo,
      nodes: Object.fromEntries(nodes.map((n) => [n, initialProgress(n)])),
      ...(retryOf ? { retry_of: retryOf } : {}),
    };
    const token = this.d.hfToken();
    const job = this.d.runner.start({
      kind: DOWNLOAD_JOB_KIND,
      locks: nodes.map(downloadLock),
      title: `a download of ${repo} to ${nodes.join(', ')}`,
      meta: meta as unknown as Record<string, unknown>,
      run: (ctx) => this.run(ctx, repo, nodes, token),
    });
    return { job_id: job.id };
  }

  private async run(ctx: JobContext, repo: string, nodes: string[], token: string | null): Promise<void> {
    const now = this.d.now ?? Date.now;
    const every = this.d.progressEveryMs ?? 250;
    const parts: Record<string, DownloadNodeProgress> = Object.fromEntries(
      nodes.map((n) => [n, initialProgress(n)]),
    );
    let lastFlush = 0;
    let pending: NodeJS.Timeout | null = null;
    const flush = (): void => {
      if (pending) clearTimeout(pending);
      pending = null;
      lastFlush = now();
      ctx.setMeta({ nodes: { ...parts } });
      const totals = Object.values(parts);
      const known = totals.every((p) => p.total !== null || p.state === 'failed');
      const total = totals.reduce((a, p) => a + (p.total ?? 0), 0);
      const bytes = totals.reduce((a, p) => a + p.bytes, 0);
      ctx.setProgress(known && total > 0 ? Math.min(1, bytes / total) : null);
    };
    const redact = (line: string): string => (token ? line.replaceAll(token, '***') : line);
    ctx.setPhase('Downloading');
    const results = await Promise.allSettled(
      nodes.map((node) =>
        runNodePart(node, repo, token, ctx.signal, {
          transport: this.d.transport,
          now,
          log: (line) => ctx.log(redact(line)),
          update: (p, important) => {
            parts[node] = { ...p, error: p.error === null ? null : redact(p.error) };
            if (important || now() - lastFlush >= every) flush();
            else pending ??= setTimeout(flush, every);
          },
        }),
      ),
    );
    flush();
    if (ctx.signal.aborted) throw ctx.signal.reason;
    const failed = Object.values(parts).filter((p) => p.state !== 'succeeded');
    for (const r of results) if (r.status === 'rejected') throw r.reason;
    for (const p of Object.values(parts))
      this.d.report?.({
        subject: p.node,
        ok: p.state === 'succeeded',
        source: 'download',
        error:
          p.state === 'succeeded' ? null : `download of ${repo} failed: ${p.error ?? p.state}`.slice(0, 500),
      });
    if (failed.length > 0) {
      const ok = nodes.filter((n) => parts[n]?.state === 'succeeded');
      ctx.setPhase('Failed');
      throw new AppError(
        'UPSTREAM_ERROR',
        `Download of ${repo} failed on ${failed.map((p) => `${p.node} (${p.error ?? p.state})`).join('; ')}` +
          (ok.length ? `; it finished on ${ok.join(', ')}` : '') +
          '. Retry downloads only the failed nodes and resumes their partial files.',
      );
    }
    ctx.setPhase('Done');
    ctx.setProgress(1);
  }
}
