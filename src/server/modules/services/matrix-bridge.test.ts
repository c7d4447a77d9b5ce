import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runShellSandboxed } from '../../../../test/helpers/unit.js';
import {
  bridgeSshNodes,
  bridgeTransportNode,
  capFailure,
  EXIT_DIRTY,
  EXIT_NO_CLONE,
  updateCommand,
  updateFailure,
} from './matrix-bridge.js';

const node = (name: string, user = 'alice') => ({
  name,
  host: `${name}.local`,
  user,
  ssh_port: 22,
  qsfp_ip: null,
  mac: null,
});
const config = (user: string | null) => ({
  nodes: [node('spark1'), node('spark2')],
  vllm: { nodes: ['spark1'], port: 8888, container: 'vllm_node', launcher_dir: '~/x' },
  matrix_bridge: { node: null, container: 'matrix-bridge', branch: 'main' },
  matrix_bridge_user: user,
});

describe('updateCommand', () => {
  it('is the SPEC command in "$HOME"/matrix-bridge with the branch quoted, after the clone checks', () => {
    const text = updateCommand('release/1.2').text;
    expect(text).toContain(`cd "$HOME"/matrix-bridge`);
    expect(text).toContain('git fetch && ');
    expect(text).toContain('git reset --hard origin/release/1.2 && ');
    expect(text).toContain('docker compose up -d --build');
    expect(text.indexOf('git status --porcelain')).toBeLessThan(text.indexOf('git fetch'));
  });

  it.each(['-x', 'a..b', 'main;reboot', 'a b', '$(id)', 'x/', 'a.lock', ''])('refuses branch %j', (b) => {
    expect(() => updateCommand(b)).toThrow(/branch/);
  });

  it('runs in bash: a missing clone and a dirty clone exit with their codes before git fetch', () => {
    const script = updateCommand('main').text;
    const missing = runShellSandboxed(script);
    expect(missing.status).toBe(EXIT_NO_CLONE);
    expect(missing.stdout.toString()).toContain('~/matrix-bridge is missing or not a git clone');
    const home = mkdtempSync(join(tmpdir(), 'sc-mb-'));
    try {
      const git = (...args: string[]) =>
        execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
          cwd: join(home, 'matrix-bridge'),
          env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, GIT_CONFIG_NOSYSTEM: '1' },
        });
      mkdirSync(join(home, 'matrix-bridge'));
      git('init', '-q');
      writeFileSync(join(home, 'matrix-bridge', 'bridge.py'), 'print(1)\n');
      git('add', '.');
      git('commit', '-qm', 'one');
      writeFileSync(join(home, 'matrix-bridge', 'bridge.py'), 'print(2)\n');
      const dirty = runShellSandboxed(script, { home });
      expect(dirty.status).toBe(EXIT_DIRTY);
      expect(dirty.stdout.toString()).toContain(' M bridge.py');
      expect(dirty.stdout.toString()).not.toContain('-- git fetch');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('updateFailure', () => {
  it('names the dirty files', () => {
    const lines = ['spark-control: ~/matrix-bridge has uncommitted changes:', ' M bridge.py', '?? notes.txt'];
    expect(updateFailure(EXIT_DIRTY, lines, 'spark2', 'bot')).toBe(
      '~/matrix-bridge of bot on spark2 has uncommitted changes (M bridge.py, ?? notes.txt); commit or discard them, then update again.',
    );
  });
  it('says a clone is missing, or quotes the last line of anything else', () => {
    expect(updateFailure(EXIT_NO_CLONE, [], 'spark2', 'bot')).toMatch(/missing or not a git clone/);
    expect(updateFailure(128, ['fatal: could not read from remote repository.', ''], 'spark2', 'bot')).toBe(
      'Update failed (exit 128): fatal: could not read from remote repository.',
    );
    expect(updateFailure(null, [], 'n', 'u')).toBe('Update failed (exit killed): no output');
  });
});

describe('capFailure', () => {
  it('names the cap in the unit it was set in, the node, and the last output line', () => {
    expect(
      capFailure(25 * 60_000, ['-- docker compose up -d --build', ' => [3/4] RUN pip install', ''], 'spark2'),
    ).toBe(
      'The update ran longer than its 25 min cap and was stopped on spark2 (last output: => [3/4] RUN pip install).',
    );
    expect(capFailure(1000, [], 'n')).toBe('The update ran longer than its 1 s cap and was stopped on n.');
    expect(capFailure(250, ['  '], 'n')).toBe(
      'The update ran longer than its 250 ms cap and was stopped on n.',
    );
  });
});

describe('running as the bridge user', () => {
  it('uses the node itself when the users match, else a second pool entry for that user', () => {
    expect(bridgeTransportNode(config('alice'), 'spark2')).toBe('spark2');
    expect(bridgeSshNodes(config('alice'))).toEqual([]);
    expect(bridgeTransportNode(config('bot'), 'spark2')).toBe('spark2~bot');
    expect(bridgeSshNodes(config('bot'))).toEqual([
      { name: 'spark2~bot', host: 'spark2.local', port: 22, user: 'bot' },
    ]);
  });
});
