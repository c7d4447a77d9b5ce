import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../platform/http/errors.js';
import { migrate, type Db } from '../../platform/store/db.js';
import { buildDetectors } from './detectors/index.js';
import { redactionMigrations } from './migrations.js';
import { regionOf, RedactionService } from './service.js';
import { VaultCipher } from './vault/crypto.js';
import { VaultStore } from './vault/store.js';

describe('RedactionService', () => {
  let db: Db;
  let store: VaultStore;
  const warnings: object[] = [];
  const service = (build?: typeof buildDetectors) =>
    new RedactionService({
      store,
      detectors: { names: [], patterns: [{ name: 'TICKET', regex: 'T-[0-9]+' }] },
      defaultRegion: null,
      log: { warn: (o) => warnings.push(o) },
      build,
    });
  beforeEach(() => {
    db = new Database(':memory:');
    migrate(db, redactionMigrations);
    store = new VaultStore({ db, cipher: new VaultCipher(randomBytes(32)), retentionMs: 3_600_000 });
  });
  afterEach(() => db.close());

  it('fails closed when a detector throws: 422 redaction_failed, no text, nothing stored', () => {
    const secret = 'pathological input with ana@example.org';
    const s = service((opts) => [
      ...buildDetectors(opts),
      {
        type: 'SLOW',
        priority: 1,
        detect: () => {
          throw new Error(`custom pattern timed out on: ${secret}`);
        },
      },
    ]);
    let err: unknown;
    try {
      s.scrub({ text: secret });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'REDACTION_FAILED', status: 422 });
    expect((err as Error).message).not.toContain('ana@example.org');
    expect(JSON.stringify(warnings)).not.toContain('ana@example.org');
    expect(store.count()).toBe(0);
  });

  it('scrubs several texts of one request into one task, counting across them', () => {
    const r = service().scrubMany(undefined, ['a@example.com T-1', 'again a@example.com']);
    expect(r.texts).toEqual(['[EMAIL_1] [TICKET_1]', 'again [EMAIL_1]']);
    expect(r.found).toContainEqual({ type: 'EMAIL', placeholder: '[EMAIL_1]', count: 2 });
    expect(service().rehydrate({ text: '[TICKET_1]', task_id: r.taskId }).text).toBe('T-1');
  });

  it('refuses an unknown entity type and names the known ones', () => {
    expect(() => service().scrub({ text: 'x', entities: ['EMAIL', 'SSN'] })).toThrow(/"SSN".*TICKET/);
  });

  it('reads a phone region from language', () => {
    expect(regionOf('de-CH')).toBe('CH');
    expect(regionOf('us')).toBe('US');
    expect(regionOf('en_GB')).toBe('GB');
    expect(regionOf('fra')).toBeNull();
    expect(regionOf(undefined)).toBeNull();
  });
});
