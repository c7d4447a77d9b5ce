import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempStore } from '../../../../../test/helpers/unit.js';
import type { Db } from '../../../platform/store/db.js';
import { addToSum, encodeVector, unitVector } from './fingerprint.js';
import { SPEAKER_ID, SpeakerStore, type SampleSource } from './store.js';

const vec = (seed: number) =>
  Array.from({ length: 192 }, (_, i) => Math.cos(seed * 3.1 + i * 0.7) + seed * 0.05);
const upload: SampleSource = { source: 'upload', detail: 'alice.wav', speech_s: 12.5 };
const status = (fn: () => unknown): number | undefined => {
  try {
    fn();
  } catch (e) {
    return (e as { status?: number }).status;
  }
  return undefined;
};

describe('SpeakerStore', () => {
  let db: Db;
  let dir: string;
  let now = 0;
  let store: SpeakerStore;
  beforeEach(() => {
    now = Date.UTC(2026, 0, 1);
    ({ db, dir } = tempStore('sc-speakers-'));
    store = new SpeakerStore(db, () => now);
  });
  afterEach(() => db.close());

  it('creates, lists and gets speakers without ever returning a fingerprint', () => {
    const alice = store.create('Alice', vec(1), upload);
    now += 1000;
    const bob = store.create('Bob', vec(2), upload);
    expect(alice.id).toMatch(SPEAKER_ID);
    expect(alice).toEqual({
      id: alice.id,
      name: 'Alice',
      samples: 1,
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
    });
    expect(store.list().map((s) => s.name)).toEqual(['Alice', 'Bob']);
    expect(store.get(bob.id)?.name).toBe('Bob');
    expect(store.get('spk_0000000000000000')).toBeNull();
    expect(status(() => store.require('spk_0000000000000000'))).toBe(404);
  });

  it('refuses a duplicate name in any case with 409, on create and rename', () => {
    const alice = store.create('Alice', vec(1), upload);
    const bob = store.create('Bob', vec(2), upload);
    expect(status(() => store.create('ALICE', vec(3), upload))).toBe(409);
    expect(status(() => store.rename(bob.id, 'alice'))).toBe(409);
    expect(store.list()).toHaveLength(2);
    expect(store.rename(alice.id, 'alice').name).toBe('alice');
    expect(store.byName('ALICE')?.id).toBe(alice.id);
    expect(status(() => store.rename('spk_0000000000000000', 'Carol'))).toBe(404);
  });

  it('sums unit-scaled samples and serves the normalized sum as the voice', () => {
    const alice = store.create('Alice', vec(1), upload);
    now += 5000;
    const after = store.addSample(
      alice.id,
      vec(2).map((x) => x * 40),
      { source: 'result', detail: 'r/Speaker_0', speech_s: null },
    );
    expect(after.samples).toBe(2);
    expect(after.updated_at).toBe('2026-01-01T00:00:05.000Z');
    expect(after.created_at).toBe(alice.created_at);
    const want = unitVector(addToSum(addToSum(null, vec(1)), vec(2)));
    const [voice] = store.voices();
    expect(voice!.name).toBe('Alice');
    voice!.vector.forEach((x, i) => expect(x).toBeCloseTo(want[i]!, 12));
    expect(status(() => store.addSample('spk_0000000000000000', vec(1), upload))).toBe(404);
  });

  it('deletes every row of a speaker and leaves the others alone', () => {
    const alice = store.create('Alice', vec(1), upload);
    store.addSample(alice.id, vec(2), upload);
    const bob = store.create('Bob', vec(3), upload);
    const count = (sql: string, id: string) => db.prepare(sql).pluck().get(id) as number;
    expect(count('SELECT COUNT(*) FROM audio_speaker_samples WHERE speaker_id = ?', alice.id)).toBe(2);
    expect(store.remove(alice.id)).toBe(true);
    expect(store.remove(alice.id)).toBe(false);
    expect(count('SELECT COUNT(*) FROM audio_speakers WHERE id = ?', alice.id)).toBe(0);
    expect(count('SELECT COUNT(*) FROM audio_speaker_samples WHERE speaker_id = ?', alice.id)).toBe(0);
    expect(count('SELECT COUNT(*) FROM audio_speaker_samples WHERE speaker_id = ?', bob.id)).toBe(1);
    expect(store.voices().map((v) => v.name)).toEqual(['Bob']);
    // The name is free again.
    expect(store.create('Alice', vec(4), upload).name).toBe('Alice');
  });

  it('forgets the voice elsewhere in the same transaction: all of it goes, or none', () => {
    const alice = store.create('Alice', vec(1), upload);
    const forgotten: string[] = [];
    expect(() =>
      store.remove(alice.id, () => {
        throw new Error('results store failed');
      }),
    ).toThrow(/results store failed/);
    expect(store.get(alice.id)?.name).toBe('Alice'); // rolled back with the failure
    expect(store.remove(alice.id, (id) => forgotten.push(id))).toBe(true);
    expect(store.remove(alice.id, (id) => forgotten.push(id))).toBe(false);
    expect(forgotten).toEqual([alice.id]); // not again for a speaker that is gone
  });

  it('leaves no copy of a deleted fingerprint in the database files', () => {
    const secret = vec(7);
    const alice = store.create('Alice', secret, upload);
    store.addSample(alice.id, vec(8), upload);
    const firstSum = encodeVector(addToSum(null, secret));
    const secondSum = encodeVector(addToSum(addToSum(null, secret), vec(8)));
    const files = () =>
      ['spark-control.db', 'spark-control.db-wal']
        .map((f) => join(dir, f))
        .filter((f) => existsSync(f))
        .map((f) => readFileSync(f));
    db.pragma('wal_checkpoint(TRUNCATE)');
    expect(files().some((b) => b.includes(secondSum))).toBe(true);
    store.remove(alice.id);
    for (const b of files()) {
      expect(b.includes(firstSum)).toBe(false);
      expect(b.includes(secondSum)).toBe(false);
    }
    expect(db.pragma('secure_delete', { simple: true })).toBe(0);
  });
});
