import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../../common/api.js';
import { EventBus } from '../../platform/events/bus.js';
import { AppError } from '../../platform/http/errors.js';
import { migrate, type Db } from '../../platform/store/db.js';
import { catalogMigrations } from './migrations.js';
import { CatalogFileError } from './catalog-file.js';
import { extractKnobs } from './knobs.js';
import { CatalogService, MAX_CUSTOM_MODELS } from './service.js';

const BUNDLED = `
models:
  base:
    display_name: Base
    repo: org/base-FP8
    size_gb: 30
    mode: solo
    vllm_args: [--max-model-len=32768, --gpu-memory-utilization=0.7, --trust-remote-code]
    capabilities: [tools]
    expected_ready_seconds: 200
`;

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return e instanceof AppError ? `${e.status} ${e.code}` : `not an AppError: ${String(e)}`;
  }
  throw new Error('expected an AppError');
}

describe('CatalogService', () => {
  let dir: string;
  let db: Db;
  let events: EventEnvelope[];
  let catalog: CatalogService;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sc-catalog-'));
    writeFileSync(join(dir, 'models.yaml'), BUNDLED);
    db = new Database(':memory:');
    migrate(db, catalogMigrations);
    const bus = new EventBus();
    events = [];
    bus.subscribe((e) => events.push(e));
    catalog = new CatalogService({ db, bundledPath: join(dir, 'models.yaml'), bus });
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists bundled models with knobs read from their args and the default enrichment', () => {
    const [m] = catalog.list();
    expect(m).toMatchObject({
      key: 'base',
      custom: false,
      knobs: {},
      effective_knobs: { max_model_len: 32768, gpu_memory_utilization: 0.7, prefix_caching: false },
      effective_args: ['--max-model-len=32768', '--gpu-memory-utilization=0.7', '--trust-remote-code'],
      served_model_name: 'org/base-FP8',
      loaded: false,
      expected_seconds: 200,
      warnings: [],
    });
    expect(codeOf(() => catalog.get('nope'))).toBe('404 NOT_FOUND');
  });

  it('adds custom models by repo and by local path, and publishes a change each time', () => {
    const byRepo = catalog.add({
      key: 'mine',
      display_name: 'Mine',
      repo: 'me/model-NVFP4',
      size_gb: 12,
      mode: 'solo',
    });
    expect(byRepo).toMatchObject({
      custom: true,
      repo: 'me/model-NVFP4',
      path: null,
      expected_ready_seconds: 108,
    });
    const byPath = catalog.add({
      key: 'ft',
      display_name: 'Fine-tune',
      path: '~/models/my-finetune/',
      size_gb: 8,
      mode: 'solo',
      vllm_args: ['--max-model-len', '4096'],
    });
    expect(byPath.path).toBe('~/models/my-finetune');
    expect(byPath.served_model_name).toBe('~/models/my-finetune');
    expect(byPath.effective_args).toEqual([
      '--max-model-len',
      '4096',
      '--served-model-name',
      '~/models/my-finetune',
    ]);
    expect(catalog.list().map((m) => m.key)).toEqual(['base', 'mine', 'ft']);
    expect(events.map((e) => e.type)).toEqual(['models', 'models']);
    expect(events[0]).toMatchObject({ data: { changed: true } });
  });

  it('refuses hostile input with a 400 before checking for duplicates, and duplicates with a 409', () => {
    const good = { key: 'base', display_name: 'X', repo: 'org/x', size_gb: 1, mode: 'solo' };
    expect(codeOf(() => catalog.add({ ...good, repo: 'a/b;rm -rf ~' }))).toBe('400 INVALID_INPUT');
    expect(codeOf(() => catalog.add({ ...good, repo: undefined, path: '/data/../etc' }))).toBe(
      '400 INVALID_INPUT',
    );
    expect(codeOf(() => catalog.add({ ...good, vllm_args: ['--x\nreboot'] }))).toBe('400 INVALID_INPUT');
    expect(codeOf(() => catalog.add({ ...good, key: 'Has Space' }))).toBe('400 INVALID_INPUT');
    expect(codeOf(() => catalog.add({ ...good, path: '/data/x' }))).toBe('400 INVALID_INPUT');
    expect(codeOf(() => catalog.add('nope'))).toBe('400 INVALID_INPUT');
    expect(codeOf(() => catalog.add(good))).toBe('409 CONFLICT');
    catalog.add({ ...good, key: 'twice' });
    expect(codeOf(() => catalog.add({ ...good, key: 'twice' }))).toBe('409 CONFLICT');
  });

  it('bounds the custom catalog: 200 entries, 64 args, 1 KiB per arg, refused before storing', () => {
    const entry = (key: string, over: Record<string, unknown> = {}) => ({
      key,
      display_name: key,
      repo: 'org/x',
      size_gb: 1,
      mode: 'solo',
      ...over,
    });
    expect(codeOf(() => catalog.add(entry('many', { vllm_args: Array(65).fill('--x') })))).toBe(
      '400 INVALID_INPUT',
    );
    expect(codeOf(() => catalog.add(entry('long', { vllm_args: ['--x', 'y'.repeat(1025)] })))).toBe(
      '400 INVALID_INPUT',
    );
    catalog.add(entry('at-limit', { vllm_args: Array(64).fill('--x'), description: 'd'.repeat(2000) }));
    for (let i = 1; i < MAX_CUSTOM_MODELS; i++) catalog.add(entry(`m${i}`));
    let message = '';
    try {
      catalog.add(entry('one-more'));
    } catch (e) {
      message = (e as AppError).message;
    }
    expect(message).toMatch(/custom catalog is full \(200 models\)/);
    expect(catalog.list()).toHaveLength(1 + MAX_CUSTOM_MODELS);
    catalog.remove('m1');
    catalog.add(entry('one-more'));
  });

  it('names the argument and code point of a refused character', () => {
    const add = () =>
      catalog.add({
        key: 'c1',
        display_name: 'C1',
        repo: 'org/x',
        size_gb: 1,
        mode: 'cluster',
        vllm_args: ['\u0085 --distributed-executor-backend=z', '\u0085;touch canary;#'],
      });
    expect(add).toThrow(/model\.vllm_args\[1\] contains U\+0085 \(a control character\)/);
  });

  it('removes custom models with their knobs, but never bundled ones', () => {
    catalog.add({ key: 'gone', display_name: 'Gone', repo: 'org/gone', size_gb: 1, mode: 'solo' });
    catalog.setKnobs('gone', { max_model_len: 1000 });
    catalog.remove('gone');
    expect(codeOf(() => catalog.get('gone'))).toBe('404 NOT_FOUND');
    catalog.add({ key: 'gone', display_name: 'Again', repo: 'org/gone', size_gb: 1, mode: 'solo' });
    expect(catalog.get('gone').knobs).toEqual({});
    expect(codeOf(() => catalog.remove('base'))).toBe('409 CONFLICT');
    expect(codeOf(() => catalog.remove('missing'))).toBe('404 NOT_FOUND');
  });

  it('stores only changed knobs and applies them to the effective args', () => {
    const m = catalog.setKnobs('base', {
      max_model_len: 65536,
      fp8_kv_cache: true,
      gpu_memory_utilization: 0.7,
    });
    expect(m.knobs).toEqual({ max_model_len: 65536, fp8_kv_cache: true });
    expect(m.effective_args).toEqual([
      '--gpu-memory-utilization=0.7',
      '--trust-remote-code',
      '--max-model-len',
      '65536',
      '--kv-cache-dtype',
      'fp8',
    ]);
    expect(m.effective_knobs).toMatchObject({ max_model_len: 65536, fp8_kv_cache: true });
    // Later calls merge; sending the bundled value back resets the knob.
    expect(catalog.setKnobs('base', { prefix_caching: true }).knobs).toEqual({
      max_model_len: 65536,
      fp8_kv_cache: true,
      prefix_caching: true,
    });
    expect(catalog.setKnobs('base', { max_model_len: 32768 }).knobs).toEqual({
      fp8_kv_cache: true,
      prefix_caching: true,
    });
    expect(codeOf(() => catalog.setKnobs('base', { gpu_memory_utilization: 1.2 }))).toBe('400 INVALID_INPUT');
    expect(codeOf(() => catalog.setKnobs('nope', {}))).toBe('404 NOT_FOUND');
    expect(events.filter((e) => e.type === 'models')).toHaveLength(3);
  });

  it('gives a swap a frozen snapshot that later edits do not change', () => {
    catalog.add({ key: 'ft', display_name: 'FT', path: '/data/models/x', size_gb: 8, mode: 'cluster' });
    const snap = catalog.snapshot('ft');
    expect(snap).toEqual({
      key: 'ft',
      display_name: 'FT',
      repo: null,
      path: '/data/models/x',
      served_model_name: '/data/models/x',
      size_gb: 8,
      mode: 'cluster',
      capabilities: [],
      effective_args: ['--served-model-name', '/data/models/x'],
      effective_knobs: extractKnobs([]),
      expected_ready_seconds: 92,
      custom: true,
    });
    catalog.setKnobs('ft', { max_model_len: 2048 });
    catalog.remove('ft');
    expect(snap.effective_args).toEqual(['--served-model-name', '/data/models/x']);
    expect(
      Object.isFrozen(snap) && Object.isFrozen(snap.effective_args) && Object.isFrozen(snap.effective_knobs),
    ).toBe(true);
    expect(() => (snap.effective_args as string[]).push('--x')).toThrow();
  });

  it('uses injected enrichment and honours an explicit --served-model-name', () => {
    const enriched = new CatalogService({
      db,
      bundledPath: join(dir, 'models.yaml'),
      enrich: (m) => ({
        loaded: m.key === 'base',
        expected_seconds: 42,
        warnings: [{ code: 'other', message: 'hi' }],
      }),
    });
    expect(enriched.get('base')).toMatchObject({
      loaded: true,
      expected_seconds: 42,
      warnings: [{ message: 'hi' }],
    });
    enriched.add({
      key: 'named',
      display_name: 'Named',
      path: '~/m',
      size_gb: 1,
      mode: 'solo',
      vllm_args: ['--served_model_name=friendly'],
    });
    expect(enriched.get('named').served_model_name).toBe('friendly');
    expect(enriched.keyForServedModel('friendly')).toBe('named');
    expect(enriched.keyForServedModel('org/base-FP8')).toBe('base');
    expect(enriched.keyForServedModel('unknown')).toBeNull();
  });

  it('skips stored rows that no longer validate, and reports each once', () => {
    db.prepare('INSERT INTO catalog_custom (key, entry, created_at) VALUES (?, ?, ?)').run(
      'bad',
      JSON.stringify({ display_name: 'Bad', repo: 'a/b;id', size_gb: 1, mode: 'solo' }),
      1,
    );
    db.prepare('INSERT INTO catalog_knobs (key, knobs, updated_at) VALUES (?, ?, ?)').run(
      'base',
      '{"max_model_len":-1}',
      1,
    );
    const seen: string[] = [];
    const c = new CatalogService({
      db,
      bundledPath: join(dir, 'models.yaml'),
      onStoreProblem: (p) => seen.push(p.key),
    });
    expect(c.list().map((m) => m.key)).toEqual(['base']);
    expect(c.list()[0]!.knobs).toEqual({});
    expect(seen.sort()).toEqual(['bad', 'base']);
  });

  it('fails start-up on a bad bundled file', () => {
    writeFileSync(
      join(dir, 'bad.yaml'),
      'models:\n  x:\n    display_name: X\n    size_gb: 1\n    mode: solo\n',
    );
    expect(() => new CatalogService({ db, bundledPath: join(dir, 'bad.yaml') })).toThrow(CatalogFileError);
  });
});
