import { describe, expect, it } from 'vitest';
import { catalogEntries, jobIdOf, logLineOf, reapplyResultOf, streamErrorText } from './audioResponses.js';

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
  it('reads the steps a job records as it goes, ok only once it succeeded', () => {
    const steps = [{ step: 'copy', ok: true, detail: '3 files' }];
    expect(reapplyResultOf({ id: 'j', state: 'succeeded', meta: { steps } })).toEqual({ ok: true, steps });
    expect(reapplyResultOf({ id: 'j', state: 'failed', meta: { steps } })).toEqual({ ok: false, steps });
    expect(reapplyResultOf({ id: 'j', state: 'running', meta: { steps: [] } })).toBeNull();
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

describe('streamErrorText', () => {
  it('reads {error}, keeps plain text, and never says nothing', () => {
    expect(streamErrorText('{"error":"ssh: node down"}')).toBe('ssh: node down');
    expect(streamErrorText('plain reason')).toBe('plain reason');
    expect(streamErrorText('{"code":1}')).toBe('{"code":1}');
    expect(streamErrorText(undefined)).toBe('the log stream failed');
    expect(streamErrorText('')).toBe('the log stream failed');
  });
});
