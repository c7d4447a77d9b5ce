// The vault in SQLite (migration 110): a task's placeholder table is loaded, used and saved inside
// one IMMEDIATE transaction, so two scrubs of one task (or two processes on one file) cannot hand
// the same placeholder to two values, and a scrub that throws leaves nothing behind — not even a
// new task. Values are sealed (crypto.ts); reads that show a task give placeholders and types only.
import { TaskMap } from '../engine/task-map.js';
import type { PlaceholderEntry } from '../engine/types.js';
import type { Db } from '../../../platform/store/db.js';
import type { Statement } from 'better-sqlite3';
import { AppError } from '../../../platform/http/errors.js';
import { KEY_FILE, rowAad, type VaultCipher } from './crypto.js';

interface TaskRow {
  id: string;
  created_at: number;
  last_used_at: number;
}

interface EntryRow {
  placeholder: string;
  type: string;
  value_ct: Buffer;
  value_iv: Buffer;
  value_tag: Buffer;
}

export interface TaskSummary {
  id: string;
  createdAt: number;
  expiresAt: number;
  placeholders: { placeholder: string; type: string }[];
}

export interface VaultOptions {
  db: Db;
  cipher: VaultCipher;
  /** How long a task lives after its last use (redaction.retention_hours), in ms. */
  retentionMs: number;
  now?: () => number;
}

// Every statement a scrub runs, prepared once per store: preparing them on each request (four or
// five per scrub) was a measurable share of the redacting chat route's added CPU.
const SQL = {
  task: 'SELECT id, created_at, last_used_at FROM redaction_tasks WHERE id = ?',
  createTask: 'INSERT INTO redaction_tasks (id, created_at, last_used_at) VALUES (?, ?, ?)',
  touchTask: 'UPDATE redaction_tasks SET last_used_at = ? WHERE id = ?',
  entries:
    'SELECT placeholder, type, value_ct, value_iv, value_tag FROM redaction_entries WHERE task_id = ? ORDER BY seq',
  lastSeq: 'SELECT COALESCE(MAX(seq), 0) AS n FROM redaction_entries WHERE task_id = ?',
  addEntry: `INSERT INTO redaction_entries (task_id, placeholder, type, seq, value_ct, value_iv, value_tag)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  deleteEntries: 'DELETE FROM redaction_entries WHERE task_id = ?',
  deleteTask: 'DELETE FROM redaction_tasks WHERE id = ?',
} as const;

export class VaultStore {
  private readonly db: Db;
  private readonly cipher: VaultCipher;
  private readonly retentionMs: number;
  private readonly now: () => number;
  private readonly prepared = new Map<keyof typeof SQL, Statement>();

  constructor(o: VaultOptions) {
    this.db = o.db;
    this.cipher = o.cipher;
    this.retentionMs = o.retentionMs;
    this.now = o.now ?? Date.now;
  }

  /** The statement, prepared on first use (the tables may be created after the store). */
  private sql(name: keyof typeof SQL): Statement {
    let st = this.prepared.get(name);
    if (!st) this.prepared.set(name, (st = this.db.prepare(SQL[name])));
    return st;
  }

  /**
   * Runs `use` on the task's table and stores what it assigned, all in one transaction; the task
   * is created when `create` and it does not exist (or has expired). Returns null when the task
   * is unknown and `create` is false. Whatever `use` throws rolls everything back.
   */
  withTask<T>(id: string, create: boolean, use: (table: TaskMap) => T): { result: T } | null {
    const run = this.db.transaction((): { result: T } | null => {
      const t = this.now();
      const task = this.liveTask(id, t);
      if (!task && !create) return null;
      if (!task) this.sql('createTask').run(id, t, t);
      else this.sql('touchTask').run(t, id);
      const table = new TaskMap(task ? this.entries(id) : []);
      const result = use(table);
      const added = table.added();
      if (added.length > 0) {
        const insert = this.sql('addEntry');
        // Read once: inside this IMMEDIATE transaction no other writer can add to the task.
        let seq = task ? (this.sql('lastSeq').get(id) as { n: number }).n : 0;
        for (const e of added) {
          const s = this.cipher.seal(e.value, rowAad(id, e.placeholder));
          insert.run(id, e.placeholder, e.type, ++seq, s.ct, s.iv, s.tag);
        }
      }
      return { result };
    });
    return run.immediate();
  }

  /** The task's placeholders and types (never values), or null when unknown or expired. */
  summary(id: string): TaskSummary | null {
    const task = this.liveTask(id, this.now());
    if (!task) return null;
    const rows = this.db
      .prepare('SELECT placeholder, type FROM redaction_entries WHERE task_id = ? ORDER BY seq')
      .all(id) as { placeholder: string; type: string }[];
    return {
      id,
      createdAt: task.created_at,
      expiresAt: task.last_used_at + this.retentionMs,
      placeholders: rows.map((r) => ({ placeholder: r.placeholder, type: r.type })),
    };
  }

  /** Deletes the task and its values; false when there was none (expired counts as none). */
  delete(id: string): boolean {
    return this.db.transaction(() => {
      const live = this.liveTask(id, this.now()) !== null;
      this.sql('deleteEntries').run(id);
      this.sql('deleteTask').run(id);
      return live;
    })();
  }

  /** Deletes every task unused for longer than the retention; returns how many. */
  purgeExpired(): number {
    const cutoff = this.now() - this.retentionMs;
    return this.db.transaction(() => {
      this.db
        .prepare(
          'DELETE FROM redaction_entries WHERE task_id IN (SELECT id FROM redaction_tasks WHERE last_used_at <= ?)',
        )
        .run(cutoff);
      return this.db.prepare('DELETE FROM redaction_tasks WHERE last_used_at <= ?').run(cutoff).changes;
    })();
  }

  /** Deletes every task (a new key was created: values sealed under the old one cannot be opened). */
  clear(): number {
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM redaction_entries').run();
      return this.db.prepare('DELETE FROM redaction_tasks').run().changes;
    })();
  }

  /** How many tasks are stored (live or awaiting the purge). */
  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM redaction_tasks').get() as { n: number }).n;
  }

  /** The task when it exists and has not expired; an expired one is deleted on sight. */
  private liveTask(id: string, now: number): TaskRow | null {
    const row = this.sql('task').get(id) as TaskRow | undefined;
    if (!row) return null;
    if (row.last_used_at + this.retentionMs > now) return row;
    this.sql('deleteEntries').run(id);
    this.sql('deleteTask').run(id);
    return null;
  }

  private entries(id: string): PlaceholderEntry[] {
    const rows = this.sql('entries').all(id) as EntryRow[];
    try {
      return rows.map((r) => ({
        placeholder: r.placeholder,
        type: r.type,
        value: this.cipher.open(
          { ct: r.value_ct, iv: r.value_iv, tag: r.value_tag },
          rowAad(id, r.placeholder),
        ),
      }));
    } catch (e) {
      // Sealed under another key (redaction.key replaced) or altered in the file: never guessed at.
      throw new AppError(
        'INTERNAL',
        `The redaction vault could not open task "${id}" (the key file ${KEY_FILE} changed, or the database was altered); delete the task.`,
        { cause: e },
      );
    }
  }
}
