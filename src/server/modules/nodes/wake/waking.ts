// Which nodes were just woken and are "waking — waiting for SSH". A node leaves this state when it
// answers a probe (the hardware sampler clears it) or when the timeout passes without an answer.

/** A Spark takes a minute or two to boot; after this the card goes back to plain "unreachable". */
export const WAKE_TIMEOUT_MS = 5 * 60_000;

export interface WakingState {
  since: number;
  until: number;
}

export class WakingTracker {
  private readonly waking = new Map<string, WakingState>();

  constructor(
    private readonly timeoutMs = WAKE_TIMEOUT_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** A second wake while waking keeps when the first began and pushes the end out. */
  start(node: string): WakingState {
    const now = this.now();
    const before = this.get(node);
    const state = { since: before?.since ?? now, until: now + this.timeoutMs };
    this.waking.set(node, state);
    return state;
  }

  /** The node's waking state, or null (an expired one is forgotten). */
  get(node: string): WakingState | null {
    const s = this.waking.get(node);
    if (!s) return null;
    if (this.now() >= s.until) {
      this.waking.delete(node);
      return null;
    }
    return s;
  }

  /** True when the node was waking (its state changed). */
  clear(node: string): boolean {
    return this.waking.delete(node);
  }

  /** The fields a node's hardware entry carries: ISO times while waking, null otherwise. */
  fields(node: string): { waking_since: string | null; waking_until: string | null } {
    const s = this.get(node);
    return s
      ? { waking_since: new Date(s.since).toISOString(), waking_until: new Date(s.until).toISOString() }
      : { waking_since: null, waking_until: null };
  }
}
