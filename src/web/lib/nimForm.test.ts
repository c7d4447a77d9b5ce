import { describe, expect, it } from 'vitest';
import type { NimCatalogEntry } from '../../common/services-api.js';
import {
  checkNimForm,
  EMPTY_NIM_FORM,
  formFromCatalog,
  parseEnvLines,
  suggestedContainer,
  withPort,
} from './nimForm.js';

const ENTRY: NimCatalogEntry = {
  id: 'parakeet-asr',
  name: 'Parakeet ASR',
  image: 'nvcr.io/nim/nvidia/parakeet-ctc-1.1b-asr:1.3.0',
  port: 9000,
  kind: 'asr',
  volume: '/home/user/.cache/nim',
  env: { NIM_TAGS_SELECTOR: 'mode=all' },
  health_path: '/v1/health/ready',
  runs_on_spark: true,
  notes: '',
};

describe('formFromCatalog', () => {
  it('fills image, port, volume, env and a container name from the entry', () => {
    const v = formFromCatalog(ENTRY, 'spark2');
    expect(v).toMatchObject({
      image: ENTRY.image,
      container: 'parakeet-ctc-1.1b-asr',
      port: '9000',
      volume: '/home/user/.cache/nim',
      env: 'NIM_TAGS_SELECTOR=mode=all',
      node: 'spark2',
      register: true,
      kind: 'asr',
    });
    expect(checkNimForm(v).body).toEqual({
      image: ENTRY.image,
      container: 'parakeet-ctc-1.1b-asr',
      port: 9000,
      volume: '/home/user/.cache/nim',
      env: { NIM_TAGS_SELECTOR: 'mode=all' },
      node: 'spark2',
      register_service: true,
      kind: 'asr',
    });
  });
  it('suggests a container name without the tag or digest', () => {
    expect(suggestedContainer('nvcr.io/nim/nvidia/magpie-tts:latest')).toBe('magpie-tts');
    expect(suggestedContainer('riva@sha256:abc')).toBe('riva');
  });
});

describe('checkNimForm', () => {
  const good = formFromCatalog(ENTRY, 'spark1');
  it('refuses an empty form field by field', () => {
    const c = checkNimForm(EMPTY_NIM_FORM);
    expect(c.body).toBeNull();
    expect(Object.keys(c.errors).sort()).toEqual(['container', 'image', 'node', 'port', 'volume']);
  });
  it.each([
    ['image', 'nvcr.io/x; rm -rf /'],
    ['image', 'NVCR.IO/Upper'],
    ['container', '-leading-dash'],
    ['container', 'a b'],
    ['port', '0'],
    ['port', '65536'],
    ['port', '80a'],
    ['volume', '/data/../etc'],
    ['volume', 'vol name'],
    ['volume', '$(id)'],
  ] as const)('refuses %s %j', (field, value) => {
    const c = checkNimForm({ ...good, [field]: value });
    expect(c.body).toBeNull();
    expect(c.errors[field]).toBeTruthy();
  });
  it('accepts a docker volume name, an absolute path and a path under home', () => {
    for (const volume of ['nim-cache', '/data/nim', '~/.cache/nim'])
      expect(checkNimForm({ ...good, volume }).body?.volume).toBe(volume);
  });
  it('sends register_service as ticked', () => {
    expect(checkNimForm({ ...good, register: false }).body?.register_service).toBe(false);
  });
});

describe('parseEnvLines', () => {
  it('reads NAME=value lines, skips blanks and keeps = inside values', () => {
    expect(parseEnvLines('A=1\n\n  B = x=y \n')).toEqual({ env: { A: '1', B: 'x=y' }, error: null });
  });
  it('names the bad line, and refuses NGC_API_KEY (it comes from the settings)', () => {
    expect(parseEnvLines('A=1\nnot a pair').error).toMatch(/^Line 2:/);
    expect(parseEnvLines('1X=2').error).toMatch(/^Line 1:/);
    expect(parseEnvLines('NGC_API_KEY=secret').error).toMatch(/settings/);
  });
});

describe('withPort', () => {
  const base = { ...EMPTY_NIM_FORM, port: '9000', env: 'NIM_HTTP_API_PORT=9000\nOTHER=9000' };
  it('moves NIM_HTTP_API_PORT along with the port, and nothing else', () => {
    expect(withPort(base, '9100')).toMatchObject({ port: '9100', env: 'NIM_HTTP_API_PORT=9100\nOTHER=9000' });
  });
  it('leaves a value the owner set on purpose', () => {
    const v = { ...base, env: 'NIM_HTTP_API_PORT=8000' };
    expect(withPort(v, '9100').env).toBe('NIM_HTTP_API_PORT=8000');
  });
});
