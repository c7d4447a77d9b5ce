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

/** A reapply's result: the answer itself, or the finished job's `meta.result`. */
export function reapplyResultOf(v: unknown): ReapplyResult | null {
  if (isReapplyResult(v)) return v;
  const job = v as Partial<JobInfo> | null;
  if (isObject(job) && isObject(job.meta) && isReapplyResult(job.meta.result)) return job.meta.result;
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
