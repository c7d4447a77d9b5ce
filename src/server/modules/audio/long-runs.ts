// The bound on admitted long runs (config `audio.max_long_runs`). A run that may wait for GPU slots
// — a long recording sent synchronously, or any async job — holds its upload (up to
// audio.max_upload_mb) and perhaps a decoded WAV on disk for as long as it waits. The GPU cap keeps
// waiting chunks off the GPU, not their files off the disk, so runs are counted from admission to
// their end and, over the bound, refused at once (503 + Retry-After) instead of queued.
import { AppError } from '../../platform/http/errors.js';
import { releaseOnce } from '../../platform/release-once.js';

export interface LongRunsOptions {
  /** Runs admitted at once, waiting or running. */
  limit: number;
  /** Seconds a refused request is told to wait: long runs take minutes, so longer than the GPU's. */
  retryAfterS?: number;
}

export class LongRuns {
  private active = 0;
  private readonly retryAfterS: number;

  constructor(private readonly o: LongRunsOptions) {
    this.retryAfterS = o.retryAfterS ?? 30;
  }

  get admitted(): number {
    return this.active;
  }

  get limit(): number {
    return this.o.limit;
  }

  /** A release to call when the run ends (idempotent), or 503 + Retry-After over the bound. */
  admit(): () => void {
    if (this.active >= this.o.limit)
      throw new AppError(
        'SERVICE_UNAVAILABLE',
        `Too many long transcriptions: ${this.active} are admitted (running or waiting for the GPU), ` +
          `the limit (audio.max_long_runs) is ${this.o.limit}. Retry in ${this.retryAfterS} s.`,
        { headers: { 'retry-after': String(this.retryAfterS) } },
      );
    this.active++;
    return releaseOnce(() => this.active--);
  }
}
