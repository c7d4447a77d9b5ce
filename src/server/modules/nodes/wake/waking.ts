// Which nodes were just woken and are "waking — waiting for SSH". A node leaves this state when it
// answers a probe (the hardware sampler clears it) or when the timeout passes without an answer.
// The state is written through to SQLite (when a store is given): a control plane restarted while a
// Spark boots still shows it waking, and still polls it, instead of plain "unreachable".
import type { Db } from '../../../platform/store/db.js';

/** A Spark takes a minute or two to boot; after this the card goes back to plain "unreachable". */
export const WAKE_TIMEOUT_MS = 5 * 60_000;

export interface WakingState {
  since: number;
  until: number;
}

/** Where the waking states live between restarts (the `node_waking` table). */
export class WakingStore {
  private readonly upsert;
  private readonly del;
  private readonly all;

  constructor(db: Db) {
    this.upsert = db.prepare(
      'INSERT INTO node_waking (node, since, until) VALUES (?, ?, ?) ON CONFLICT(node) DO UPDATE SET since = excluded.since, until = excluded.until',
    );
    this.del = db.prepare('DELETE FROM node_waking WHERE node = ?');
    this.all = db.prepare('SELECT node, since, until FROM node_waking');
  }

  load(): Map<string, WakingState> {
    const rows = this.all.all() as { node: string; since: number; until: number }[];
    return new Map(rows.map((r) => [r.node, { since: r.since, until: r.until }]));
  }

  save(node: string, s: WakingState): void {
    this.upsert.run(node, s.since, s.until);
  }

  remove(node: string): void {
    this.del.run(node);
  }
}

export class WakingTracker {
  private readonly waking: Map<string, WakingState>;

  constructor(
    private readonly timeoutMs = WAKE_TIMEOUT_MS,
    private readonly now: () => number = Date.now,
    private readonly store?: WakingStore,
  ) {
    this.waking = store?.load() ?? new Map();
    for (const node of [...this.waking.keys()]) this.get(node); // drops the ones that ran out meanwhile
  }

  /** Nodes waking now (after a restart: the wakes that had not run out). */
  nodes(): string[] {
    return [...this.waking.keys()].filter((node) => this.get(node) !== null);
  }

  /** A second wake while waking keeps when the first began and pushes the end out. */
  start(node: string): WakingState {
    const now = this.now();
    const before = this.get(node);
    const state = { since: before?.since ?? now, until: now + this.timeoutMs };
    this.waking.set(node, state);
    this.store?.save(node, state);
    return state;
  }

  /** The node's waking state, or null (an expired one is forgotten). */
  get(node: string): WakingState | null {
    const s = this.waking.get(node);
    if (!s) return null;
    if (this.now() >= s.until) {
      this.forget(node);
      return null;
    }
    return s;
  }

  /** True when the node was waking (its state changed). */
  clear(node: string): boolean {
    return this.forget(node);
  }

  private forget(node: string): boolean {
    const had = this.waking.delete(node);
    if (had) this.store?.remove(node);
    return had;
  }

  /** The fields a node's hardware entry carries: ISO times while waking, null otherwise. */
  fields(node: string): { waking_since: string | null; waking_until: string | null } {
    const s = this.get(node);
    return s
      ? { waking_since: new Date(s.since).toISOString(), waking_until: new Date(s.until).toISOString() }
      : { waking_since: null, waking_until: null };
  }
}
