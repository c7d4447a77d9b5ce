// The speaker library in SQLite (migration 95). Fingerprints stay here: no method returns one
// except `voices()`, which the transcription service uses to name segments. Every write is one
// transaction, so a failed step leaves nothing half done; the name's uniqueness is the table's
// (a UNIQUE key on the case-folded name), so two racing enrollments of one name cannot both win.
import { randomBytes } from 'node:crypto';
import type { EnrolledSpeaker } from '../../../../common/audio-api.js';
import { AppError } from '../../../platform/http/errors.js';
import type { Db } from '../../../platform/store/db.js';
import { addToSum, decodeVector, encodeVector, unitVector } from './fingerprint.js';
import { nameKey } from './name.js';

/** Where a sample came from, kept with the speaker (and deleted with it). */
export interface SampleSource {
  source: 'upload' | 'result';
  /** The uploaded file's name, or `<result id>/<speaker label>`. */
  detail: string;
  speech_s: number | null;
}

/** An enrolled voice as the transcription service matches against it (unit length). */
export interface EnrolledVoice {
  id: string;
  name: string;
  vector: number[];
}

interface Row {
  id: string;
  name: string;
  samples: number;
  created_at: number;
  updated_at: number;
}

const COLUMNS = 'id, name, samples, created_at, updated_at';
export const SPEAKER_ID = /^spk_[0-9a-f]{16}$/;

export class SpeakerStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  list(): EnrolledSpeaker[] {
    const rows = this.db
      .prepare(`SELECT ${COLUMNS} FROM audio_speakers ORDER BY created_at, rowid`)
      .all() as Row[];
    return rows.map(toApi);
  }

  get(id: string): EnrolledSpeaker | null {
    const row = this.db.prepare(`SELECT ${COLUMNS} FROM audio_speakers WHERE id = ?`).get(id) as
      Row | undefined;
    return row ? toApi(row) : null;
  }

  require(id: string): EnrolledSpeaker {
    const s = this.get(id);
    if (!s) throw notFound(id);
    return s;
  }

  /** The speaker already holding this name (any case), if one does. */
  byName(name: string): EnrolledSpeaker | null {
    const row = this.db
      .prepare(`SELECT ${COLUMNS} FROM audio_speakers WHERE name_key = ?`)
      .get(nameKey(name)) as Row | undefined;
    return row ? toApi(row) : null;
  }

  /** A new speaker from its first sample; 409 when the name is taken (checked by the table). */
  create(name: string, vector: readonly number[], sample: SampleSource): EnrolledSpeaker {
    const id = `spk_${randomBytes(8).toString('hex')}`;
    const t = this.now();
    try {
      this.db.transaction(() => {
        this.db
          .prepare(
            `INSERT INTO audio_speakers (id, name, name_key, fingerprint_sum, samples, created_at, updated_at)
             VALUES (?, ?, ?, ?, 1, ?, ?)`,
          )
          .run(id, name, nameKey(name), encodeVector(addToSum(null, vector)), t, t);
        this.recordSample(id, sample, t);
      })();
    } catch (e) {
      throw isUniqueViolation(e) ? nameTaken(name) : e;
    }
    return this.require(id);
  }

  /** Sums one more sample into the speaker's fingerprint. */
  addSample(id: string, vector: readonly number[], sample: SampleSource): EnrolledSpeaker {
    const t = this.now();
    this.db.transaction(() => {
      const row = this.db.prepare('SELECT fingerprint_sum FROM audio_speakers WHERE id = ?').get(id) as
        { fingerprint_sum: Buffer } | undefined;
      if (!row) throw notFound(id);
      const sum = addToSum(decodeVector(row.fingerprint_sum), vector);
      this.db
        .prepare(
          'UPDATE audio_speakers SET fingerprint_sum = ?, samples = samples + 1, updated_at = ? WHERE id = ?',
        )
        .run(encodeVector(sum), t, id);
      this.recordSample(id, sample, t);
    })();
    return this.require(id);
  }

  rename(id: string, name: string): EnrolledSpeaker {
    let changes: number;
    try {
      changes = this.db
        .prepare('UPDATE audio_speakers SET name = ?, name_key = ?, updated_at = ? WHERE id = ?')
        .run(name, nameKey(name), this.now(), id).changes;
    } catch (e) {
      throw isUniqueViolation(e) ? nameTaken(name) : e;
    }
    if (changes === 0) throw notFound(id);
    return this.require(id);
  }

  /**
   * Deletes the speaker, its fingerprint and every sample record; false when there was none. A
   * fingerprint is biometric data: the freed bytes are zeroed (`secure_delete`) and the WAL is
   * checkpointed so the old pages do not linger in the files either. `forgetElsewhere` removes
   * what other tables hold of the voice (kept results) in the same transaction and under the same
   * zeroing, so the speaker is never half deleted.
   */
  remove(id: string, forgetElsewhere?: (id: string) => void): boolean {
    const before = this.db.pragma('secure_delete', { simple: true }) as number;
    this.db.pragma('secure_delete = ON');
    try {
      const removed = this.db.transaction(() => {
        this.db.prepare('DELETE FROM audio_speaker_samples WHERE speaker_id = ?').run(id);
        const gone = this.db.prepare('DELETE FROM audio_speakers WHERE id = ?').run(id).changes > 0;
        if (gone) forgetElsewhere?.(id);
        return gone;
      })();
      // Best effort: a reader in the middle of a long read keeps its frames until it finishes.
      if (removed) this.db.pragma('wal_checkpoint(TRUNCATE)');
      return removed;
    } finally {
      this.db.pragma(`secure_delete = ${before ? 'ON' : 'OFF'}`);
    }
  }

  /** Every enrolled voice with its fingerprint at unit length, for naming transcript speakers. */
  voices(): EnrolledVoice[] {
    const rows = this.db
      .prepare('SELECT id, name, fingerprint_sum FROM audio_speakers ORDER BY created_at, rowid')
      .all() as { id: string; name: string; fingerprint_sum: Buffer }[];
    return rows.map((r) => ({ id: r.id, name: r.name, vector: unitVector(decodeVector(r.fingerprint_sum)) }));
  }

  private recordSample(id: string, s: SampleSource, t: number): void {
    this.db
      .prepare(
        'INSERT INTO audio_speaker_samples (speaker_id, source, detail, speech_s, added_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(id, s.source, s.detail.slice(0, 300), s.speech_s, t);
  }
}

const toApi = (r: Row): EnrolledSpeaker => ({
  id: r.id,
  name: r.name,
  samples: r.samples,
  created_at: new Date(r.created_at).toISOString(),
  updated_at: new Date(r.updated_at).toISOString(),
});

const isUniqueViolation = (e: unknown): boolean =>
  (e as { code?: unknown } | null)?.code === 'SQLITE_CONSTRAINT_UNIQUE';

export const notFound = (id: string) => new AppError('NOT_FOUND', `No enrolled speaker with id ${id}.`);

export const nameTaken = (name: string) =>
  new AppError(
    'CONFLICT',
    `A speaker named "${name}" is already enrolled; add a sample to it or choose another name.`,
    {
      details: { param: 'name' },
    },
  );
