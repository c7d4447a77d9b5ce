// The job endpoints through real HTTP: list, detail, cancel, error bodies and the SSE stream.
import Fastify, { type FastifyInstance } from 'fastify';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody, JobInfo, JobStreamEvent } from '../../src/common/api.js';
import { installErrorHandling } from '../../src/server/platform/http/error-handler.js';
import { jobRoutes } from '../../src/server/platform/jobs/routes.js';
import { JobRunner } from '../../src/server/platform/jobs/runner.js';
import type { JobContext } from '../../src/server/platform/jobs/types.js';
import { openStore, type Db } from '../../src/server/platform/store/db.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A job the test drives step by step through its context. */
function startDriven(runner: JobRunner, kind = 'demo') {
  let ctx!: JobContext;
  let finish!: () => void;
  const handle = runner.start({
    kind,
    locks: [],
    run: (c) => {
      ctx = c;
      return new Promise<void>((resolve, reject) => {
        finish = resolve;
        c.signal.addEventListener('abort', () => reject(new Error('aborted')));
      });
    },
  });
  return { handle, ctx: () => ctx, finish: () => finish() };
}

/** Reads an SSE stream to its end (the server closes it after `end`). */
async function readStream(res: Response, onEvent: (e: JobStreamEvent) => void = () => {}) {
  const events: JobStreamEvent[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += decoder.decode(value, { stream: true });
    let cut: number;
    while ((cut = buf.indexOf('\n\n')) >= 0) {
      const data = buf
        .slice(0, cut)
        .split('\n')
        .filter((l) => l.startsWith('data: '))
        .map((l) => l.slice(6))
        .join('\n');
      buf = buf.slice(cut + 2);
      if (!data) continue;
      const e = JSON.parse(data) as JobStreamEvent;
      events.push(e);
      onEvent(e);
    }
  }
  return events;
}

describe('jobs API', () => {
  let app: FastifyInstance;
  let db: Db;
  let runner: JobRunner;
  let url: string;

  beforeAll(async () => {
    db = openStore(mkdtempSync(join(tmpdir(), 'sc-jobs-it-')));
    runner = new JobRunner({ db });
    app = Fastify();
    installErrorHandling(app);
    await app.register(jobRoutes, { runner });
    url = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await app?.close();
    await runner?.shutdown(1000);
    db?.close();
  });

  it('lists, details and cancels jobs', async () => {
    const done = runner.start({ kind: 'build', locks: [], run: async (ctx) => ctx.log('built') });
    await done.done;
    const j = startDriven(runner, 'download');
    await sleep(5);
    j.ctx().setPhase('fetching');

    const list = (await (await fetch(`${url}/api/jobs?kind=download&limit=5`)).json()) as JobInfo[];
    expect(list.map((x) => x.id)).toEqual([j.handle.id]);
    const all = (await (await fetch(`${url}/api/jobs`)).json()) as JobInfo[];
    expect(all.map((x) => x.id)).toEqual([j.handle.id, done.id]);

    const detail = await (await fetch(`${url}/api/jobs/${done.id}`)).json();
    expect(detail).toMatchObject({ id: done.id, state: 'succeeded', log_tail: ['built'], log_dropped: 0 });

    const cancelled = await fetch(`${url}/api/jobs/${j.handle.id}`, { method: 'DELETE' });
    expect(cancelled.status).toBe(200);
    expect(await cancelled.json()).toMatchObject({ state: 'cancelled', phase: 'fetching' });

    const again = await fetch(`${url}/api/jobs/${j.handle.id}`, { method: 'DELETE' });
    expect(again.status).toBe(409);
    expect(((await again.json()) as ApiErrorBody).error.message).toContain('already finished');
  });

  it('answers JSON errors for unknown and malformed ids', async () => {
    for (const path of ['/api/jobs/nope', '/api/jobs/nope/stream']) {
      const res = await fetch(url + path);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      expect(((await res.json()) as ApiErrorBody).error.code).toBe('NOT_FOUND');
    }
    const del = await fetch(`${url}/api/jobs/nope`, { method: 'DELETE' });
    expect(del.status).toBe(404);
    for (const path of [
      '/api/jobs/bad%20id',
      '/api/jobs/bad.id/stream',
      '/api/jobs?limit=0',
      '/api/jobs?kind=a%20b',
    ]) {
      const res = await fetch(url + path);
      expect(res.status).toBe(400);
      expect(((await res.json()) as ApiErrorBody).error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('streams the history, then live lines, then end — no gaps, no duplicates', async () => {
    const j = startDriven(runner);
    await sleep(5);
    const ctx = j.ctx();
    for (let i = 1; i <= 3; i++) ctx.log(`line ${i}`);
    await sleep(150); // these are on disk now
    for (let i = 4; i <= 6; i++) ctx.log(`line ${i}`); // these are still in the write buffer

    const res = await fetch(`${url}/api/jobs/${j.handle.id}/stream`);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    let live = 6;
    const events = await readStream(res, (e) => {
      // Once the replay is over (the job snapshot arrives), the job carries on while we watch.
      if (e.type === 'job' && e.job.state === 'running' && live === 6) {
        for (live = 7; live <= 9; live++) ctx.log(`line ${live}`);
        ctx.setPhase('finishing');
        setTimeout(() => j.finish(), 20);
      }
    });
    const lines = events.filter((e) => e.type === 'log');
    expect(lines.map((e) => e.line)).toEqual(Array.from({ length: 9 }, (_, i) => `line ${i + 1}`));
    expect(lines.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(events.slice(0, 6).every((e) => e.type === 'log')).toBe(true);
    expect(events[6]).toMatchObject({ type: 'job', job: { state: 'running' } });
    expect(events.some((e) => e.type === 'job' && e.job.phase === 'finishing')).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'end', job: { state: 'succeeded', phase: 'finishing' } });

    // A finished job replays its whole log, the job and `end` at once.
    const replay = await readStream(await fetch(`${url}/api/jobs/${j.handle.id}/stream`));
    expect(replay.map((e) => e.type)).toEqual([...Array(9).fill('log'), 'job', 'end']);
  });
});
