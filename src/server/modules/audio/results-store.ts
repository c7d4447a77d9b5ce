// What async transcription jobs produced, in SQLite: the transcript and each global speaker's
// centroid fingerprint, or the error the job failed with (its code and message, so the result
// URL answers as the synchronous request would have). Rows expire after audio.result_retention_h;
// expired rows are never served and are deleted on every write and by a periodic sweep. Deleting
// an enrolled speaker removes her name, id and centroid from every kept result (forgetSpeaker).
import type { SpeakersTranscript } from '../../../common/audio-api.js';
import type { ErrorCode } from '../../platform/http/errors.js';
import type { Db } from '../../platform/store/db.js';
import { forgetSpeaker } from './core/forget-speaker.js';

export type StoredResult =
  | { status: 'succeeded'; transcript: SpeakersTranscript; createdAt: number }
  | { status: 'failed'; error: { code: ErrorCode; message: string }; createdAt: number };

interface Row {
  status: 'succeeded' | 'failed';
  created_at: number;
  transcript: string | null;
  error_code: string | null;
  error_message: string | null;
}

export class AudioResultsStore {
  constructor(
    private readonly db: Db,
    private readonly o: { retentionMs: number; now?: () => number },
  ) {}

  private get now(): number {
    return (this.o.now ?? Date.now)();
  }

  saveSucceeded(id: string, transcript: SpeakersTranscript, centroids: Record<string, number[]>): void {
    this.save(id, 'succeeded', JSON.stringify(transcript), JSON.stringify(centroids), null, null);
  }

  saveFailed(id: string, code: ErrorCode, message: string): void {
    this.save(id, 'failed', null, null, code, message);
  }

  get(id: string): StoredResult | null {
    const row = this.db
      .prepare(
        `SELECT status, created_at, transcript, error_code, error_message FROM audio_results
         WHERE id = ? AND expires_at > ?`,
      )
      .get(id, this.now) as Row | undefined;
    if (!row) return null;
    if (row.status === 'succeeded' && row.transcript)
      return {
        status: 'succeeded',
        transcript: JSON.parse(row.transcript) as SpeakersTranscript,
        createdAt: row.created_at,
      };
    return {
      status: 'failed',
      error: { code: (row.error_code ?? 'INTERNAL') as ErrorCode, message: row.error_message ?? 'failed' },
      createdAt: row.created_at,
    };
  }

  /** The centroid fingerprint of one global speaker of a kept result (SPK's "this is Alice"). */
  centroid(resultId: string, speaker: string): number[] | null {
    const row = this.db
      .prepare(`SELECT centroids FROM audio_results WHERE id = ? AND expires_at > ? AND status = 'succeeded'`)
      .get(resultId, this.now) as { centroids: string | null } | undefined;
    if (!row?.centroids) return null;
    const all = JSON.parse(row.centroids) as Record<string, number[]>;
    return Object.hasOwn(all, speaker) ? (all[speaker] ?? null) : null;
  }

  /**
   * Forgets enrolled speaker `id` in every kept result, expired or not (core/forget-speaker);
   * returns how many changed. The caller runs it in the transaction that deletes the speaker.
   */
  forgetSpeaker(id: string): number {
    // The stored JSON is JSON.stringify's, so a result naming her holds exactly this text.
    const needle = `"speaker_id":${JSON.stringify(id)}`;
    const rows = this.db
      .prepare(
        `SELECT id, transcript, centroids FROM audio_results
         WHERE status = 'succeeded' AND instr(transcript, ?) > 0`,
      )
      .all(needle) as { id: string; transcript: string; centroids: string | null }[];
    const update = this.db.prepare('UPDATE audio_results SET transcript = ?, centroids = ? WHERE id = ?');
    let changed = 0;
    for (const row of rows) {
      const kept = {
        transcript: JSON.parse(row.transcript) as SpeakersTranscript,
        centroids: row.centroids ? (JSON.parse(row.centroids) as Record<string, number[]>) : {},
      };
      const out = forgetSpeaker(kept, id);
      if (!out) continue;
      update.run(JSON.stringify(out.transcript), JSON.stringify(out.centroids), row.id);
      changed++;
    }
    return changed;
  }

  /** Deletes expired rows; returns how many. */
  sweep(): number {
    return this.db.prepare('DELETE FROM audio_results WHERE expires_at <= ?').run(this.now).changes;
  }

  private save(
    id: string,
    status: 'succeeded' | 'failed',
    transcript: string | null,
    centroids: string | null,
    code: string | null,
    message: string | null,
  ): void {
    const now = this.now;
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM audio_results WHERE expires_at <= ?').run(now);
      this.db
        .prepare(
          `INSERT OR REPLACE INTO audio_results
             (id, created_at, expires_at, status, transcript, centroids, error_code, error_message)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, now, now + this.o.retentionMs, status, transcript, centroids, code, message);
    })();
  }
}
