// A background poll: run a tick now, then every intervalMs, until stopped. The timer is unref'd so
// a poll never keeps the process alive; start() twice does not start a second timer.

export class Poll {
  private timer: NodeJS.Timeout | null = null;

  /** `tick` must never reject: a failed look is a state the tick records, not an error. */
  constructor(
    private readonly tick: () => Promise<unknown>,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    if (this.timer) return;
    // Fire-and-forget is safe: tick() never rejects (see the constructor).
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
