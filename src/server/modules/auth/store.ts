// Dashboard sessions in SQLite. Only a SHA-256 digest of each session id is stored, so a copy of
// the database (a backup, a support bundle) holds nothing that logs anyone in.
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../platform/store/db.js';

const digest = (id: string) => createHash('sha256').update(id, 'utf8').digest('hex');

export class SessionStore {
  private readonly insert;
  private readonly find;
  private readonly remove;
  private readonly prune;
  private readonly generation: string;

  /**
   * `credential` is what sessions are bound to (the configured password hash): sessions opened
   * under another one — before the owner changed a leaked password — no longer count.
   */
  constructor(
    db: Db,
    credential: string,
    private readonly now: () => number = Date.now,
  ) {
    this.generation = digest(credential).slice(0, 32);
    this.insert = db.prepare(
      'INSERT INTO auth_sessions (id_digest, generation, created_at, expires_at) VALUES (?, ?, ?, ?)',
    );
    this.find = db
      .prepare('SELECT expires_at FROM auth_sessions WHERE id_digest = ? AND generation = ?')
      .pluck();
    this.remove = db.prepare('DELETE FROM auth_sessions WHERE id_digest = ?');
    this.prune = db.prepare('DELETE FROM auth_sessions WHERE expires_at <= ?');
  }

  /** A new session id (256 random bits); the caller puts it in the cookie, the store keeps its digest. */
  create(ttlMs: number): string {
    const id = randomBytes(32).toString('base64url');
    const now = this.now();
    this.prune.run(now);
    this.insert.run(digest(id), this.generation, now, now + ttlMs);
    return id;
  }

  valid(id: string): boolean {
    const expires = this.find.get(digest(id), this.generation) as number | undefined;
    return expires !== undefined && expires > this.now();
  }

  delete(id: string): void {
    this.remove.run(digest(id));
  }
}
