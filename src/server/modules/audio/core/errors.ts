// Bad data reaching the pure audio helpers (an ASR or diarizer answering NaN times, fingerprints of
// different lengths). A distinct class so the pipeline can tell "the worker sent nonsense" (502)
// from its own bugs (500) without matching message text.
export class AudioDataError extends RangeError {
  override readonly name = 'AudioDataError';
}

/** A time in seconds must be a finite number ≥ 0, and an interval must not end before it starts. */
export function checkInterval(what: string, start: number, end: number): void {
  if (!Number.isFinite(start) || !Number.isFinite(end) || start < 0 || end < 0) {
    throw new AudioDataError(
      `${what} has an invalid time (start ${start}, end ${end}): times must be finite and ≥ 0`,
    );
  }
  if (end < start) throw new AudioDataError(`${what} ends (${end} s) before it starts (${start} s)`);
}
