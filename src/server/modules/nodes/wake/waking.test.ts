import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../platform/store/db.js';
import { hardwareMigrations } from '../migrations.js';
import { WakingStore, WakingTracker } from './waking.js';

describe('WakingTracker', () => {
  const clock = (start: number) => {
    let t = start;
    return { now: () => t, advance: (ms: number) => (t += ms) };
  };

  it('says waking until the timeout, then forgets the node', () => {
    const c = clock(1_000_000);
    const w = new WakingTracker(60_000, c.now);
    expect(w.get('spark2')).toBeNull();
    w.start('spark2');
    expect(w.get('spark2')).toEqual({ since: 1_000_000, until: 1_060_000 });
    expect(w.fields('spark2')).toEqual({
      waking_since: new Date(1_000_000).toISOString(),
      waking_until: new Date(1_060_000).toISOString(),
    });
    c.advance(59_999);
    expect(w.get('spark2')).not.toBeNull();
    c.advance(1);
    expect(w.get('spark2')).toBeNull();
    expect(w.fields('spark2')).toEqual({ waking_since: null, waking_until: null });
  });

  it('a second wake keeps the start and extends the end', () => {
    const c = clock(0);
    const w = new WakingTracker(60_000, c.now);
    w.start('spark2');
    c.advance(10_000);
    expect(w.start('spark2')).toEqual({ since: 0, until: 70_000 });
  });

  it('clear ends waking (the node answered) and reports whether it was waking', () => {
    const w = new WakingTracker();
    w.start('spark1');
    expect(w.clear('spark1')).toBe(true);
    expect(w.clear('spark1')).toBe(false);
    expect(w.get('spark1')).toBeNull();
  });

  it('nodes are independent', () => {
    const w = new WakingTracker();
    w.start('spark1');
    expect(w.get('spark2')).toBeNull();
  });

  it('keeps its state in SQLite: a tracker made after a restart knows the unexpired wakes only', () => {
    const db = new Database(':memory:');
    migrate(db, hardwareMigrations);
    const c = clock(1_000_000);
    const before = new WakingTracker(60_000, c.now, new WakingStore(db));
    before.start('spark2');
    c.advance(10_000);
    before.start('spark3');
    before.start('spark4');
    before.clear('spark4');
    c.advance(45_000);

    // The control plane restarts: spark2's wake has 5 s left, spark3's 55 s; spark4's was cleared.
    const after = new WakingTracker(60_000, c.now, new WakingStore(db));
    expect(after.nodes().sort()).toEqual(['spark2', 'spark3']);
    expect(after.get('spark2')).toEqual({ since: 1_000_000, until: 1_060_000 });
    c.advance(5_000);
    expect(after.nodes()).toEqual(['spark3']);
    // Forgotten on disk too, by running out as by an answer.
    expect(new WakingTracker(60_000, c.now, new WakingStore(db)).nodes()).toEqual(['spark3']);
    expect(after.clear('spark3')).toBe(true);
    expect(new WakingTracker(60_000, c.now, new WakingStore(db)).nodes()).toEqual([]);
    db.close();
  });
});
