import type { Migration } from '../../platform/store/db.js';

// Connectivity owns ids 50–59 and 116–117 (SPEC §3: connectivity log; issue 14: availability).
export const connectivityMigrations: Migration[] = [
  {
    id: 50,
    name: 'connectivity: current state per subject and the rolling event log',
    sql: `
      CREATE TABLE connectivity_state (
        subject TEXT PRIMARY KEY,
        state TEXT NOT NULL CHECK (state IN ('up', 'down', 'unknown')),
        last_change INTEGER
      );
      -- One JSON object per event; rows written before the field was renamed say "spark" instead
      -- of "subject" and are normalized on read.
      CREATE TABLE connectivity_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        ts INTEGER NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX connectivity_events_ts ON connectivity_events (ts);
    `,
  },
  {
    id: 116,
    name: 'connectivity: state changes kept apart from the event log, for the availability strip',
    // The event log keeps its newest 1000 events, reports included, so a busy gateway could push a
    // day's transitions out of it; the strip needs every change of the window and the one before.
    // Filled from the transitions the event log still holds (legacy rows included).
    sql: `
      CREATE TABLE connectivity_changes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        subject TEXT NOT NULL,
        ts INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('up', 'down'))
      );
      CREATE INDEX connectivity_changes_subject_ts ON connectivity_changes (subject, ts);
      INSERT INTO connectivity_changes (subject, ts, state)
        SELECT subject, ts, state FROM (
          SELECT
            COALESCE(NULLIF(json_extract(j, '$.subject'), ''), NULLIF(json_extract(j, '$.spark'), '')) AS subject,
            ts,
            id,
            CASE
              WHEN json_type(j, '$.ok') IN ('true', 'false')
                THEN CASE WHEN json_extract(j, '$.ok') THEN 'up' ELSE 'down' END
              WHEN json_extract(j, '$.state') = 'up' THEN 'up'
              ELSE 'down'
            END AS state,
            COALESCE(json_extract(j, '$.kind'), 'transition') AS kind
          -- Rows that are not JSON objects read as {} (no subject), so they are skipped.
          FROM (
            SELECT id, ts,
              CASE WHEN json_valid(data) THEN
                CASE WHEN json_type(data) = 'object' THEN data ELSE '{}' END
              ELSE '{}' END AS j
            FROM connectivity_events
          )
        )
        WHERE kind <> 'report' AND typeof(subject) = 'text'
        ORDER BY ts, id;
    `,
  },
  {
    id: 117,
    name: 'connectivity: an unknown state while the control plane was not watching, and its heartbeat',
    // While Spark Control is stopped nobody polls: the strip must show that time as unknown, not
    // as the last state seen. SQLite cannot change a CHECK, so the changes table is rebuilt.
    sql: `
      CREATE TABLE connectivity_changes_next (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        subject TEXT NOT NULL,
        ts INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('up', 'down', 'unknown'))
      );
      INSERT INTO connectivity_changes_next (id, subject, ts, state)
        SELECT id, subject, ts, state FROM connectivity_changes;
      DROP TABLE connectivity_changes;
      ALTER TABLE connectivity_changes_next RENAME TO connectivity_changes;
      CREATE INDEX connectivity_changes_subject_ts ON connectivity_changes (subject, ts);
      CREATE TABLE connectivity_heartbeat (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        ts INTEGER NOT NULL
      );
    `,
  },
];
