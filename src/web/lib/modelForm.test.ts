import { describe, expect, it } from 'vitest';
import { checkModelForm, EMPTY_MODEL_FORM, parseArgLines, parseCapabilities } from './modelForm.js';

const valid = {
  ...EMPTY_MODEL_FORM,
  key: 'my-ft',
  display_name: 'My fine-tune',
  repo: 'me/my-ft',
  size_gb: '16',
};

describe('parseArgLines / parseCapabilities', () => {
  it('takes one argument per line', () => {
    expect(parseArgLines('--a=1\n\n  --b  \n')).toEqual({ args: ['--a=1', '--b'], hint: null });
    expect(parseArgLines('--max-model-len 32768').hint).toContain('--flag=value');
  });
  it('splits, trims, lowercases and dedupes capabilities', () => {
    expect(parseCapabilities('vision, Tools ,,vision')).toEqual(['vision', 'tools']);
  });
});

describe('checkModelForm', () => {
  it('builds the body for a Hugging Face model', () => {
    expect(checkModelForm(valid).body).toEqual({
      key: 'my-ft',
      display_name: 'My fine-tune',
      repo: 'me/my-ft',
      size_gb: 16,
      mode: 'solo',
    });
  });
  it('builds the body for a local path with the optional fields', () => {
    const r = checkModelForm({
      ...valid,
      source: 'path',
      path: '~/models/my-ft',
      vllm_args: '--max-num-batched-tokens=16384',
      description: ' Mine ',
      capabilities: 'tools',
      mode: 'cluster',
    });
    expect(r.body).toEqual({
      key: 'my-ft',
      display_name: 'My fine-tune',
      path: '~/models/my-ft',
      size_gb: 16,
      mode: 'cluster',
      vllm_args: ['--max-num-batched-tokens=16384'],
      description: 'Mine',
      capabilities: ['tools'],
    });
  });
  it('blocks what the server would refuse', () => {
    expect(checkModelForm(EMPTY_MODEL_FORM).errors).toMatchObject({
      key: expect.any(String),
      display_name: expect.any(String),
      repo: expect.any(String),
      size_gb: expect.any(String),
    });
    expect(checkModelForm({ ...valid, repo: 'no-slash' }).errors.repo).toBeTruthy();
    expect(checkModelForm({ ...valid, key: 'a/b' }).errors.key).toBeTruthy();
    expect(checkModelForm({ ...valid, size_gb: '0' }).errors.size_gb).toBeTruthy();
    const path = { ...valid, source: 'path' as const };
    expect(checkModelForm({ ...path, path: 'models/x' }).errors.path).toBeTruthy();
    expect(checkModelForm({ ...path, path: '~/models/../etc' }).errors.path).toBeTruthy();
    expect(checkModelForm({ ...path, path: '/data/models/x' }).body?.path).toBe('/data/models/x');
  });
  it('only hints at unusual keys', () => {
    const r = checkModelForm({ ...valid, key: 'My_Model' });
    expect(r.body).not.toBeNull();
    expect(r.hints.key).toBeTruthy();
  });
});
