// The swap panel's live log kept in memory: lines deduplicated by sequence number (a reconnect
// replays the log from the start) and trimmed to the newest LOG_MAX_LINES.

export const LOG_MAX_LINES = 500;

export interface LogLine {
  seq: number;
  line: string;
}

export interface LogBuffer {
  lines: readonly LogLine[];
  /** The highest sequence number seen; lines at or below it are repeats. */
  lastSeq: number;
  /** How many older lines were dropped to stay within the limit. */
  dropped: number;
}

export const EMPTY_LOG: LogBuffer = { lines: [], lastSeq: -1, dropped: 0 };

/** Appends the lines not seen yet; returns the same buffer when nothing is new. */
export function appendLog(buf: LogBuffer, incoming: readonly LogLine[], max = LOG_MAX_LINES): LogBuffer {
  let lastSeq = buf.lastSeq;
  const fresh: LogLine[] = [];
  for (const l of incoming) {
    if (l.seq <= lastSeq) continue;
    lastSeq = l.seq;
    fresh.push({ seq: l.seq, line: stripAnsi(l.line) });
  }
  if (fresh.length === 0) return buf;
  const all = buf.lines.concat(fresh);
  const excess = Math.max(0, all.length - max);
  return { lines: excess > 0 ? all.slice(excess) : all, lastSeq, dropped: buf.dropped + excess };
}

// Colour and cursor escapes that `docker logs` passes through from vLLM.
// eslint-disable-next-line no-control-regex -- matching the ESC control character is the point
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b[()][0-9A-Za-z]|\r/g;

/** Removes terminal colour codes and carriage returns, which would show as garbage. */
export function stripAnsi(line: string): string {
  return line.replace(ANSI, '');
}
