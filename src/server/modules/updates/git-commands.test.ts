import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runShellSandboxed } from '../../../../test/helpers/unit.js';
import {
  buildCommand,
  checkCommand,
  copyHost,
  EXIT_NO_CHECKOUT,
  parseCheck,
  parseStatus,
  parseTagOutput,
  resetCommand,
  statusCommand,
  tagRollbackCommand,
  validateCommit,
} from './git-commands.js';

let home: string;
const env = {
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Ann Maintainer',
  GIT_AUTHOR_EMAIL: 'a@example.com',
};
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Ann Maintainer', '-c', 'user.email=a@example.com', ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, ...env },
    encoding: 'utf8',
  });
const run = (script: string) => {
  const r = runShellSandboxed(script, { home, env });
  return { code: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
};

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'sc-upd-'));
  execFileSync('mkdir', ['-p', join(home, 'up')]);
  git(join(home, 'up'), 'init', '-q', '-b', 'main');
  writeFileSync(join(home, 'up', 'build-and-copy.sh'), 'echo build\n');
  git(join(home, 'up'), 'add', '.');
  git(join(home, 'up'), 'commit', '-q', '-m', 'first');
  git(home, 'clone', '-q', '--bare', join(home, 'up'), join(home, 'origin.git'));
  git(join(home, 'up'), 'remote', 'add', 'origin', join(home, 'origin.git'));
  git(home, 'clone', '-q', join(home, 'origin.git'), join(home, 'launcher-dir'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const upstreamCommit = (subject: string) => {
  appendFileSync(join(home, 'up', 'CHANGELOG'), `${subject}\n`);
  git(join(home, 'up'), 'add', '.');
  git(join(home, 'up'), 'commit', '-q', '-m', subject);
  git(join(home, 'up'), 'push', '-q', 'origin', 'main');
  return git(join(home, 'up'), 'rev-parse', 'HEAD').trim();
};

describe('checkCommand + parseCheck (real git)', () => {
  it('counts pending commits after a fetch and lists them newest first', () => {
    const a = upstreamCommit('Fix NCCL interface detection');
    const b = upstreamCommit('Subject with "quotes", $(id) and ; semicolons');
    const r = run(checkCommand('~/launcher-dir').text);
    const c = parseCheck(r.stdout, r.code, r.stderr);
    expect(c).toMatchObject({ branch: 'main', ahead: 0, behind: 2, dirty: [] });
    expect(c.head).toMatch(/^[0-9a-f]{40}$/);
    expect(c.log.map((x) => x.sha)).toEqual([b, a]);
    expect(c.log[0]).toMatchObject({
      subject: 'Subject with "quotes", $(id) and ; semicolons',
      author: 'Ann Maintainer',
    });
    expect(Number.isNaN(Date.parse(c.log[0]!.date))).toBe(false);
  });

  it('sees a local commit as ahead and a modified tracked file as dirty (untracked files do not count)', () => {
    const dir = join(home, 'launcher-dir');
    writeFileSync(join(dir, 'local.txt'), 'x');
    git(dir, 'add', 'local.txt');
    git(dir, 'commit', '-q', '-m', 'local');
    writeFileSync(join(dir, 'untracked.txt'), 'x');
    let r = run(checkCommand('~/launcher-dir').text);
    expect(parseCheck(r.stdout, r.code)).toMatchObject({ ahead: 1, behind: 0, dirty: [] });
    appendFileSync(join(dir, 'build-and-copy.sh'), '# tweak\n');
    r = run(checkCommand('~/launcher-dir').text);
    expect(parseCheck(r.stdout, r.code).dirty).toEqual([' M build-and-copy.sh']);
    const s = run(statusCommand('~/launcher-dir').text);
    expect(parseStatus(s.stdout).dirty).toEqual([' M build-and-copy.sh']);
  });

  it('says when the directory is not a checkout, and when fetch fails', () => {
    const missing = run(checkCommand('~/nowhere').text);
    expect(missing.code).toBe(EXIT_NO_CHECKOUT);
    expect(() => parseCheck(missing.stdout, missing.code)).toThrow(/not a git checkout/);
    rmSync(join(home, 'origin.git'), { recursive: true });
    const r = run(checkCommand('~/launcher-dir').text);
    expect(() => parseCheck(r.stdout, r.code)).toThrow(/git fetch failed: .+/);
  });

  it('an output cut short is an error, never zero counts', () => {
    upstreamCommit('one');
    const r = run(checkCommand('~/launcher-dir').text);
    const cut = r.stdout.slice(0, r.stdout.indexOf('@@spark-control:log'));
    expect(() => parseCheck(cut, null)).toThrow(/failed/);
  });

  it('reset --hard goes back to a commit; a non-sha never reaches git', () => {
    const dir = join(home, 'launcher-dir');
    const before = git(dir, 'rev-parse', 'HEAD').trim();
    upstreamCommit('two');
    git(dir, 'pull', '-q', '--ff-only');
    expect(run(resetCommand('~/launcher-dir', before).text).code).toBe(0);
    expect(git(dir, 'rev-parse', 'HEAD').trim()).toBe(before);
    for (const bad of ['HEAD~1', '--hard', `${before.slice(0, 39)};`, before.toUpperCase()])
      expect(() => validateCommit(bad)).toThrow(/40 hex/);
  });
});

describe('other commands', () => {
  it('build copies to validated hosts only', () => {
    expect(buildCommand('/opt/spark-vllm-docker', ['192.0.2.12', 'spark2.local']).text).toContain(
      './build-and-copy.sh -c 192.0.2.12 spark2.local 2>&1',
    );
    expect(buildCommand('/opt/l', []).text).toContain('./build-and-copy.sh 2>&1');
    expect(() => buildCommand('/opt/l', ['a;reboot'])).toThrow(/host name/);
    expect(() => buildCommand('relative', [])).toThrow(/launcher_dir/);
  });

  it('copies over the fast link, or by name when the host is loopback', () => {
    expect(copyHost({ name: 'spark2', host: '192.0.2.12', qsfp_ip: null })).toBe('192.0.2.12');
    expect(copyHost({ name: 'spark2', host: '192.0.2.12', qsfp_ip: '10.0.0.2' })).toBe('10.0.0.2');
    expect(copyHost({ name: 'spark2', host: '127.0.0.1', qsfp_ip: null })).toBe('spark2');
  });

  it('tag output: tagged/restored id, none, or unknown', () => {
    expect(parseTagOutput('tagged sha256:abc\n')).toBe('sha256:abc');
    expect(parseTagOutput('restored sha256:abc')).toBe('sha256:abc');
    expect(parseTagOutput('none\n')).toBeNull();
    expect(parseTagOutput('Error response from daemon')).toBeUndefined();
    expect(tagRollbackCommand().text).toContain('docker tag vllm-node vllm-node:rollback');
  });
});
