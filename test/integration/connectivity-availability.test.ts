// GET /api/connectivity/availability over the simulated cluster (issue 14): a node that goes down
// shows in the strip's current bucket and stays there across a control-plane restart; a wake is
// logged as a report naming its senders; bad queries get a 400 JSON answer.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ApiErrorBody,
  ConnectivityAvailabilityResponse,
  ConnectivityResponse,
  HardwareSnapshot,
  WakeResponse,
} from '../../src/common/api.js';
import { getJson, waitFor, type TestCluster } from '../helpers/harness.js';
import { startWakeCluster, type WakeCluster } from '../helpers/wake.js';

let w: WakeCluster;
let c: TestCluster;

const availability = async (query = '') =>
  (await getJson<ConnectivityAvailabilityResponse>(`${c.url}/api/connectivity/availability${query}`)).body;
/**
 * The availability once `subject`'s running bucket shows some `share`: its shares are of the
 * bucket's elapsed time (up to 15 min) at 4 decimals, so a state entered a few milliseconds before
 * the request still reads 0.
 */
const availabilityShowing = (query: string, subject: string, share: 'up' | 'down') =>
  waitFor(async () => {
    const a = await availability(query);
    return (a.subjects[subject]?.buckets.at(-1)?.[share] ?? 0) > 0 ? a : null;
  }, 10_000);
const log = async () => (await getJson<ConnectivityResponse>(`${c.url}/api/connectivity`)).body;
const state = async (subject: string) => (await log()).subjects[subject]?.state;

beforeAll(async () => {
  w = await startWakeCluster();
  c = w.c;
  await waitFor(async () => (await state('spark1')) === 'up' && (await state('spark2')) === 'up', 30_000);
}, 60_000);

afterAll(async () => w?.close());

describe('GET /api/connectivity/availability', () => {
  it('answers 24 h of 15-minute buckets per subject, nodes first, up where polling saw up', async () => {
    const a = await availabilityShowing('', 'spark1', 'up');
    expect(a).toMatchObject({ hours: 24, bucket_min: 15 });
    expect(Object.keys(a.subjects).slice(0, 2)).toEqual(['spark1', 'spark2']);
    expect(Object.keys(a.subjects)).toEqual(expect.arrayContaining(['vllm', 'parakeet', 'magpie']));
    const spark1 = a.subjects.spark1!;
    expect(spark1.buckets).toHaveLength(96);
    expect(Date.parse(a.to) - Date.parse(a.from)).toBeLessThanOrEqual(24 * 3_600_000);
    // Monitoring began during the last bucket: unknown before, up since.
    expect(spark1.buckets[0]).toMatchObject({ up: 0, down: 0, unknown: 1 });
    expect(spark1.buckets.at(-1)?.up).toBeGreaterThan(0);
    expect(spark1).toMatchObject({ up_pct: 100, outages: 0 });
    for (const b of spark1.buckets) expect(b.up + b.down + b.unknown).toBeCloseTo(1, 3);
  });

  it('shows a node that went down in the current bucket, and keeps it across a restart', async () => {
    await c.sim.faults.nodeDown('spark2');
    await waitFor(async () => (await state('spark2')) === 'down', 30_000);
    const a = await availabilityShowing('?hours=1&bucket_min=5', 'spark2', 'down');
    expect(a.subjects.spark2?.buckets).toHaveLength(12);
    expect(a.subjects.spark2?.buckets.at(-1)?.down).toBeGreaterThan(0);
    expect(a.subjects.spark2).toMatchObject({ outages: 1 });
    expect(a.subjects.spark2?.up_pct).toBeLessThan(100);

    await c.restart();
    const after = await availability('?hours=1&bucket_min=5');
    expect(after.subjects.spark2?.outages).toBe(1);
    expect(after.subjects.spark2?.buckets.at(-1)?.down).toBeGreaterThan(0);
  });

  it('after a long stop, says nothing of how long the old state lasted: the time stopped was unwatched', async () => {
    await waitFor(async () => (await state('spark1')) === 'up', 30_000);
    const transitions = async () =>
      (await log()).events.filter((e) => e.subject === 'spark1' && e.kind === 'transition');
    const before = (await transitions()).length;
    // Stopped for three hours: the heartbeat it left says when it stopped watching.
    await c.restart(() => {
      const db = new Database(join(c.dataDir, 'spark-control.db'));
      db.prepare('UPDATE connectivity_heartbeat SET ts = ts - ?').run(3 * 3_600_000);
      db.close();
    });
    // The first poll after the start is a transition from unknown (no duration claimed), where a
    // plane that took its old `up` on trust would log nothing at all.
    const after = await waitFor(async () => {
      const t = await transitions();
      return t.length > before ? t[0] : null;
    }, 30_000);
    expect(after).toMatchObject({ ok: true, previous_state_s: null });
    expect(await state('spark1')).toBe('up');
  });

  it('logs a wake as a report on the node, naming the senders, without changing its state', async () => {
    expect(await state('spark2')).toBe('down');
    // After the restart: the peer must have been probed up again to send from the LAN.
    await waitFor(async () => {
      const hw = (await getJson<HardwareSnapshot>(`${c.url}/api/hardware`)).body;
      return hw.spark1?.ok === true && hw.spark2?.ok === false;
    }, 30_000);
    const r = await getJson<WakeResponse>(`${c.url}/api/spark/spark2/wake`, { method: 'POST' });
    expect(r.status).toBe(200);
    const report = (await log()).events.find((e) => e.source === 'wake');
    expect(report).toMatchObject({ subject: 'spark2', kind: 'report', ok: true });
    expect(report?.note).toMatch(
      /^Magic packet to ([0-9a-f]{2}:){5}[0-9a-f]{2} sent from spark1 over SSH, broadcast to 127\.0\.0\.1:\d+$/,
    );
    // Whether the node wakes is for polling to say.
    await waitFor(async () => (await state('spark2')) === 'up', 60_000);
    const up = (await log()).events.find((e) => e.kind === 'transition' && e.subject === 'spark2');
    expect(up).toMatchObject({ ok: true, source: 'hardware' });
    expect(up?.previous_state_s).toBeGreaterThan(0);
  });

  it('answers 400 JSON to bad queries', async () => {
    const bad = [
      '?hours=0',
      '?hours=169',
      '?hours=abc',
      '?hours=1.5',
      '?bucket_min=0',
      '?bucket_min=7', // 1440 minutes do not split into 7-minute buckets
      '?hours=168&bucket_min=5', // 2016 buckets
      '?bucket_min=1441',
      '?days=1',
    ];
    for (const q of bad) {
      const r = await getJson<ApiErrorBody>(`${c.url}/api/connectivity/availability${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.error.message, q).toEqual(expect.any(String));
    }
    const r = await getJson<ApiErrorBody>(`${c.url}/api/connectivity/availability?bucket_min=7`);
    expect(r.body.error.message).toMatch(/must divide the window/);
  });
});
