import { describe, expect, it } from 'vitest';
import type { JobInfo } from '../common/api.js';
import { EXIT } from './exit-codes.js';
import { jobElapsed, jobOutcome } from './follow.js';
import { jobBarLine, jobPlainLine, jobStep } from './job-wait.js';

const job = (over: Partial<JobInfo & { log_tail: string[] }> = {}): JobInfo & { log_tail: string[] } => ({
  id: 'job_1',
  kind: 'download',
  state: 'running',
  phase: 'downloading',
  progress: 0.42,
  error: null,
  started_at: '2026-01-01T00:00:00.000Z',
  finished_at: null,
  locks: [],
  meta: {},
  log_tail: [],
  ...over,
});
const NOW = Date.parse('2026-01-01T00:01:05.000Z');

describe('job lines and outcomes', () => {
  it('a plain line per state, phase or 10 % step', () => {
    expect(jobPlainLine(job(), NOW)).toBe('[65s] running 42%: downloading');
    expect(jobPlainLine(job({ progress: null }), NOW)).toBe('[65s] running: downloading');
    expect(jobStep(job({ progress: 0.42 }))).toBe(jobStep(job({ progress: 0.49 })));
    expect(jobStep(job({ progress: 0.42 }))).not.toBe(jobStep(job({ progress: 0.5 })));
    expect(jobStep(job())).not.toBe(jobStep(job({ phase: 'verifying' })));
  });

  it('the terminal line: bar, percent, elapsed and the detail text', () => {
    expect(jobBarLine(job(), 'spark1 1 GB/2 GB', NOW)).toBe(
      'running    [########------------]   42%  1m05s  spark1 1 GB/2 GB',
    );
    const done = job({ state: 'succeeded', progress: 0.99, finished_at: '2026-01-01T00:00:10.000Z' });
    expect(jobBarLine(done, '', NOW)).toContain('[####################]  100%  10s  downloading');
    expect(jobElapsed(done, NOW)).toBe(10);
  });

  it('exit codes: succeeded 0, cancelled 8, failed and interrupted 1 with the log tail', () => {
    expect(jobOutcome(job({ state: 'succeeded' }))).toEqual({ code: EXIT.OK, message: null });
    expect(jobOutcome(job({ state: 'cancelled' })).code).toBe(EXIT.CANCELLED);
    const failed = jobOutcome(
      job({ state: 'failed', error: 'spark2: No space left', log_tail: ['a', 'b', 'c', 'd', 'e', 'f'] }),
    );
    expect(failed.code).toBe(EXIT.FAILED);
    expect(failed.message).toBe('Job job_1 failed: spark2: No space left\n  | b\n  | c\n  | d\n  | e\n  | f');
    expect(jobOutcome(job({ state: 'interrupted' })).message).toMatch(/control plane restarted/);
  });
});
