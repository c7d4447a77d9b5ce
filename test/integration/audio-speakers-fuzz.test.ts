// The speaker library's routes under the seeded route fuzzer (the whole-API fuzz.test.ts covers
// them too, but 2,500 requests over every route rarely reach these five): hostile paths, bodies
// and content types must each get a 4xx in our error shape, never a 5xx, and leave neither a temp
// file nor a half-made speaker behind.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzRequests, routesOf, type FuzzRequest } from '../helpers/route-fuzz.js';
import { startTestCluster, type TestCluster } from '../helpers/harness.js';

const SEED = Number(process.env.FUZZ_SEED ?? 0x5b0c);
const COUNT = 400;
/** At most the GPU cap in flight, so a 503 can only mean a bug. */
const CONCURRENCY = 2;

async function send(base: string, r: FuzzRequest): Promise<{ status: number; type: string; body: string }> {
  try {
    const res = await fetch(`${base}${r.url}`, {
      method: r.method,
      headers: r.headers,
      body: r.body,
      signal: AbortSignal.timeout(20_000),
    });
    return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
  } catch (e) {
    return { status: 0, type: '', body: (e as Error).message };
  }
}

describe('speaker library routes under the fuzzer', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await startTestCluster({ startSamplers: false });
  });
  afterAll(async () => c?.close());

  it(`answers ${COUNT} hostile requests with 2xx/4xx in our shape and leaves nothing half done`, async () => {
    const routes = routesOf(c.app.swagger() as Parameters<typeof routesOf>[0]).filter((r) =>
      r.path.startsWith('/api/audio/speakers'),
    );
    expect(routes.map((r) => `${r.method} ${r.path}`).sort()).toEqual([
      'DELETE /api/audio/speakers/{id}',
      'GET /api/audio/speakers',
      'GET /api/audio/speakers/{id}',
      'PATCH /api/audio/speakers/{id}',
      'POST /api/audio/speakers',
      'POST /api/audio/speakers/{id}/samples',
    ]);
    const requests = fuzzRequests(routes, COUNT, SEED, {
      'POST /api/audio/speakers': { name: 'Fuzz', result_id: 'r', speaker: 'Speaker_0' },
      'PATCH /api/audio/speakers/{id}': { name: 'Fuzzed' },
    });
    const failures = new Map<string, string>();
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const r = requests[next++]!;
        const a = await send(c.url, r);
        statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
        let wrong: string | null = null;
        if (a.status === 0 || a.status >= 500) wrong = `HTTP ${a.status}: ${a.body.slice(0, 200)}`;
        else if (a.status >= 400) {
          const err = (JSON.parse(a.body || '{}') as { error?: { code?: unknown; message?: unknown } }).error;
          if (typeof err?.code !== 'string' || typeof err.message !== 'string')
            wrong = `shape: ${a.body.slice(0, 200)}`;
        }
        if (wrong)
          failures.set(
            `${r.method} ${r.route.path} ${wrong.slice(0, 40)}`,
            `${r.method} ${r.url} → ${wrong}`,
          );
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect([...failures.values()].slice(0, 20)).toEqual([]);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    // Every upload's temp directory is gone, and every speaker row is whole.
    expect(readdirSync(join(c.dataDir, 'audio-tmp'))).toEqual([]);
    const orphans = c.db
      .prepare(
        'SELECT COUNT(*) FROM audio_speaker_samples WHERE speaker_id NOT IN (SELECT id FROM audio_speakers)',
      )
      .pluck()
      .get();
    expect(orphans).toBe(0);
    const sampleless = c.db
      .prepare(
        'SELECT COUNT(*) FROM audio_speakers WHERE id NOT IN (SELECT speaker_id FROM audio_speaker_samples)',
      )
      .pluck()
      .get();
    expect(sampleless).toBe(0);
  });
});
