// Jobs by kind and state, from the job runner's `job` events on the bus (every long operation is a
// job: swaps, downloads, restarts, installs): how many run now, and how many ended, by final state.
import type { JobInfo } from '../../../common/api.js';
import { Counter } from 'prom-client';
import { BoundedLabels } from './labels.js';
import { PREFIX, type Scrape } from './scrape.js';

export class JobMetrics {
  private readonly running = new Map<string, string>();
  private readonly ended = new Set<string>();
  private readonly kinds = new BoundedLabels(48);
  private readonly finished: Counter<'kind' | 'state'>;

  /** `runningNow`: the jobs already running when metrics start (recovered after a restart). */
  constructor(s: Scrape, runningNow: JobInfo[]) {
    for (const j of runningNow) if (j.state === 'running') this.running.set(j.id, this.kinds.label(j.kind));
    const running = this.running;
    s.gauge('jobs_running', 'Jobs running now, by kind', ['kind'], () => {
      const byKind = new Map<string, number>();
      for (const kind of running.values()) byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
      return [...byKind].map(([kind, n]) => [{ kind }, n]);
    });
    this.finished = new Counter({
      name: `${PREFIX}jobs_finished_total`,
      help: 'Jobs that ended, by kind and final state (succeeded, failed, cancelled, interrupted)',
      labelNames: ['kind', 'state'],
      registers: [s.registry],
    });
  }

  onJob(job: JobInfo): void {
    if (job.state === 'running') {
      if (!this.running.has(job.id)) this.running.set(job.id, this.kinds.label(job.kind));
      return;
    }
    // Counted once even if its final state is published again.
    if (this.ended.has(job.id)) return;
    this.running.delete(job.id);
    this.ended.add(job.id);
    if (this.ended.size > 512) this.ended.delete(this.ended.values().next().value as string);
    this.finished.inc({ kind: this.kinds.label(job.kind), state: job.state });
  }
}
