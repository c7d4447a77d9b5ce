import type { Migration } from '../../platform/store/db.js';

// The redaction vault owns ids 110–114. A task is one row (its id, when it was made, when it was
// last used — retention counts from there); each placeholder↔value pair is a row of its own with
// the value sealed by AES-256-GCM (vault/crypto.ts): ciphertext, IV and tag, never the value
// itself. Entries go with their task (ON DELETE CASCADE; the store also deletes them explicitly).
export const redactionMigrations: Migration[] = [
  {
    id: 110,
    name: 'redaction: the vault (tasks and their encrypted placeholder values)',
    sql: `
      CREATE TABLE redaction_tasks (
        id TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        last_used_at INTEGER NOT NULL
      );
      CREATE INDEX redaction_tasks_by_last_use ON redaction_tasks(last_used_at);
      CREATE TABLE redaction_entries (
        task_id TEXT NOT NULL REFERENCES redaction_tasks(id) ON DELETE CASCADE,
        placeholder TEXT NOT NULL,
        type TEXT NOT NULL,
        seq INTEGER NOT NULL,
        value_ct BLOB NOT NULL,
        value_iv BLOB NOT NULL,
        value_tag BLOB NOT NULL,
        PRIMARY KEY (task_id, placeholder)
      );
    `,
  },
];
