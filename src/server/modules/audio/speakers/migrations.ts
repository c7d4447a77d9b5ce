import type { Migration } from '../../../platform/store/db.js';

// The speaker library owns ids 95–99 (issue 11 item 4). A speaker is one row: its name, a
// case-folded key that makes "Alice" and "alice" one name, and its fingerprint as the sum of its
// samples' unit vectors (192 little-endian float64) plus how many were summed — adding a sample is
// one exact addition, never a re-average of a rounded mean. Each sample's provenance is a row of
// its own, removed with the speaker (ON DELETE CASCADE; the store also deletes it explicitly).
export const speakerMigrations: Migration[] = [
  {
    id: 95,
    name: 'speakers: the speaker library (enrolled voices and their samples)',
    sql: `
      CREATE TABLE audio_speakers (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        name_key TEXT NOT NULL UNIQUE,
        fingerprint_sum BLOB NOT NULL,
        samples INTEGER NOT NULL CHECK (samples >= 1),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE audio_speaker_samples (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        speaker_id TEXT NOT NULL REFERENCES audio_speakers(id) ON DELETE CASCADE,
        source TEXT NOT NULL CHECK (source IN ('upload', 'result')),
        detail TEXT NOT NULL,
        speech_s REAL,
        added_at INTEGER NOT NULL
      );
      CREATE INDEX audio_speaker_samples_by_speaker ON audio_speaker_samples(speaker_id);
    `,
  },
];
