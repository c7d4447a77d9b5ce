import type { Migration } from '../../platform/store/db.js';

// Auth owns ids 60–69.
export const authMigrations: Migration[] = [
  {
    id: 60,
    name: 'auth: admin sessions (ids stored as SHA-256 digests)',
    sql: `
      CREATE TABLE auth_sessions (
        id_digest TEXT PRIMARY KEY,
        -- Digest of the password hash the session was opened with: a new password ends old sessions.
        generation TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX auth_sessions_expires ON auth_sessions (expires_at);
    `,
  },
];
