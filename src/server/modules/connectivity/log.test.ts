import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectivityEvent, EventEnvelope, StatusResponse } from '../../../common/api.js';
import { EventBus } from '../../platform/events/bus.js';
import type { Db } from '../../platform/store/db.js';
import { caughtAppError as caught, closeTempStores, trackedTempDb } from '../../../../test/helpers/unit.js';
import { ConnectivityLog, GAP_MS, HEARTBEAT_MS } from './log.js';
import { subjectOf } from './validate.js';

const T0 = Date.parse('2026-06-20T10:00:00.000Z');

const svc = (ok: boolean, base_url: string | null = 'http://127.0.0.1:1') => ({
  ok,
  base_url,
  note: null,
  error: ok ? null : 'down',
});
const status = (vllm: boolean, parakeet: boolean, magpie: boolean | null): StatusResponse => ({
  vllm: { ...svc(vllm), state: vllm ? 'idle' : 'unreachable', model: null, models: [] },
  parakeet: svc(parakeet),
  magpie: magpie === null ? svc(false, null) : svc(magpie),
  swap: null,
  checked_at: null,
});

describe('ConnectivityLog', () => {
  let db: Db;
  let bus: EventBus;
  let t: number;
  let published: ConnectivityEvent[];
  let log: ConnectivityLog;
  const make = (keep?: number) =>
    new ConnectivityLog({ db, bus, now: () => t, subjects: ['spark1', 'spark2'], keep });

  beforeEach(() => {
    db = trackedTempDb('sc-conn-');
    bus = new EventBus();
    t = T0;
    published = [];
    bus.subscribe((e: EventEnvelope) => {
      if (e.type === 'connectivity') published.push(e.data);
    });
    log = make();
  });
  afterEach(() => {
    log.stop();
    closeTempStores();
  });

  it('lists every node and service as unknown before the first poll', () => {
    const s = log.snapshot();
    expect(Object.keys(s.subjects)).toEqual(['spark1', 'spark2', 'vllm', 'parakeet', 'magpie']);
    expect(s.subjects.spark1).toEqual({ state: 'unknown', last_change: null, since_s: null });
    expect(s.events).toEqual([]);
  });

  it('records transitions from node_state with how long the previous state lasted', () => {
    bus.publish('node_state', { node: 'spark1', ok: true, error: null });
    t += 90_000;
    bus.publish('node_state', { node: 'spark1', ok: true, error: null }); // no change: nothing logged
    t += 30_500;
    bus.publish('node_state', { node: 'spark1', ok: false, error: 'ssh timed out' });
    t += 5_000;
    bus.publish('node_state', { node: 'spark1', ok: true, error: null });
    const s = log.snapshot();
    expect(s.events.map((e) => [e.kind, e.ok, e.previous_state_s, e.error])).toEqual([
      ['transition', true, 5, null],
      ['transition', false, 120.5, 'ssh timed out'],
      ['transition', true, null, null],
    ]);
    expect(s.events[0]).toMatchObject({ subject: 'spark1', source: 'hardware', ms: null });
    t += 2_000;
    expect(log.snapshot().subjects.spark1).toEqual({
      state: 'up',
      last_change: new Date(T0 + 125_500).toISOString(),
      since_s: 2,
    });
    expect(published.map((e) => e.id)).toEqual(s.events.map((e) => e.id).reverse());
  });

  it('tracks services from status envelopes, idle vLLM ok, unconfigured services skipped', () => {
    bus.publish('status', status(true, true, null));
    t += 10_000;
    bus.publish('status', status(true, false, null));
    const s = log.snapshot();
    expect(s.subjects.vllm?.state).toBe('up');
    expect(s.subjects.parakeet).toMatchObject({ state: 'down', since_s: 0 });
    expect(s.subjects.magpie?.state).toBe('unknown');
    expect(s.events[0]).toMatchObject({
      subject: 'parakeet',
      ok: false,
      previous_state_s: 10,
      error: 'down',
    });
    expect(s.events).toHaveLength(3);
  });

  it('records no vLLM transition while its state is unknown or loading', () => {
    bus.publish('status', status(true, true, null));
    for (const state of ['unknown', 'loading'] as const) {
      t += 5_000;
      const s = status(true, true, null);
      bus.publish('status', { ...s, vllm: { ...s.vllm, ok: false, state, error: 'timed out' } });
    }
    expect(log.snapshot().subjects.vllm?.state).toBe('up');
    expect(log.snapshot().events.filter((e) => e.subject === 'vllm')).toHaveLength(1);
  });

  it('logs reports without changing the state', () => {
    bus.publish('node_state', { node: 'spark2', ok: true, error: null });
    t += 1000;
    const e = log.report({ subject: 'spark2', ok: false, source: 'open-webui', error: 'a\nb', ms: 12.5 });
    expect(e).toMatchObject({ kind: 'report', ok: false, source: 'open-webui', error: 'a b', ms: 12.5 });
    expect(e.previous_state_s).toBeNull();
    expect(log.snapshot().subjects.spark2?.state).toBe('up');
    // A report on something nobody polls is logged, but adds no subject.
    log.report({ subject: 'recap-relay', ok: true, source: 'deep-health' });
    expect(log.snapshot().subjects['recap-relay']).toBeUndefined();
    expect(log.events(1)[0]?.subject).toBe('recap-relay');
    expect(published.at(-1)?.subject).toBe('recap-relay');
  });

  it('refuses bad reports', () => {
    const ok = { subject: 'parakeet', ok: false, source: 'x' };
    expect(caught(() => log.report({ ...ok, subject: 'a b' })).code).toBe('INVALID_INPUT');
    expect(caught(() => log.report({ ...ok, error: 'e'.repeat(501) })).code).toBe('INVALID_INPUT');
    expect(caught(() => log.report({ ...ok, ms: -1 })).code).toBe('INVALID_INPUT');
    expect(caught(() => log.report({ ...ok, ok: 'no' as unknown as boolean })).code).toBe('INVALID_INPUT');
    expect(log.events()).toEqual([]);
  });

  it('reads the legacy "spark" field as "subject", in bodies and stored rows', () => {
    expect(subjectOf({ spark: 'spark1' })).toBe('spark1');
    expect(subjectOf({ service: 'vllm', subject: 'vllm' })).toBe('vllm');
    expect(caught(() => subjectOf({ service: 'vllm', spark: 'spark1' })).code).toBe('INVALID_INPUT');
    expect(caught(() => subjectOf({})).code).toBe('INVALID_INPUT');
    const insert = db.prepare('INSERT INTO connectivity_events (ts, data) VALUES (?, ?)');
    insert.run(T0 - 5000, JSON.stringify({ spark: 'spark2', state: 'down', up_seconds: 3600 }));
    insert.run(T0 - 4000, 'not json');
    insert.run(T0 - 3000, JSON.stringify({ spark: 'spark2', kind: 'report', ok: true, latency_ms: 7 }));
    const events = log.events();
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ subject: 'spark2', kind: 'report', ok: true, ms: 7 });
    expect(events[1]).toMatchObject({
      subject: 'spark2',
      kind: 'transition',
      ok: false,
      previous_state_s: 3600,
      ts: new Date(T0 - 5000).toISOString(),
    });
  });

  it('prunes the oldest events beyond the ones it keeps, and caps the limit', () => {
    log.stop();
    log = make(5);
    for (let i = 0; i < 12; i++) {
      t += 1000;
      log.report({ subject: 'magpie', ok: i % 2 === 0, source: 'test', ms: i });
    }
    const { n } = db.prepare('SELECT count(*) AS n FROM connectivity_events').get() as { n: number };
    expect(n).toBe(5);
    expect(log.events().map((e) => e.ms)).toEqual([11, 10, 9, 8, 7]);
    expect(log.events(2)).toHaveLength(2);
  });

  it('keeps state across a restart on the same database', () => {
    bus.publish('node_state', { node: 'spark1', ok: true, error: null });
    log.stop();
    t += 60_000;
    log = make();
    bus.publish('node_state', { node: 'spark1', ok: true, error: null });
    bus.publish('node_state', { node: 'spark1', ok: false, error: null });
    expect(log.events().map((e) => [e.ok, e.previous_state_s])).toEqual([
      [false, 60],
      [true, null],
    ]);
  });

  it('shows the time it was stopped as unknown, not as the state it last saw', () => {
    bus.publish('node_state', { node: 'spark1', ok: true, error: null });
    t += 30 * 60_000;
    log.stop(); // watching ends here
    const stoppedAt = t;
    t += 2 * 3_600_000; // two hours later it starts again
    log = make();
    expect(log.snapshot().subjects.spark1).toMatchObject({
      state: 'unknown',
      last_change: new Date(stoppedAt).toISOString(),
    });
    t += 5_000;
    bus.publish('node_state', { node: 'spark1', ok: true, error: null });
    // Back up, without claiming how long the unknown stretch lasted.
    expect(log.events().map((e) => [e.ok, e.previous_state_s])).toEqual([
      [true, null],
      [true, null],
    ]);
    const strip = log.availability(3, 15).subjects.spark1!;
    const shares = strip.buckets.map((b) => [b.up, b.down, b.unknown]);
    // 3 h in 15-minute buckets: unknown before the first poll, up for 30 min, unknown for 2 h.
    expect(shares.filter(([up]) => up === 1)).toHaveLength(2);
    expect(shares.filter(([, , unknown]) => unknown === 1).length).toBeGreaterThanOrEqual(7);
  });

  it('counts a control plane that died without stopping as unwatched from its last heartbeat', () => {
    bus.publish('node_state', { node: 'spark1', ok: false, error: 'down' });
    t += HEARTBEAT_MS;
    log.beat(); // the last heartbeat before it died (no stop)
    const lastBeat = t;
    const dead = log;
    t += 40 * 60_000;
    log = make();
    expect(log.snapshot().subjects.spark1).toMatchObject({
      state: 'unknown',
      last_change: new Date(lastBeat).toISOString(),
    });
    dead.stop(); // only its timer: the test is over
  });

  it('treats a restart quicker than GAP_MS as continuous watching', () => {
    bus.publish('node_state', { node: 'spark1', ok: true, error: null });
    log.stop();
    t += GAP_MS - 1_000;
    log = make();
    expect(log.snapshot().subjects.spark1!.state).toBe('up');
  });
});
