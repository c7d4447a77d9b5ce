import { describe, expect, it } from 'vitest';
import { catalogEntries, jobIdOf, logLineOf, reapplyResultOf } from './audioResponses.js';

const entry = { id: 'a', name: 'A', image: 'nvcr.io/a:1', port: 9000 };

describe('catalogEntries', () => {
  it('reads a bare array or {entries}, dropping what is not an entry', () => {
    expect(catalogEntries([entry, { junk: 1 }])).toEqual([entry]);
    expect(catalogEntries({ entries: [entry] })).toEqual([entry]);
    expect(catalogEntries({ error: 'x' })).toEqual([]);
    expect(catalogEntries(null)).toEqual([]);
  });
});

describe('jobIdOf', () => {
  it('finds the job id in the accepted shapes', () => {
    expect(jobIdOf({ job_id: 'j1' })).toBe('j1');
    expect(jobIdOf({ id: 'j2' })).toBe('j2');
    expect(jobIdOf({ job: { id: 'j3' } })).toBe('j3');
    expect(jobIdOf({ ok: true, steps: [] })).toBeNull();
    expect(jobIdOf('j4')).toBeNull();
  });
});

describe('reapplyResultOf', () => {
  const result = { ok: false, steps: [{ step: 'py_compile', ok: false, detail: 'SyntaxError' }] };
  it('takes a direct result or the job meta result', () => {
    expect(reapplyResultOf(result)).toBe(result);
    expect(reapplyResultOf({ id: 'j', state: 'failed', meta: { result } })).toBe(result);
    expect(reapplyResultOf({ id: 'j', state: 'running', meta: {} })).toBeNull();
  });
});

describe('logLineOf', () => {
  it('passes raw lines through, unwraps {line} and JSON strings', () => {
    expect(logLineOf('INFO ready')).toBe('INFO ready');
    expect(logLineOf('{"line":"hello"}')).toBe('hello');
    expect(logLineOf('"quoted"')).toBe('quoted');
  });
  it('drops control messages but keeps a container JSON log line and broken JSON', () => {
    expect(logLineOf('{"type":"end"}')).toBeNull();
    expect(logLineOf('{"level":"info","msg":"x"}')).toBe('{"level":"info","msg":"x"}');
    expect(logLineOf('{not json')).toBe('{not json');
  });
});
