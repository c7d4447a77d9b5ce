// Tolerant readers for answers whose outer shape the contract leaves open (an array or a wrapper,
// a job id or a direct result) and for one line of the container-log stream. Unit-tested.
import type { JobInfo } from '../../common/api.js';
import type { NimCatalogEntry, ReapplyResult } from '../../common/services-api.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** `GET /api/nim/catalog` answers `NimCatalogEntry[]` or `{entries: [...]}`. */
export function catalogEntries(body: unknown): NimCatalogEntry[] {
  const list = Array.isArray(body) ? body : isObject(body) && Array.isArray(body.entries) ? body.entries : [];
  return list.filter(
    (e): e is NimCatalogEntry => isObject(e) && typeof e.image === 'string' && typeof e.name === 'string',
  );
}

/** The job id of a 202 answer (`{job_id}`; `{id}` or `{job: {id}}` tolerated), or null. */
export function jobIdOf(body: unknown): string | null {
  if (!isObject(body)) return null;
  if (typeof body.job_id === 'string') return body.job_id;
  if (typeof body.id === 'string') return body.id;
  if (isObject(body.job) && typeof body.job.id === 'string') return body.job.id;
  return null;
}

export function isReapplyResult(v: unknown): v is ReapplyResult {
  return isObject(v) && typeof v.ok === 'boolean' && Array.isArray(v.steps);
}

/**
 * A patch job's step-by-step result: the answer itself, the job's `meta.result`, or the steps the
 * job records in `meta.steps` as it goes (ok once the job succeeded). Null while there is none.
 */
export function reapplyResultOf(v: unknown): ReapplyResult | null {
  if (isReapplyResult(v)) return v;
  const job = v as Partial<JobInfo> | null;
  if (!isObject(job) || !isObject(job.meta)) return null;
  if (isReapplyResult(job.meta.result)) return job.meta.result;
  if (Array.isArray(job.meta.steps) && job.meta.steps.length > 0)
    return { ok: job.state === 'succeeded', steps: job.meta.steps as ReapplyResult['steps'] };
  return null;
}

const CONTROL_KEYS = new Set(['type', 'ts', 'seq', 'reason', 'job']);

/**
 * One message of `GET /api/services/{name}/logs/stream`: the raw line, or JSON carrying it
 * (`{line}` or a JSON string). Null for messages that are not lines (e.g. `{type: "end"}`); a container's own JSON log line is kept as it is.
 */
export function logLineOf(data: string): string | null {
  const first = data.trimStart()[0];
  if (first !== '{' && first !== '"') return data;
  try {
    const v = JSON.parse(data) as unknown;
    if (typeof v === 'string') return v;
    if (isObject(v)) {
      if (typeof v.line === 'string') return v.line;
      // A control message of the stream, not a line of the container's log.
      if (typeof v.type === 'string' && Object.keys(v).every((k) => CONTROL_KEYS.has(k))) return null;
    }
  } catch {
    // Not JSON after all: a log line that starts with a brace.
  }
  return data;
}

/** The reason a stream's named `error` event carries (`{error}` JSON or plain text). */
export function streamErrorText(data: unknown): string {
  if (typeof data !== 'string' || !data) return 'the log stream failed';
  try {
    const v = JSON.parse(data) as { error?: unknown } | null;
    return v && typeof v.error === 'string' ? v.error : data;
  } catch {
    return data;
  }
}
