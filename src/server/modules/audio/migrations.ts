import type { Migration } from '../../platform/store/db.js';

// The audio pipeline owns ids 90–94 (SPEC §10): the outcome of each async transcription job — the
// transcript and each global speaker's centroid fingerprint (for "this is Alice" enrollment), or
// the error it failed with — kept until `expires_at` (audio.result_retention_h).
export const audioMigrations: Migration[] = [
  {
    id: 90,
    name: 'audio: results of async transcription jobs',
    sql: `
      CREATE TABLE audio_results (
        id TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('succeeded', 'failed')),
        transcript TEXT,
        centroids TEXT,
        error_code TEXT,
        error_message TEXT
      );
      CREATE INDEX audio_results_expires_at ON audio_results (expires_at);
    `,
  },
];
