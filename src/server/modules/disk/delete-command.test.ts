import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runShellSandboxed } from '../../../../test/helpers/unit.js';
import { hubDir, modelRepo, writeHfRepo } from '../../../sim/hf-cache.js';
import { deleteCommand, parseDelete } from './delete-command.js';

describe('deleteCommand', () => {
  let home = '';
  afterEach(() => rmSync(home, { recursive: true, force: true }));
  const run = (dir: string) => {
    const r = runShellSandboxed(deleteCommand(dir).text, { home });
    return parseDelete({ code: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString() });
  };

  it('removes exactly the repo directory and says how much it freed', () => {
    home = mkdtempSync(join(tmpdir(), 'sc-del-'));
    writeHfRepo(home, modelRepo('org/a', 2e9));
    writeHfRepo(home, modelRepo('org/ab', 1e9));
    const out = run('models--org--a');
    expect(out.kind).toBe('freed');
    expect(out.kind === 'freed' && out.bytes).toBeGreaterThanOrEqual(2e9);
    expect(existsSync(join(hubDir(home), 'models--org--a'))).toBe(false);
    expect(existsSync(join(hubDir(home), 'models--org--ab'))).toBe(true);
    expect(run('models--org--a')).toEqual({ kind: 'absent' });
  });

  it('leaves a symlink (and what it points to) alone', () => {
    home = mkdtempSync(join(tmpdir(), 'sc-del-'));
    const target = join(home, 'precious');
    mkdirSync(target);
    mkdirSync(hubDir(home), { recursive: true });
    symlinkSync(target, join(hubDir(home), 'models--org--link'));
    expect(run('models--org--link')).toMatchObject({ kind: 'failed' });
    expect(existsSync(target)).toBe(true);
  });

  it.each(['models--org--a b', '../../x', 'models--org', 'models--a--b/../../..', '*'])(
    'refuses to build a delete for %j',
    (dir) => expect(() => deleteCommand(dir)).toThrow(/refusing/),
  );
});

describe('parseDelete', () => {
  it.each([
    [
      { code: 0, stdout: 'FREED 42\n', stderr: '' },
      { kind: 'freed', bytes: 42 },
    ],
    [{ code: 0, stdout: 'ABSENT\n', stderr: '' }, { kind: 'absent' }],
    [
      { code: 4, stdout: 'RMFAILED\n', stderr: 'rm: cannot remove x: Permission denied' },
      { kind: 'failed', error: 'rm failed (exit 4): rm: cannot remove x: Permission denied' },
    ],
    [
      { code: 0, stdout: 'something else', stderr: '' },
      { kind: 'failed', error: 'rm failed (exit 0): something else' },
    ],
    [
      { code: null, stdout: '', stderr: '' },
      { kind: 'failed', error: 'rm failed (exit signal)' },
    ],
  ])('%j', (r, want) => expect(parseDelete(r)).toEqual(want));
});
