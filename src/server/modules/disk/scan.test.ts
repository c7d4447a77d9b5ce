import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runShellSandboxed } from '../../../../test/helpers/unit.js';
import { hubDir, modelRepo, writeHfRepo } from '../../../sim/hf-cache.js';
import { parseScan, scanCommand } from './scan.js';

const GB = 1_000_000_000;

const repos = (...records: string[]) => `@@repos\n${records.map((x) => `${x}\0`).join('')}@@end\0`;

describe('parseScan', () => {
  it('reads the sections of a full scan', () => {
    const out = [
      '@@df',
      ' 3936260341760 1234567890 /',
      ' 3936260341760 1234567890 /home/spark data',
      '@@paths',
      'P\t0\t1\t5000\t1',
      'P\t1\t0\t0\t0',
      repos(
        'X',
        'D\tmodels--Qwen--Qwen3-8B',
        'D\tmodels--openai--gpt-oss-20b',
        'B\t15000000000\tmodels--Qwen--Qwen3-8B/blobs/aa',
        'B\t1000000000\tmodels--Qwen--Qwen3-8B/blobs/bb',
        'B\t13800000000\tmodels--openai--gpt-oss-20b/blobs/0123.incomplete',
        'B\t5\tmodels--not-listed--x/blobs/cc',
        'S\tmodels--Qwen--Qwen3-8B/snapshots/abc/config.json',
        'S\tmodels--openai--gpt-oss-20b/snapshots/abc/config.json',
      ),
    ].join('\n');
    const r = parseScan(out, 2);
    expect(r.ended).toBe(true);
    expect(r.root).toEqual({ total_bytes: 3936260341760, free_bytes: 1234567890, mount: '/' });
    expect(r.hfCache?.mount).toBe('/home/spark data');
    expect(r.repos).toEqual([
      { repo: 'Qwen/Qwen3-8B', bytes: 16 * GB, complete: true },
      { repo: 'openai/gpt-oss-20b', bytes: 13.8 * GB, complete: false },
    ]);
    expect(r.skipped).toBe(1);
    expect(r.paths).toEqual([
      { present: true, bytes: 5000, complete: true },
      { present: false, bytes: 0, complete: false },
    ]);
    expect(r.problems).toEqual([]);
  });

  it('a repo without any snapshot entry is not complete', () => {
    const r = parseScan(repos('D\tmodels--a--b', 'B\t5\tmodels--a--b/blobs/x'), 0);
    expect(r.repos).toEqual([{ repo: 'a/b', bytes: 5, complete: false }]);
  });

  it.each([
    ['a hostile name', 'D\tmodels--x--$(rm -rf ~)'],
    ['a name with three parts', 'D\tmodels--a--b--c'],
    ['a name with a newline', 'D\tmodels--a--b\nmodels--c--d'],
    ['a name that forges the next section', 'D\tmodels--a--b\n@@end'],
  ])('skips %s instead of listing it', (_what, rec) => {
    const r = parseScan(repos(rec), 0);
    expect(r.repos).toEqual([]);
    expect(r.skipped).toBe(1);
    expect(r.ended).toBe(true);
  });

  it('a directory name cannot forge a path probe or the end of the scan', () => {
    const r = parseScan(
      ['@@paths', repos('D\tmodels--a--b\n@@paths\nP\t0\t1\t5\t1')].join('\n').replace('@@end\0', ''),
      1,
    );
    expect(r.paths).toEqual([null]);
    expect(r.ended).toBe(false);
  });

  it.each([
    'B\t-1\tmodels--a--b/blobs/x',
    'B\t1G\tmodels--a--b/blobs/x',
    'Z\tmodels--a--b/x',
    'D\ta/b',
    'garbage',
  ])('keeps an unexpected record %j as a problem, never a repo', (rec) => {
    const r = parseScan(repos(rec), 0);
    expect(r.repos).toEqual([]);
    expect(r.problems).toHaveLength(1);
  });

  it('says a scan cut short did not end, and keeps what nobody expected as problems', () => {
    const r = parseScan('bash: du: command not found\n@@df\ndf: /: Permission denied\n@@paths\n', 1);
    expect(r.ended).toBe(false);
    expect(r.problems).toEqual([
      'before any section: bash: du: command not found',
      'df: df: /: Permission denied',
    ]);
    expect(r.paths).toEqual([null]);
  });

  it('ignores a path probe for an index it did not ask about', () => {
    const r = parseScan('@@paths\nP\t7\t1\t5\t1\nP\t0\tyes\t5\t1\n' + repos(), 1);
    expect(r.paths).toEqual([null]);
    expect(r.problems).toHaveLength(2);
  });

  it('never throws on random bytes', () => {
    for (let i = 0; i < 200; i++) {
      const junk = Array.from({ length: 80 }, () =>
        String.fromCharCode(Math.floor(Math.random() * 128)),
      ).join('');
      expect(() => parseScan(`@@paths\n${junk}\n@@repos\n${junk}`, 3)).not.toThrow();
    }
  });
});

describe('scanCommand in a real bash over a seeded cache', () => {
  let home = '';
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('lists complete, incomplete and hostile entries as the parser expects', () => {
    home = mkdtempSync(join(tmpdir(), 'sc-disk-'));
    writeHfRepo(home, modelRepo('Qwen/Qwen3-8B', 16 * GB));
    writeHfRepo(home, modelRepo('org/half', 4 * GB, { incomplete: true }));
    const hub = hubDir(home);
    mkdirSync(join(hub, 'models--evil--x;touch pwned'), { recursive: true });
    mkdirSync(join(hub, 'models--evil--nl\n@@paths\nP\t1\t1\t5\t1'), { recursive: true });
    mkdirSync(join(hub, 'datasets--org--data'), { recursive: true });
    symlinkSync('/', join(hub, 'models--link--root'));
    writeFileSync(join(hub, 'version.txt'), '1');
    const local = join(home, 'my-model');
    mkdirSync(local);
    writeFileSync(join(local, 'config.json'), '{}');
    const paths = [local, '~/absent-model'];
    const r = runShellSandboxed(scanCommand(paths).text, { home });
    expect(r.stderr.toString()).toBe('');
    const scan = parseScan(r.stdout.toString(), paths.length);
    expect(scan.ended).toBe(true);
    expect(scan.repos.map((x) => [x.repo, x.complete])).toEqual([
      ['Qwen/Qwen3-8B', true],
      ['org/half', false],
    ]);
    // Apparent sizes: the sparse blobs count in full (plus config.json's blob).
    expect(scan.repos[0]!.bytes).toBeGreaterThanOrEqual(16 * GB);
    expect(scan.repos[0]!.bytes).toBeLessThan(16 * GB + 1000);
    expect(scan.repos[1]!.bytes).toBeGreaterThanOrEqual(4 * GB);
    expect(scan.skipped).toBe(3);
    expect(scan.paths[0]).toMatchObject({ present: true, complete: true });
    expect(scan.paths[1]).toEqual({ present: false, bytes: 0, complete: false });
    expect(scan.root?.mount).toBe('/');
    expect(scan.hfCache?.free_bytes).toBeGreaterThan(0);
    expect(scan.problems).toEqual([]);
  });

  it('scans a home without any cache directory', () => {
    home = mkdtempSync(join(tmpdir(), 'sc-disk-'));
    const r = runShellSandboxed(scanCommand([]).text, { home });
    const scan = parseScan(r.stdout.toString(), 0);
    expect(scan).toMatchObject({ ended: true, repos: [], skipped: 0, problems: [] });
    expect(scan.hfCache).not.toBeNull();
  });
});
