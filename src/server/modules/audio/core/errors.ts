// Bad data reaching the pure audio helpers (an ASR or diarizer answering NaN times, fingerprints of
// different lengths). A distinct class so the pipeline can tell "the worker sent nonsense" (502)
// from its own bugs (500) without matching message text.
export class AudioDataError extends RangeError {
  override readonly name = 'AudioDataError';
}

/** Whether [start, end] is a valid interval: finite times ≥ 0, not ending before it starts. */
export const isInterval = (start: number, end: number): boolean =>
  start >= 0 && end >= start && end < Infinity; // NaN fails every comparison

/** The error for an interval `isInterval` refused; `what` names it ("word 12 (\"hello\")"). */
export function intervalError(what: string, start: number, end: number): AudioDataError {
  if (!Number.isFinite(start) || !Number.isFinite(end) || start < 0 || end < 0) {
    return new AudioDataError(
      `${what} has an invalid time (start ${start}, end ${end}): times must be finite and ≥ 0`,
    );
  }
  return new AudioDataError(`${what} ends (${end} s) before it starts (${start} s)`);
}

/** Throws when [start, end] is not a valid interval. */
export function checkInterval(what: string, start: number, end: number): void {
  if (!isInterval(start, end)) throw intervalError(what, start, end);
}
