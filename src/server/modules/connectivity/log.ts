// The connectivity log (SPEC §3): per subject (each node, vLLM, Parakeet, Magpie) the current
// state and when it last changed, plus a rolling log of events. Only active polling changes the
// state: it arrives on the bus as `node_state` (hardware probes) and `status` (service checks),
// and each change is logged as a `transition` carrying how long the previous state lasted.
// Reports (gateway, deep health, other apps) are logged but never touch the state.
import type {
  ConnectivityAvailabilityResponse,
  ConnectivityEvent,
  ConnectivityResponse,
  ConnectivityState,
  EventEnvelope,
} from '../../../common/api.js';
import type { EventBus } from '../../platform/events/bus.js';
import { AppError } from '../../platform/http/errors.js';
import type { Db } from '../../platform/store/db.js';
import { availabilityWindow, subjectAvailability } from './availability.js';
import { ChangeStore } from './changes.js';
import { fromRow, type EventRow } from './legacy.js';
import { checkError, checkMs, checkName, MAX_ERROR } from './validate.js';

export const SERVICE_SUBJECTS = ['vllm', 'parakeet', 'magpie'] as const;
export const DEFAULT_KEEP = 1000;
export const DEFAULT_LIMIT = 200;
export const MAX_LIMIT = 1000;
/** How often the log notes that the control plane is alive (and watching). */
export const HEARTBEAT_MS = 60_000;
/** A restart quicker than this (a settings restart, a quick upgrade) is not a gap in watching. */
export const GAP_MS = 2 * HEARTBEAT_MS;

export interface ConnectivityLogOptions {
  db: Db;
  bus: EventBus;
  /** Milliseconds since the epoch; tests inject a clock they move by hand. */
  now?: () => number;
  /** Node names, listed (as `unknown`) before their first probe. The services are always listed. */
  subjects?: string[];
  /** Events kept; older ones are pruned on insert. */
  keep?: number;
}

export interface ReportInput {
  subject: string;
  ok: boolean;
  source: string;
  error?: string | null;
  ms?: number | null;
  /** Not an error: what the reporter did (a wake: which senders sent the packet). */
  note?: string | null;
}

interface StateRow {
  subject: string;
  state: ConnectivityState;
  last_change: number | null;
}

type NewEvent = Omit<ConnectivityEvent, 'id' | 'ts'>;

const seconds = (ms: number) => Math.round(ms) / 1000;

export class ConnectivityLog {
  private readonly now: () => number;
  private readonly keep: number;
  private readonly unsubscribe: () => void;
  private readonly changes: ChangeStore;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly o: ConnectivityLogOptions) {
    this.now = o.now ?? Date.now;
    this.changes = new ChangeStore(o.db);
    this.keep = Math.max(1, o.keep ?? DEFAULT_KEEP);
    const add = o.db.prepare(
      "INSERT OR IGNORE INTO connectivity_state (subject, state, last_change) VALUES (?, 'unknown', NULL)",
    );
    for (const s of [...(o.subjects ?? []), ...SERVICE_SUBJECTS]) add.run(s);
    this.markUnwatched();
    this.beat();
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
    this.unsubscribe = o.bus.subscribe((e) => this.onEnvelope(e));
  }

  stop(): void {
    clearInterval(this.heartbeat);
    this.unsubscribe();
    // The moment watching ends: a restart later than GAP_MS shows the time between as unknown.
    this.beat();
  }

  /** Notes that the control plane is alive now (kept in SQLite: the next start reads it). */
  beat(): void {
    // A timer may still fire after the store closed (a plane torn down without stop()).
    if (!this.o.db.open) return;
    this.o.db
      .prepare(
        'INSERT INTO connectivity_heartbeat (id, ts) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET ts = excluded.ts',
      )
      .run(this.now());
  }

  /**
   * At start: nobody polled while the control plane was stopped, so each subject's state since it
   * last noted being alive is unknown — not the up or down it last saw (the strip would count the
   * whole stop as up). The next poll sets the real state, without claiming how long the old lasted.
   */
  private markUnwatched(): void {
    const db = this.o.db;
    const beat = db.prepare('SELECT ts FROM connectivity_heartbeat WHERE id = 1').get() as
      { ts: number } | undefined;
    if (!beat || this.now() - beat.ts < GAP_MS) return;
    const unknown = db.prepare(
      "UPDATE connectivity_state SET state = 'unknown', last_change = ? WHERE subject = ?",
    );
    db.transaction(() => {
      const rows = db
        .prepare("SELECT subject, state, last_change FROM connectivity_state WHERE state <> 'unknown'")
        .all() as StateRow[];
      for (const r of rows) {
        const at = Math.max(beat.ts, r.last_change ?? 0);
        unknown.run(at, r.subject);
        this.changes.record(r.subject, at, 'unknown');
      }
    })();
  }

  /**
   * Active polling's verdict on a subject. Logs a `transition` (and returns it) only when the
   * state changes; the same verdict again is a no-op.
   */
  observe(
    subject: string,
    ok: boolean,
    source: string,
    error: string | null = null,
  ): ConnectivityEvent | null {
    const db = this.o.db;
    const next: ConnectivityState = ok ? 'up' : 'down';
    const event = db
      .transaction((): ConnectivityEvent | null => {
        const now = this.now();
        const row = db
          .prepare('SELECT subject, state, last_change FROM connectivity_state WHERE subject = ?')
          .get(subject) as StateRow | undefined;
        if (row?.state === next) return null;
        const lasted =
          row && row.state !== 'unknown' && row.last_change !== null
            ? seconds(Math.max(0, now - row.last_change))
            : null;
        // An upsert, not INSERT OR REPLACE: that would give the row a new rowid and move the
        // subject to the end of the listing.
        db.prepare(
          `INSERT INTO connectivity_state (subject, state, last_change) VALUES (?, ?, ?)
           ON CONFLICT (subject) DO UPDATE SET state = excluded.state, last_change = excluded.last_change`,
        ).run(subject, next, now);
        this.changes.record(subject, now, next);
        return this.insert(now, {
          subject,
          kind: 'transition',
          ok,
          source,
          error: ok || !error ? null : error.slice(0, MAX_ERROR),
          ms: null,
          previous_state_s: lasted,
        });
      })
      .immediate();
    if (event) this.o.bus.publish('connectivity', event);
    return event;
  }

  /** Someone else's observation (gateway, deep health, another app): logged, state untouched. */
  report(input: ReportInput): ConnectivityEvent {
    if (typeof input.ok !== 'boolean') throw new AppError('INVALID_INPUT', '"ok" must be true or false.');
    const fields: NewEvent = {
      subject: checkName(input.subject, 'service'),
      kind: 'report',
      ok: input.ok,
      source: checkName(input.source, 'source'),
      error: checkError(input.error),
      ms: checkMs(input.ms),
      previous_state_s: null,
      // Only when there is one, so events without a note keep their old shape.
      ...(input.note ? { note: checkError(input.note, 'note') } : {}),
    };
    const event = this.o.db.transaction(() => this.insert(this.now(), fields)).immediate();
    this.o.bus.publish('connectivity', event);
    return event;
  }

  /** The gateway's report when a service answered a client request with a 5xx. */
  reportGatewayFailure(subject: string): ConnectivityEvent {
    return this.report({ subject, ok: false, source: 'gateway', error: 'answered 5xx to a client request' });
  }

  /** Current state of every subject, then the newest `limit` events, newest first. */
  snapshot(limit = DEFAULT_LIMIT): ConnectivityResponse {
    const now = this.now();
    const rows = this.o.db
      .prepare('SELECT subject, state, last_change FROM connectivity_state ORDER BY rowid')
      .all() as StateRow[];
    const subjects: ConnectivityResponse['subjects'] = {};
    for (const r of rows)
      subjects[r.subject] = {
        state: r.state,
        last_change: r.last_change === null ? null : new Date(r.last_change).toISOString(),
        since_s: r.last_change === null ? null : seconds(Math.max(0, now - r.last_change)),
      };
    return { subjects, events: this.events(limit) };
  }

  /** Per subject (in `snapshot` order), the share of each bucket of the last `hours` it was up or down. */
  availability(hours: number, bucketMin: number): ConnectivityAvailabilityResponse {
    const now = this.now();
    const w = availabilityWindow(now, hours, bucketMin);
    const rows = this.o.db
      .prepare('SELECT subject, state, last_change FROM connectivity_state ORDER BY rowid')
      .all() as StateRow[];
    const subjects: ConnectivityAvailabilityResponse['subjects'] = {};
    for (const r of rows)
      subjects[r.subject] = subjectAvailability(this.changes.since(r.subject, w.from, r), w);
    return {
      from: new Date(w.from).toISOString(),
      to: new Date(now).toISOString(),
      hours,
      bucket_min: bucketMin,
      subjects,
    };
  }

  events(limit = DEFAULT_LIMIT): ConnectivityEvent[] {
    const n = Math.min(Math.max(1, Math.floor(limit)), MAX_LIMIT);
    const rows = this.o.db
      .prepare('SELECT id, ts, data FROM connectivity_events ORDER BY ts DESC, id DESC LIMIT ?')
      .all(n) as EventRow[];
    return rows.map(fromRow).filter((e): e is ConnectivityEvent => e !== null);
  }

  private insert(ts: number, fields: NewEvent): ConnectivityEvent {
    const db = this.o.db;
    const { lastInsertRowid } = db
      .prepare('INSERT INTO connectivity_events (ts, data) VALUES (?, ?)')
      .run(ts, JSON.stringify(fields));
    db.prepare(
      `DELETE FROM connectivity_events WHERE id <= (
         SELECT id FROM connectivity_events ORDER BY id DESC LIMIT 1 OFFSET ?)`,
    ).run(this.keep);
    return { id: Number(lastInsertRowid), ts: new Date(ts).toISOString(), ...fields };
  }

  private onEnvelope(e: EventEnvelope): void {
    if (e.type === 'node_state') {
      this.observe(e.data.node, e.data.ok, 'hardware', e.data.error);
    } else if (e.type === 'status') {
      for (const s of SERVICE_SUBJECTS) {
        const st = e.data[s];
        // A service that is not configured has no state to track; a vLLM whose state is unknown
        // (a probe timed out) or loading has not gone up or down.
        if (st.base_url === null) continue;
        if ('state' in st && (st.state === 'unknown' || st.state === 'loading')) continue;
        this.observe(s, st.ok, 'status', st.error);
      }
    }
  }
}
