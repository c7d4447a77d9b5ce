// Progress of a swap, download or restart: on a terminal one line redrawn in place with a bar; in a
// pipe, a log or cron mail, a plain line each time something worth reading changed (never a
// carriage return or an escape code).
import type { CliIo } from '../io.js';
import { cleanCell } from './table.js';

/** `[#########-----------]`; an unknown fraction shows an empty bar. */
export function bar(fraction: number | null | undefined, width = 20): string {
  const f = fraction === null || fraction === undefined || !Number.isFinite(fraction) ? 0 : fraction;
  const filled = Math.round(Math.min(1, Math.max(0, f)) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

export interface ProgressView {
  /**
   * `step` names what changed in a way worth a line of its own (state, phase, a 10 % step);
   * `line` is the full text. A terminal redraws on every call; a pipe prints when `step` changes.
   */
  update(step: string, line: string): void;
  /** Leaves the redrawn line in place before anything else is printed. */
  done(): void;
}

export function progressView(io: Pick<CliIo, 'isTTY' | 'columns' | 'out' | 'write'>): ProgressView {
  let lastStep: string | null = null;
  let drawn = false;
  if (!io.isTTY)
    return {
      update(step, line) {
        if (step === lastStep) return;
        lastStep = step;
        io.out(cleanCell(line));
      },
      done() {},
    };
  const width = Math.max(20, io.columns - 1);
  return {
    update(_step, line) {
      const text = [...cleanCell(line)].slice(0, width).join('');
      io.write(`\r\u001b[2K${text}`);
      drawn = true;
    },
    done() {
      if (drawn) io.write('\n');
      drawn = false;
    },
  };
}
