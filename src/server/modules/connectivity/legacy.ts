// Reading stored events. Rows are JSON objects; ones written before the field was renamed name it
// `spark` instead of `subject` (and may lack `kind`: those were all transitions), so every row is
// normalized here rather than trusted.
import type { ConnectivityEvent } from '../../../common/api.js';

export interface EventRow {
  id: number;
  ts: number;
  data: string;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The event a stored row describes, or null when it names no subject (or is not JSON). */
export function fromRow(row: EventRow): ConnectivityEvent | null {
  let d: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(row.data);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
    d = parsed as Record<string, unknown>;
  } catch {
    return null;
  }
  const subject = str(d.subject) ?? str(d.spark);
  if (subject === null) return null;
  const kind = d.kind === 'report' ? 'report' : 'transition';
  const note = str(d.note);
  return {
    id: row.id,
    ts: new Date(row.ts).toISOString(),
    subject,
    kind,
    ok: typeof d.ok === 'boolean' ? d.ok : d.state === 'up',
    source: str(d.source) ?? (kind === 'transition' ? 'poller' : 'unknown'),
    error: str(d.error) ?? str(d.detail),
    ms: num(d.ms) ?? num(d.latency_ms),
    previous_state_s:
      kind === 'transition' ? (num(d.previous_state_s) ?? num(d.up_seconds) ?? num(d.down_seconds)) : null,
    ...(note === null ? {} : { note }),
  };
}
