// The lab's current run, remembered per browser so a reload shows the last transcript again
// (results are kept on the server for `audio.result_retention_h`).
import type { JobState } from '../../../../common/api.js';
import { readStoredString, writeStored } from '../../../hooks/usePersistentState.js';

export type RunOutcome = Exclude<JobState, 'running'> | 'unknown';

const OUTCOMES: readonly string[] = ['succeeded', 'failed', 'cancelled', 'interrupted', 'unknown'];

export interface LabRun {
  job_id: string;
  result_url: string;
  file_name: string;
  file_bytes: number;
  /**
   * null while the job runs; how it ended (`unknown`: the server no longer knows the job, the
   * result may still be kept). The transcript is read from `result_url` unless it failed.
   */
  outcome: RunOutcome | null;
}

const KEY = 'spark-control.audio-lab-run';

export function readRun(): LabRun | null {
  const raw = readStoredString(KEY);
  if (!raw) return null;
  try {
    const r = JSON.parse(raw) as Partial<LabRun> | null;
    if (!r || typeof r.job_id !== 'string' || typeof r.result_url !== 'string') return null;
    // Only our own result routes: a stored value is never trusted as an arbitrary URL.
    if (!r.result_url.startsWith('/api/audio/results/')) return null;
    return {
      job_id: r.job_id,
      result_url: r.result_url,
      file_name: typeof r.file_name === 'string' ? r.file_name : 'audio',
      file_bytes: typeof r.file_bytes === 'number' ? r.file_bytes : 0,
      outcome: typeof r.outcome === 'string' && OUTCOMES.includes(r.outcome) ? r.outcome : null,
    };
  } catch {
    return null;
  }
}

export function writeRun(run: LabRun | null): void {
  writeStored(KEY, run ? JSON.stringify(run) : null);
}

/** Whether a result is worth reading: the job succeeded, or we cannot tell any more. */
export function hasResult(run: LabRun): boolean {
  return run.outcome === 'succeeded' || run.outcome === 'unknown';
}
