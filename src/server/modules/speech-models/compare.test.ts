import { describe, expect, it } from 'vitest';
import { compareFiles, containerPath, modelsFromHealth, parseSha256sum, summarize } from './compare.js';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

describe('sha256sum output vs the shipped files', () => {
  it('reads text, binary and escaped lines and skips complaints', () => {
    const out = `${A}  /app/main.py\n\\${B} */app/we\\nird.py\nsha256sum: /app/x.py: No such file or directory\n${'c'.repeat(63)}  /app/short.py\n`;
    expect([...parseSha256sum(out)]).toEqual([
      ['/app/main.py', A],
      ['/app/we\\nird.py', B],
    ]);
  });

  it('in_sync, drift and missing per file, in the shipped order', () => {
    const found = new Map([
      ['/opt/app/a.py', A],
      ['/opt/app/b.py', A],
    ]);
    const rows = compareFiles(
      [
        { name: 'a.py', sha256: A },
        { name: 'b.py', sha256: B },
        { name: 'c.py', sha256: B },
      ],
      '/opt/app',
      found,
    );
    expect(rows).toEqual([
      { path: '/opt/app/a.py', shipped_sha256: A, container_sha256: A, status: 'in_sync' },
      { path: '/opt/app/b.py', shipped_sha256: B, container_sha256: A, status: 'drift' },
      { path: '/opt/app/c.py', shipped_sha256: B, container_sha256: null, status: 'missing' },
    ]);
    expect(summarize(rows)).toBe('1 in sync, 1 drift, 1 missing');
  });

  it('joins paths under / without a double slash', () => {
    expect(containerPath('/', 'x.py')).toBe('/x.py');
    expect(containerPath('/opt/app', 'x.py')).toBe('/opt/app/x.py');
  });

  it('takes model ids from /health and ignores anything else', () => {
    expect(
      modelsFromHealth({ status: 'ok', models: { asr: 'm1', diarization: 'm2', none: null, n: 3 } }),
    ).toEqual(['m1', 'm2']);
    for (const bad of [null, 'x', {}, { models: 'm' }]) expect(modelsFromHealth(bad)).toEqual([]);
  });
});
