import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ScheduleEntry } from '../../../common/api.js';
import { EventBus } from '../../platform/events/bus.js';
import { openStore, type Db } from '../../platform/store/db.js';
import { MAX_SCHEDULES, ScheduleService, type ScheduleInput } from './schedules.js';
import { caughtAppError as caught } from '../../../../test/helpers/unit.js';

describe('ScheduleService', () => {
  let db: Db;
  let bus: EventBus;
  let events: ScheduleEntry[][];
  let svc: ScheduleService;
  let t: number;

  beforeEach(() => {
    db = openStore(mkdtempSync(join(tmpdir(), 'sc-sched-')));
    bus = new EventBus();
    events = [];
    bus.subscribe((e) => {
      if (e.type === 'schedules') events.push(e.data);
    });
    t = Date.parse('2026-06-20T10:00:00Z');
    svc = new ScheduleService({ db, bus, now: () => t++ });
  });
  afterEach(() => db.close());

  it('adds, lists and removes entries, announcing each change', () => {
    const a = svc.add({
      name: 'Daily Vol',
      schedule: '0 2 * * *',
      model_key: 'qwen3-32b',
      owner: 'cron@box',
      description: 'Builds the daily report.\nSwaps to Qwen first.',
      next_run: '2026-06-21T02:00:00+02:00',
    });
    expect(a).toEqual({
      id: expect.any(String),
      name: 'Daily Vol',
      schedule: '0 2 * * *',
      model_key: 'qwen3-32b',
      owner: 'cron@box',
      description: 'Builds the daily report.\nSwaps to Qwen first.',
      next_run: '2026-06-21T00:00:00.000Z',
      created_at: '2026-06-20T10:00:00.000Z',
    });
    const b = svc.add({ name: 'warm-up', schedule: 'daily 06:00' });
    expect(b).toMatchObject({ model_key: null, owner: null, description: null, next_run: null });
    expect(svc.list().map((e) => e.id)).toEqual([a.id, b.id]);
    svc.remove(a.id);
    expect(svc.list()).toEqual([b]);
    expect(events.map((l) => l.length)).toEqual([1, 2, 1]);
    expect(bus.currentState()).toEqual([{ type: 'schedules', ts: expect.any(String), data: [b] }]);
  });

  it('replaces the entry when the same owner registers the same name again', () => {
    const first = svc.add({ name: 'nightly', schedule: '0 1 * * *', owner: 'sched' });
    const again = svc.add({ name: 'nightly', schedule: '0 3 * * *', owner: 'sched' });
    expect(again.id).toBe(first.id);
    expect(again.created_at).toBe(first.created_at);
    expect(svc.list()).toEqual([again]);
    expect(again.schedule).toBe('0 3 * * *');
    // A different owner (or none) is a different entry.
    svc.add({ name: 'nightly', schedule: '0 1 * * *' });
    svc.add({ name: 'nightly', schedule: '0 1 * * *', owner: 'other' });
    expect(svc.list()).toHaveLength(3);
  });

  it('answers 404 for an unknown id', () => {
    const e = caught(() => svc.remove('nope'));
    expect(e.status).toBe(404);
    expect(e.message).toMatch(/nope/);
  });

  it('refuses more than the maximum number of entries with 409', () => {
    for (let i = 0; i < MAX_SCHEDULES; i++) svc.add({ name: `job ${i}`, schedule: 'hourly' });
    const e = caught(() => svc.add({ name: 'one too many', schedule: 'hourly' }));
    expect(e.status).toBe(409);
    expect(e.message).toMatch(/100/);
    // Re-registering an existing entry still works at the cap.
    expect(svc.add({ name: 'job 0', schedule: 'daily' }).schedule).toBe('daily');
  });

  it('rejects bad input with 400 and a message naming the field', () => {
    const bad: [Partial<ScheduleInput>, RegExp][] = [
      [{ schedule: 'daily' }, /name/],
      [{ name: '  ', schedule: 'daily' }, /name/],
      [{ name: 'x'.repeat(101), schedule: 'daily' }, /name/],
      [{ name: 'ok' }, /schedule/],
      [{ name: 'ok', schedule: 's'.repeat(201) }, /schedule/],
      [{ name: 'ok', schedule: 'daily', owner: 'o'.repeat(65) }, /owner/],
      [{ name: 'ok', schedule: 'daily', model_key: 'k'.repeat(129) }, /model_key/],
      [{ name: 'ok', schedule: 'daily', description: 'd'.repeat(501) }, /description/],
      [{ name: 'bad\u0007bell', schedule: 'daily' }, /control/],
      [{ name: 'ok', schedule: 'daily', next_run: 'tomorrow' }, /next_run/],
      [{ name: 'ok', schedule: 'daily', next_run: '2026-13-45T00:00:00Z' }, /next_run/],
      [{ name: 'ok', schedule: 'daily', next_run: '1' }, /next_run/],
    ];
    for (const [input, msg] of bad) {
      const e = caught(() => svc.add(input as ScheduleInput));
      expect(e.status, JSON.stringify(input)).toBe(400);
      expect(e.message).toMatch(msg);
    }
    expect(svc.list()).toEqual([]);
    expect(events).toEqual([]);
  });
});
