// The routes over Fastify's inject with PIPE's real upload reader and a temp store; the diarizer,
// the GPU cap and the results store are the seams replaced here (integration tests use the real ones).
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DiarizeChunkResponse } from '../../../../common/audio-api.js';
import { closeTempStores, trackedTempDb } from '../../../../../test/helpers/unit.js';
import { installErrorHandling } from '../../../platform/http/error-handler.js';
import { AppError } from '../../../platform/http/errors.js';
import { ParakeetError } from '../parakeet-client.js';
import { receiveAudioUpload } from '../upload.js';
import { speakerRoutes } from './routes.js';
import { SpeakerStore } from './store.js';

const vec = (seed: number) => Array.from({ length: 192 }, (_, i) => Math.sin(seed + i * 0.37) + 0.02 * seed);
const oneVoice = (seconds: number): DiarizeChunkResponse => ({
  duration: seconds,
  segments: seconds > 0 ? [{ speaker: 'Speaker_0', start_s: 0, end_s: seconds, confidence: 0.9 }] : [],
  speakers_detected: seconds > 0 ? ['Speaker_0'] : [],
  fingerprints: seconds > 0 ? { Speaker_0: vec(1) } : {},
  models: { diarization: 'sortformer', embedding: 'titanet' },
});

function multipart(fields: Record<string, string>, file?: Buffer) {
  const boundary = 'spkboundary42';
  const parts = Object.entries(fields).map(
    ([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
  );
  const chunks: Buffer[] = parts.map((p) => Buffer.from(p));
  if (file)
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="s.wav"\r\nContent-Type: audio/wav\r\n\r\n`,
      ),
      file,
      Buffer.from('\r\n'),
    );
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

describe('speaker routes', () => {
  let app: FastifyInstance;
  let store: SpeakerStore;
  let answer: () => Promise<DiarizeChunkResponse>;
  let uploadDir: string;
  beforeEach(async () => {
    store = new SpeakerStore(trackedTempDb('sc-spk-routes-'));
    answer = async () => oneVoice(10);
    uploadDir = mkdtempSync(join(tmpdir(), 'sc-spk-up-'));
    app = Fastify({ logger: false });
    installErrorHandling(app);
    await speakerRoutes(app, {
      store,
      client: { diarizeChunk: () => answer() },
      gpu: { tryAcquire: () => () => undefined },
      upload: receiveAudioUpload,
      results: {
        centroid: (id, speaker) => (id === 'r1' && speaker === 'Speaker_0' ? vec(5) : null),
        forgetSpeaker: () => 0,
      },
      maxUploadBytes: 64 * 1024,
      uploadDir,
      matchThreshold: 0.6,
    });
    await app.ready();
  });
  afterEach(async () => {
    await app.close();
    closeTempStores();
  });

  const enroll = (fields: Record<string, string>, file = Buffer.alloc(2000, 1)) =>
    app.inject({ method: 'POST', url: '/api/audio/speakers', ...multipart(fields, file) });

  it('enrolls from an upload, removes the temp file, and never answers with a fingerprint', async () => {
    const r = await enroll({ name: ' Alice ' });
    expect(r.statusCode).toBe(201);
    const body = r.json<Record<string, unknown>>();
    expect(body).toMatchObject({
      name: 'Alice',
      samples: 1,
      sample: { source: 'upload', speech_s: 10, voices: 1 },
    });
    expect(Object.keys(body).sort()).toEqual(['created_at', 'id', 'name', 'sample', 'samples', 'updated_at']);
    expect(readdirSync(uploadDir)).toEqual([]);
    const list = await app.inject({ method: 'GET', url: '/api/audio/speakers' });
    expect(list.json()).toEqual({
      speakers: [expect.objectContaining({ name: 'Alice' })],
      match_threshold: 0.6,
    });
    expect(list.body).not.toMatch(/(-?\d\.\d+,){5}/);
  });

  it('enrolls from a past result by JSON and 404s an unknown one', async () => {
    const ok = await app.inject({
      method: 'POST',
      url: '/api/audio/speakers',
      payload: { name: 'Bob', result_id: 'r1', speaker: 'Speaker_0' },
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ name: 'Bob', sample: { source: 'result' } });
    const unknown = await app.inject({
      method: 'POST',
      url: `/api/audio/speakers/${ok.json<{ id: string }>().id}/samples`,
      payload: { result_id: 'r2', speaker: 'Speaker_0' },
    });
    expect(unknown.statusCode).toBe(404);
  });

  it.each([
    ['no name in the form', () => enroll({}), 400, /needs a `name`/],
    ['a blank name', () => enroll({ name: '  ' }), 400, /empty/],
    ['a name with a newline', () => enroll({ name: 'A\nB' }), 400, /U\+000A/],
    ['no file', () => enroll({ name: 'Alice' }, Buffer.alloc(0)), 400, /empty/],
  ])('answers %s with a clear 4xx and leaves no temp file', async (_n, send, status, why) => {
    const r = await send();
    expect(r.statusCode).toBe(status);
    expect(r.json<{ error: { message: string } }>().error.message).toMatch(why);
    expect(readdirSync(uploadDir)).toEqual([]);
    expect(store.list()).toEqual([]);
  });

  it.each([
    ['an array', [1, 2], /multipart\/form-data.*or JSON/],
    ['no result_id', { name: 'Bob', speaker: 'Speaker_0' }, /`result_id` is missing/],
    ['a numeric speaker', { name: 'Bob', result_id: 'r1', speaker: 3 }, /`speaker` must be/],
    [
      'a control character in result_id',
      { name: 'Bob', result_id: 'r\u0007', speaker: 'S' },
      /`result_id` must be/,
    ],
    ['a bad name', { name: '', result_id: 'r1', speaker: 'Speaker_0' }, /`name` is empty/],
  ])('refuses a JSON enrollment with %s (400)', async (_n, payload, why) => {
    const r = await app.inject({ method: 'POST', url: '/api/audio/speakers', payload });
    expect(r.statusCode).toBe(400);
    expect(r.json<{ error: { message: string } }>().error.message).toMatch(why);
  });

  it('answers 422 for a sample without speech', async () => {
    answer = async () => oneVoice(0);
    const r = await enroll({ name: 'Alice' });
    expect(r.statusCode).toBe(422);
    expect(r.json()).toMatchObject({
      error: { code: 'UNPROCESSABLE', message: expect.stringMatching(/No speech/) },
    });
  });

  it('answers an upstream 500 with 503 + Retry-After 60 and an unreachable diarizer with 502', async () => {
    answer = async () => {
      throw new ParakeetError(500, 'CUBLAS_STATUS_EXECUTION_FAILED', 'diarize-chunk');
    };
    const wedge = await enroll({ name: 'Alice' });
    expect([wedge.statusCode, wedge.headers['retry-after']]).toEqual([503, '60']);
    expect(wedge.body).not.toMatch(/CUBLAS/);
    answer = async () => {
      throw new ParakeetError(null, 'ECONNREFUSED', 'diarize-chunk');
    };
    expect((await enroll({ name: 'Alice' })).statusCode).toBe(502);
    expect(readdirSync(uploadDir)).toEqual([]);
  });

  it('renames, refuses duplicates and unknown ids, and deletes', async () => {
    const a = (await enroll({ name: 'Alice' })).json<{ id: string }>();
    const b = (await enroll({ name: 'Bob' })).json<{ id: string }>();
    const patch = (id: string, payload: unknown) =>
      app.inject({ method: 'PATCH', url: `/api/audio/speakers/${id}`, payload: payload as object });
    expect((await enroll({ name: 'alice' })).statusCode).toBe(409);
    expect((await patch(b.id, { name: 'ALICE' })).statusCode).toBe(409);
    expect((await patch(b.id, { name: 'Speaker_3' })).statusCode).toBe(400);
    expect((await patch(b.id, { nom: 'Carol' })).statusCode).toBe(400);
    expect((await patch('spk_0000000000000000', { name: 'Carol' })).statusCode).toBe(404);
    expect((await patch(b.id, { name: 'Carol' })).json()).toMatchObject({ id: b.id, name: 'Carol' });
    expect((await app.inject({ method: 'DELETE', url: `/api/audio/speakers/${a.id}` })).statusCode).toBe(204);
    expect((await app.inject({ method: 'DELETE', url: `/api/audio/speakers/${a.id}` })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: `/api/audio/speakers/${a.id}` })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: `/api/audio/speakers/x` })).statusCode).toBe(404);
    const samples = await app.inject({
      method: 'POST',
      url: `/api/audio/speakers/${b.id}/samples`,
      ...multipart({}, Buffer.alloc(2000, 2)),
    });
    expect(samples.json()).toMatchObject({ name: 'Carol', samples: 2 });
  });

  it('passes the GPU cap refusal through untouched', async () => {
    const busy = Fastify({ logger: false });
    installErrorHandling(busy);
    await speakerRoutes(busy, {
      store,
      client: { diarizeChunk: () => answer() },
      gpu: {
        tryAcquire: () => {
          throw new AppError('SERVICE_UNAVAILABLE', 'The speech GPU is busy', {
            headers: { 'retry-after': '10' },
          });
        },
      },
      upload: receiveAudioUpload,
      results: { centroid: () => null, forgetSpeaker: () => 0 },
      maxUploadBytes: 64 * 1024,
      uploadDir,
      matchThreshold: 0.6,
    });
    const r = await busy.inject({
      method: 'POST',
      url: '/api/audio/speakers',
      ...multipart({ name: 'A' }, Buffer.alloc(100, 1)),
    });
    expect([r.statusCode, r.headers['retry-after']]).toEqual([503, '10']);
    expect(readdirSync(uploadDir)).toEqual([]);
    await busy.close();
  });
});
