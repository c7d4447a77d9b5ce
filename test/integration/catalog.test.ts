// The model catalog API over real HTTP (SPEC §4): a minimal Fastify app with the real error
// handling, the real routes and service, and a temporary database.
import Fastify, { type FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody, CatalogModel, ModelsResponse } from '../../src/common/api.js';
import { catalogRoutes } from '../../src/server/modules/catalog/routes.js';
import { CatalogService } from '../../src/server/modules/catalog/service.js';
import { installErrorHandling } from '../../src/server/platform/http/error-handler.js';
import { openStore, type Db } from '../../src/server/platform/store/db.js';
import { getJson } from '../helpers/harness.js';

describe('model catalog API', () => {
  let dir: string;
  let db: Db;
  let app: FastifyInstance;
  let url: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sc-it-catalog-'));
    db = openStore(dir);
    const catalog = new CatalogService({ db });
    app = Fastify({ ajv: { customOptions: { coerceTypes: 'array', useDefaults: true } } });
    installErrorHandling(app);
    await app.register(catalogRoutes, {
      catalog,
      loaded: () => ({ key: null, model: 'Qwen/Qwen3-30B-A3B-Instruct-2507-FP8' }),
    });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app?.close();
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const send = <T>(method: string, path: string, body?: unknown) =>
    getJson<T>(`${url}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
  const models = async () => (await getJson<ModelsResponse>(`${url}/api/models`)).body;
  const model = async (key: string) => (await models()).models.find((m) => m.key === key);

  it('lists the bundled catalog with effective knobs and the loaded model', async () => {
    const res = await models();
    expect(res.loaded_model).toBe('Qwen/Qwen3-30B-A3B-Instruct-2507-FP8');
    expect(res.loaded_key).toBe('qwen3-30b-a3b');
    expect(res.models.length).toBeGreaterThanOrEqual(5);
    const q = res.models.find((m) => m.key === 'qwen3-30b-a3b')!;
    expect(q.custom).toBe(false);
    expect(q.effective_knobs).toMatchObject({ max_model_len: 65536, gpu_memory_utilization: 0.7 });
    expect(q.effective_args).toEqual(q.vllm_args);
  });

  it('adds a custom model by Hugging Face repo (201)', async () => {
    const r = await send<CatalogModel>('POST', '/api/models', {
      key: 'my-repo-model',
      display_name: 'My repo model',
      repo: 'example-org/Example-8B-FP8',
      size_gb: 9,
      mode: 'solo',
      vllm_args: ['--max-model-len=8192'],
      capabilities: ['tools'],
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      key: 'my-repo-model',
      custom: true,
      served_model_name: 'example-org/Example-8B-FP8',
    });
    expect((await model('my-repo-model'))?.effective_knobs.max_model_len).toBe(8192);
  });

  it.each([
    ['home-relative', 'my-finetune', '~/models/my-finetune'],
    ['absolute', 'data-x', '/data/models/x'],
  ])('adds a custom model by %s local path', async (_kind, key, path) => {
    const r = await send<CatalogModel>('POST', '/api/models', {
      key,
      display_name: `Local ${key}`,
      path,
      size_gb: 16,
      mode: 'solo',
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ path, repo: null, served_model_name: path });
    expect(r.body.effective_args).toEqual(['--served-model-name', path]);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['a hostile repo', { repo: 'a/b;rm -rf ~' }, /repo must look like/],
    ['a path with ..', { path: '/data/../../etc' }, /'\.\.' segment/],
    [
      'an arg with a newline',
      { repo: 'org/x', vllm_args: ['--ok', '--x\nreboot'] },
      /vllm_args\[1\] contains U\+000A \(a control character\)/,
    ],
    [
      'the C1 reproduction of issue 7',
      {
        repo: 'org/x',
        mode: 'cluster',
        vllm_args: ['\u0085 --distributed-executor-backend=z', '\u0085;touch canary;#'],
      },
      /vllm_args\[0\] contains U\+0085 \(a control character\).*vllm_args\[1\] contains U\+0085/,
    ],
    ['an invisible format character', { repo: 'org/x', vllm_args: ['--x', 'a\u202eb'] }, /U\+202E/],
    ['a reserved --config', { repo: 'org/x', vllm_args: ['--config', 'x.yaml'] }, /must not set --config/],
    ['an arg over 1 KiB', { repo: 'org/x', vllm_args: ['--x', 'y'.repeat(1025)] }, /1024 bytes/],
    ['an arg that moves the port', { repo: 'org/x', vllm_args: ['--port', '1'] }, /--port/],
    ['an unknown field', { repo: 'org/x', colour: 'blue' }, /additional properties \(colour\)/],
  ])('refuses %s with a 400 JSON error', async (_name, fields, message) => {
    const r = await send<ApiErrorBody>('POST', '/api/models', {
      key: 'hostile',
      display_name: 'Hostile',
      size_gb: 1,
      mode: 'solo',
      ...fields,
    });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('INVALID_INPUT');
    expect(r.body.error.message).toMatch(message);
    expect(await model('hostile')).toBeUndefined();
  });

  it('refuses more than 64 args with a 400 JSON error naming the limit', async () => {
    const r = await send<ApiErrorBody>('POST', '/api/models', {
      key: 'many',
      display_name: 'Many',
      repo: 'org/x',
      size_gb: 1,
      mode: 'solo',
      vllm_args: Array(65).fill('--x'),
    });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(/vllm_args.*64/);
    expect(await model('many')).toBeUndefined();
  });

  it('refuses a malformed body and a duplicate key', async () => {
    const bad = await send<ApiErrorBody>('POST', '/api/models', { key: 'Bad Key', display_name: 'x' });
    expect(bad.status).toBe(400);
    const dup = await send<ApiErrorBody>('POST', '/api/models', {
      key: 'qwen3-30b-a3b',
      display_name: 'Dup',
      repo: 'org/dup',
      size_gb: 1,
      mode: 'solo',
    });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('CONFLICT');
  });

  it('deletes custom models but not bundled ones', async () => {
    const bundled = await send<ApiErrorBody>('DELETE', '/api/models/qwen3-30b-a3b');
    expect(bundled.status).toBeGreaterThanOrEqual(400);
    expect(bundled.status).toBeLessThan(500);
    expect(bundled.body.error.message).toMatch(/bundled/);
    const ok = await send<{ ok: boolean }>('DELETE', '/api/models/data-x');
    expect(ok).toEqual({ status: 200, body: { ok: true, key: 'data-x' } });
    expect(await model('data-x')).toBeUndefined();
    expect((await send('DELETE', '/api/models/data-x')).status).toBe(404);
  });

  it('changes knobs, which change the effective args', async () => {
    const r = await send<CatalogModel>('PUT', '/api/models/qwen3-30b-a3b/knobs', {
      max_model_len: 32768,
      fp8_kv_cache: true,
      fastsafetensors: false,
    });
    expect(r.status).toBe(200);
    expect(r.body.knobs).toEqual({ max_model_len: 32768, fp8_kv_cache: true, fastsafetensors: false });
    expect(r.body.effective_args).not.toContain('--max-model-len=65536');
    expect(r.body.effective_args).not.toContain('--load-format=fastsafetensors');
    expect(r.body.effective_args.slice(-4)).toEqual(['--max-model-len', '32768', '--kv-cache-dtype', 'fp8']);
    expect((await model('qwen3-30b-a3b'))?.effective_knobs).toMatchObject({
      max_model_len: 32768,
      fp8_kv_cache: true,
      fastsafetensors: false,
    });
  });

  it.each<[string, unknown]>([
    ['utilization above 1', { gpu_memory_utilization: 1.5 }],
    ['utilization 0', { gpu_memory_utilization: 0 }],
    ['a negative length', { max_model_len: -1 }],
    ['a zero length', { max_model_len: 0 }],
    ['a length as a word', { max_model_len: 'lots' }],
    ['a fractional length', { max_model_len: 1000.5 }],
    ['an unknown knob', { temperature: 0.2 }],
  ])('refuses knobs with %s (400)', async (_name, body) => {
    const r = await send<ApiErrorBody>('PUT', '/api/models/qwen3-30b-a3b/knobs', body);
    expect(r.status).toBe(400);
    expect(r.body.error.message).toBeTruthy();
  });

  it('answers 404 for knobs of an unknown model', async () => {
    expect((await send('PUT', '/api/models/nope/knobs', { prefix_caching: true })).status).toBe(404);
  });
});
