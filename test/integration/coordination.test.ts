// GPU lock and schedule visibility over real HTTP (SPEC §5), on a minimal app with a temp database.
import Fastify, { type FastifyInstance } from 'fastify';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody, EventEnvelope, LockResponse, ScheduleEntry } from '../../src/common/api.js';
import { GpuLockService } from '../../src/server/modules/coordination/gpu-lock.js';
import { coordinationRoutes } from '../../src/server/modules/coordination/routes.js';
import { ScheduleService } from '../../src/server/modules/coordination/schedules.js';
import { EventBus } from '../../src/server/platform/events/bus.js';
import { installErrorHandling } from '../../src/server/platform/http/error-handler.js';
import { openStore, type Db } from '../../src/server/platform/store/db.js';

describe('coordination API', () => {
  let app: FastifyInstance;
  let db: Db;
  let lock: GpuLockService;
  let base: string;
  const events: EventEnvelope[] = [];

  async function call<T>(method: string, path: string, body?: unknown, raw?: string) {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {},
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type'), body: JSON.parse(text) as T };
  }

  beforeAll(async () => {
    db = openStore(mkdtempSync(join(tmpdir(), 'sc-coord-')));
    const bus = new EventBus();
    bus.subscribe((e) => events.push(e));
    lock = new GpuLockService({ db, bus });
    const schedules = new ScheduleService({ db, bus });
    app = Fastify({ ajv: { customOptions: { coerceTypes: 'array', useDefaults: true } } });
    installErrorHandling(app);
    // Stand-ins for the swap module's parametric routes, registered first on purpose: Fastify's
    // static `/api/swap/lock` must still win over `/api/swap/:id` for every method.
    for (const method of ['GET', 'POST', 'DELETE'] as const)
      app.route({ method, url: '/api/swap/:id', handler: async () => ({ shadowed: true }) });
    await app.register(coordinationRoutes, { lock, schedules });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });

  afterAll(async () => {
    await app?.close();
    lock?.stop();
    db?.close();
  });

  it('is not shadowed by /api/swap/:id', async () => {
    expect((await call('GET', '/api/swap/abc')).body).toEqual({ shadowed: true });
    const r = await call<LockResponse>('GET', '/api/swap/lock');
    expect(r.body).toEqual({ locked: false, lock: null });
  });

  it('acquires, reports, refuses others, and releases through HTTP', async () => {
    const got = await call<LockResponse>('POST', '/api/swap/lock', {
      holder: 'nightly-batch',
      ttl_s: 600,
      reason: 'eval run',
    });
    expect(got.status).toBe(200);
    expect(got.body.lock).toMatchObject({ holder: 'nightly-batch', reason: 'eval run' });
    expect((await call<LockResponse>('GET', '/api/swap/lock')).body).toEqual(got.body);
    expect(events.at(-1)).toEqual({ type: 'lock', ts: expect.any(String), data: got.body });

    const refused = await call<ApiErrorBody>('POST', '/api/swap/lock', { holder: 'alice', ttl_s: 60 });
    expect(refused.status).toBe(409);
    expect(refused.type).toMatch(/application\/json/);
    expect(refused.body.error.code).toBe('LOCKED');
    expect(refused.body.error.message).toBe(
      `The GPU is locked by nightly-batch until ${got.body.lock!.expires_at} (eval run)`,
    );
    expect(refused.body.error.details).toEqual({ lock: got.body.lock });

    const renewed = await call<LockResponse>('POST', '/api/swap/lock', {
      holder: 'nightly-batch',
      ttl_s: 900,
    });
    expect(renewed.body.lock!.acquired_at).toBe(got.body.lock!.acquired_at);

    const wrong = await call<ApiErrorBody>('DELETE', '/api/swap/lock?holder=alice');
    expect(wrong.status).toBe(409);
    expect(wrong.body.error.message).toMatch(/held by nightly-batch/);
    const released = await call<LockResponse>('DELETE', '/api/swap/lock', { holder: 'nightly-batch' });
    expect(released).toMatchObject({ status: 200, body: { locked: false, lock: null } });

    await call('POST', '/api/swap/lock', { holder: 'nightly-batch', ttl_s: 60 });
    const forced = await call<LockResponse>('DELETE', '/api/swap/lock');
    expect(forced).toMatchObject({ status: 200, body: { locked: false, lock: null } });
  });

  it('expires on its TTL and announces it', async () => {
    await call('POST', '/api/swap/lock', { holder: 'short', ttl_s: 1 });
    expect((await call<LockResponse>('GET', '/api/swap/lock')).body.locked).toBe(true);
    const before = events.length;
    // The timer announces the expiry without anyone asking (polled: a loaded CI box is slow).
    const announced = () =>
      events.slice(before).some((e) => e.type === 'lock' && !e.data.locked && e.data.lock === null);
    const started = Date.now();
    while (!announced() && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 50));
    expect(announced()).toBe(true);
    expect((await call<LockResponse>('GET', '/api/swap/lock')).body).toEqual({ locked: false, lock: null });
    const other = await call<LockResponse>('POST', '/api/swap/lock', { holder: 'next', ttl_s: 5 });
    expect(other.status).toBe(200);
    await call('DELETE', '/api/swap/lock');
  });

  it('answers bad lock requests with 400 JSON and a clear message', async () => {
    const bodies: [unknown, RegExp][] = [
      [{}, /holder/],
      [{ holder: 'a/b', ttl_s: 60 }, /holder/],
      [{ holder: 'ok', ttl_s: 0 }, /ttl_s/],
      [{ holder: 'ok', ttl_s: 'soon' }, /ttl_s/],
      [{ holder: 'ok', ttl_s: 86_401 }, /ttl_s/],
      [{ holder: 'ok', ttl_s: 60, reason: 'r'.repeat(201) }, /reason/],
      [{ holder: 'ok', ttl_s: 60, force: true }, /Unknown field "force"/],
      [{ holder: '   ', ttl_s: 60 }, /holder/],
      [[1, 2], /object/],
    ];
    for (const [body, msg] of bodies) {
      const r = await call<ApiErrorBody>('POST', '/api/swap/lock', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.type).toMatch(/application\/json/);
      expect(r.body.error.message).toMatch(msg);
    }
    const broken = await call<ApiErrorBody>('POST', '/api/swap/lock', undefined, '{"holder":');
    expect(broken.status).toBe(400);
    expect(broken.body.error.message).toMatch(/not valid JSON/);
    // A typo in a release must not turn into a force release.
    await call('POST', '/api/swap/lock', { holder: 'keeper', ttl_s: 60 });
    const typo = await call<ApiErrorBody>('DELETE', '/api/swap/lock?holdr=keeper');
    expect(typo.status).toBe(400);
    expect(typo.body.error.message).toMatch(/Unknown query parameter "holdr"/);
    expect((await call('DELETE', '/api/swap/lock', { holdr: 'keeper' })).status).toBe(400);
    expect((await call('DELETE', '/api/swap/lock?holder=', undefined)).status).toBe(400);
    expect((await call('DELETE', '/api/swap/lock?holder=keeper', { holder: 'other' })).status).toBe(400);
    expect((await call<LockResponse>('GET', '/api/swap/lock')).body.lock?.holder).toBe('keeper');
    expect((await call('DELETE', '/api/swap/lock?holder=keeper')).status).toBe(200);
    expect((await call<ApiErrorBody>('GET', '/api/swap/lock')).status).toBe(200);
  });

  it('registers, lists and removes schedule entries', async () => {
    const created = await call<ScheduleEntry>('POST', '/api/schedules', {
      name: 'Daily Vol',
      schedule: '0 2 * * *',
      model_key: 'qwen3-32b',
      owner: 'cron@box',
      next_run: '2026-07-01T02:00:00Z',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Daily Vol',
      next_run: '2026-07-01T02:00:00.000Z',
      description: null,
    });
    const list = await call<{ schedules: ScheduleEntry[] }>('GET', '/api/schedules');
    expect(list.body.schedules).toEqual([created.body]);
    expect(events.at(-1)).toEqual({ type: 'schedules', ts: expect.any(String), data: [created.body] });

    const bad: [unknown, RegExp][] = [
      [{ schedule: 'daily' }, /name/],
      [{ name: 'x', schedule: 'daily', next_run: 'tomorrow' }, /next_run/],
      [{ name: 'x', schedule: 'daily', extra: 1 }, /Unknown field "extra"/],
      [{ name: 'x'.repeat(101), schedule: 'daily' }, /name/],
    ];
    for (const [body, msg] of bad) {
      const r = await call<ApiErrorBody>('POST', '/api/schedules', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.message).toMatch(msg);
    }

    const del = await call('DELETE', `/api/schedules/${created.body.id}`);
    expect(del).toMatchObject({ status: 200, body: { ok: true, id: created.body.id } });
    const again = await call<ApiErrorBody>('DELETE', `/api/schedules/${created.body.id}`);
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('NOT_FOUND');
    expect((await call<{ schedules: ScheduleEntry[] }>('GET', '/api/schedules')).body.schedules).toEqual([]);
  });
});
