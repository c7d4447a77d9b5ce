import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../platform/events/bus.js';
import { migrate, openStore, type Db } from '../../platform/store/db.js';
import { MIGRATIONS } from '../../platform/store/migrations.js';
import { closeTempStores, trackedTempDb } from '../../../../test/helpers/unit.js';
import { ConnectivityLog } from './log.js';

const MIN = 60_000;
const DAY = Date.parse('2026-06-20T00:00:00.000Z');

describe('availability from the connectivity log', () => {
  let db: Db;
  let bus: EventBus;
  let t: number;
  let log: ConnectivityLog;
  const node = (ok: boolean) => bus.publish('node_state', { node: 'spark1', ok, error: ok ? null : 'gone' });

  beforeEach(() => {
    db = trackedTempDb('sc-conn-av-');
    bus = new EventBus();
    t = DAY;
    log = new ConnectivityLog({ db, bus, now: () => t, subjects: ['spark1', 'spark2'] });
  });
  afterEach(() => {
    log.stop();
    closeTempStores();
  });

  it('builds the strip from polling transitions only, in subject order', () => {
    node(true);
    t += 30 * MIN;
    node(false);
    log.report({ subject: 'spark1', ok: true, source: 'open-webui' }); // a report changes nothing
    t += 15 * MIN;
    node(true);
    t += 15 * MIN;
    const a = log.availability(1, 15);
    expect(Object.keys(a.subjects)).toEqual(['spark1', 'spark2', 'vllm', 'parakeet', 'magpie']);
    expect(a).toMatchObject({ hours: 1, bucket_min: 15, to: new Date(t).toISOString() });
    expect(a.subjects.spark1?.buckets.map((b) => b.down)).toEqual([0, 0, 1, 0]);
    expect(a.subjects.spark1).toMatchObject({ transitions: 3, outages: 1, up_pct: 75 });
    expect(a.subjects.spark2?.buckets.every((b) => b.unknown === 1)).toBe(true);
  });

  it('uses the current state when the change that set it is older than any stored one', () => {
    db.prepare("INSERT OR REPLACE INTO connectivity_state VALUES ('spark2', 'down', ?)").run(DAY - 600 * MIN);
    t += 60 * MIN;
    expect(log.availability(1, 30).subjects.spark2?.buckets.map((b) => b.down)).toEqual([1, 1]);
  });

  it('forgets changes older than a week, but keeps each subject’s newest', () => {
    node(true);
    t += 10 * MIN;
    node(false);
    t += 9 * 24 * 60 * MIN;
    bus.publish('node_state', { node: 'spark2', ok: true, error: null });
    const rows = db.prepare('SELECT subject, state FROM connectivity_changes ORDER BY id').all();
    expect(rows).toEqual([
      { subject: 'spark1', state: 'down' },
      { subject: 'spark2', state: 'up' },
    ]);
    expect(log.availability(24, 60).subjects.spark1?.buckets.every((b) => b.down === 1)).toBe(true);
  });

  it('keeps a note only when there is one', () => {
    const plain = log.report({ subject: 'spark1', ok: false, source: 'x' });
    const noted = log.report({ subject: 'spark1', ok: true, source: 'wake', note: 'sent\nvia peer' });
    expect('note' in plain).toBe(false);
    expect(noted.note).toBe('sent via peer');
    expect(log.events(2)).toEqual([noted, plain]);
  });
});

describe('migrations 116 and 117', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('fills the change table from the transitions the event log holds, legacy rows included; 117 keeps them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sc-conn-mig-'));
    dirs.push(dir);
    const db = openStore(dir, { migrations: MIGRATIONS.filter((m) => m.id < 116) });
    try {
      const insert = db.prepare('INSERT INTO connectivity_events (ts, data) VALUES (?, ?)');
      insert.run(1000, JSON.stringify({ spark: 'spark2', state: 'down', up_seconds: 3600 }));
      insert.run(2000, 'not json');
      insert.run(3000, JSON.stringify({ subject: 'vllm', kind: 'report', ok: false, source: 'gateway' }));
      insert.run(
        4000,
        JSON.stringify({ subject: 'spark2', kind: 'transition', ok: true, source: 'hardware' }),
      );
      insert.run(5000, JSON.stringify([1, 2]));
      insert.run(6000, JSON.stringify({ subject: 7, ok: true }));
      // 117 rebuilds the table (to allow `unknown`): the rows 116 filled come through it.
      expect(migrate(db, MIGRATIONS)).toEqual([116, 117]);
      expect(db.prepare('SELECT subject, ts, state FROM connectivity_changes ORDER BY id').all()).toEqual([
        { subject: 'spark2', ts: 1000, state: 'down' },
        { subject: 'spark2', ts: 4000, state: 'up' },
      ]);
      db.prepare(
        "INSERT INTO connectivity_changes (subject, ts, state) VALUES ('vllm', 7000, 'unknown')",
      ).run();
    } finally {
      db.close();
    }
  });
});
