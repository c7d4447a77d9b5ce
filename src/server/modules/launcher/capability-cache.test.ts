// The cache against a scripted transport (the outermost seam): what it runs, when it re-reads,
// how concurrent calls share a read, and that failures are never cached.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/http/errors.js';
import type { ShellCommand } from '../../platform/remote/sh.js';
import type { ExecResult } from '../../platform/remote/transport.js';
import type { SwapModel } from '../swap/model.js';
import { helpCommand, LauncherCapabilityCache, versionCommand } from './capability-cache.js';
import { launcherCheck } from './check.js';

const SHA_A = 'a'.repeat(40);
const SHA_B = 'b'.repeat(40);
const BLOB = 'c'.repeat(40);
const HELP = [
  'Usage: ./launch-cluster.sh [-n <node_ips>] [--solo] [--ray|--no-ray] [-d] [action] [command]',
  "  -d              Daemon mode (only for 'start' action)",
  '  action          start | stop | status | exec (Default: start)',
].join('\n');
const NO_SOLO_HELP = HELP.replace(' [--solo]', '');

type Answer = ExecResult | Error | (() => Promise<ExecResult>);

/** A transport answering `git …` (the version) and `… --help` from mutable state, counting calls. */
function fakeHead(state: { commit: string; help: string; version?: Answer; helpAnswer?: Answer }) {
  const calls: string[] = [];
  const answer = async (a: Answer): Promise<ExecResult> => {
    if (a instanceof Error) throw a;
    return typeof a === 'function' ? a() : a;
  };
  const transport = {
    exec: async (node: string, cmd: ShellCommand): Promise<ExecResult> => {
      calls.push(`${node}: ${cmd.text}`);
      if (cmd.text.startsWith('git '))
        return answer(state.version ?? { code: 0, stdout: `${state.commit}\n${BLOB}\n`, stderr: '' });
      return answer(state.helpAnswer ?? { code: 1, stdout: state.help, stderr: '' });
    },
  };
  return { calls, transport };
}

const cacheOf = (t: ReturnType<typeof fakeHead>) =>
  new LauncherCapabilityCache({ transport: t.transport, head: 'spark1', launcherDir: '~/spark-vllm-docker' });

describe('the commands', () => {
  it('are built with sh from the validated launcher_dir', () => {
    expect(versionCommand('~/spark-vllm-docker').text).toBe(
      'git -C "$HOME"/spark-vllm-docker rev-parse HEAD && git -C "$HOME"/spark-vllm-docker hash-object -- launch-cluster.sh',
    );
    expect(helpCommand('/opt/spark-vllm-docker').text).toBe(
      'cd /opt/spark-vllm-docker && ./launch-cluster.sh --help 2>&1',
    );
    for (const bad of ['relative/dir', '~/a/../b', '/x\n;id', "/opt/it's"])
      expect(() => versionCommand(bad), bad).toThrow(AppError);
  });
});

describe('LauncherCapabilityCache', () => {
  it('reads --help once per version: again only after the commit changed', async () => {
    const head = fakeHead({ commit: SHA_A, help: HELP });
    const cache = cacheOf(head);
    expect(cache.current()).toBeNull();
    expect(await cache.get()).toEqual({ commit: SHA_A, daemon: true, solo: true, exec: true, missing: [] });
    expect(head.calls).toHaveLength(2);
    await cache.get();
    expect(head.calls).toHaveLength(3); // the version only
    expect(head.calls[2]).toMatch(/^spark1: git -C /);

    const state = { commit: SHA_B, help: NO_SOLO_HELP };
    const moved = fakeHead(state);
    const cache2 = cacheOf(moved);
    await cache2.get();
    state.commit = SHA_A;
    state.help = HELP;
    const caps = await cache2.get();
    expect(caps).toMatchObject({ commit: SHA_A, solo: true });
    expect(moved.calls.filter((c) => c.includes('--help'))).toHaveLength(2);
    expect(cache2.current()).toBe(caps);
  });

  it('shares one read between concurrent calls', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const head = fakeHead({
      commit: SHA_A,
      help: HELP,
      version: async () => {
        await gate;
        return { code: 0, stdout: `${SHA_A}\n${BLOB}\n`, stderr: '' };
      },
    });
    const cache = cacheOf(head);
    const all = Promise.all([cache.get(), cache.get(), cache.get()]);
    release();
    const [a, b, c] = await all;
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(head.calls).toHaveLength(2);
  });

  it('never caches a failed read, and keeps the last capabilities as current()', async () => {
    const state: Parameters<typeof fakeHead>[0] = {
      commit: SHA_A,
      help: HELP,
      version: new AppError('NODE_UNREACHABLE', 'connect ECONNREFUSED 127.0.0.1:2201'),
    };
    const cache = cacheOf(fakeHead(state));
    const err = await cache.get().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('NODE_UNREACHABLE');
    expect((err as AppError).message).toBe(
      'Cannot ask which launcher version is checked out on spark1: connect ECONNREFUSED 127.0.0.1:2201',
    );
    expect(cache.current()).toBeNull();

    delete state.version;
    const caps = await cache.get();
    state.version = new Error('socket hang up');
    await expect(cache.get()).rejects.toThrow(/socket hang up/);
    expect(cache.current()).toBe(caps);
  });

  it.each([
    [
      'not a git checkout',
      {
        code: 128,
        stdout: '',
        stderr: 'fatal: not a git repository (or any of the parent directories): .git\n',
      },
      /fatal: not a git repository/,
    ],
    [
      'no launch-cluster.sh',
      {
        code: 128,
        stdout: `${SHA_A}\n`,
        stderr: "fatal: could not open 'launch-cluster.sh' for reading: No such file or directory\n",
      },
      /could not open 'launch-cluster.sh'/,
    ],
    [
      'garbage on stdout',
      { code: 0, stdout: 'hello\n', stderr: '' },
      /Cannot read the launcher in ~\/spark-vllm-docker on spark1: hello/,
    ],
  ])('refuses to guess when the version read fails: %s', async (_name, version, message) => {
    const cache = cacheOf(fakeHead({ commit: SHA_A, help: HELP, version }));
    await expect(cache.get()).rejects.toThrow(message);
  });

  it('refuses, and retries next time, when --help prints no usage', async () => {
    const state: Parameters<typeof fakeHead>[0] = {
      commit: SHA_A,
      help: HELP,
      helpAnswer: { code: 127, stdout: 'bash: line 1: ./launch-cluster.sh: Permission denied\n', stderr: '' },
    };
    const head = fakeHead(state);
    const cache = cacheOf(head);
    await expect(cache.get()).rejects.toThrow(
      'The launcher on spark1 (commit aaaaaaa) printed no usage for --help: bash: line 1: ./launch-cluster.sh: Permission denied',
    );
    delete state.helpAnswer;
    expect(await cache.get()).toMatchObject({ commit: SHA_A, missing: [] });
  });

  it('says so when no vLLM node is configured', async () => {
    const cache = new LauncherCapabilityCache({
      transport: fakeHead({ commit: SHA_A, help: HELP }).transport,
      head: null,
      launcherDir: '~/x',
    });
    await expect(cache.get()).rejects.toThrow('No vLLM node is configured');
  });
});

describe('launcherCheck', () => {
  const model = (mode: 'solo' | 'cluster') => ({ key: 'm', mode }) as SwapModel;

  it('refuses a solo model on a launcher without --solo, naming the head, commit and the fix', async () => {
    const check = launcherCheck(cacheOf(fakeHead({ commit: SHA_B, help: NO_SOLO_HELP })));
    expect(await check(model('solo'), ['spark1'])).toEqual({
      code: 'launcher_outdated',
      message:
        'The launcher on spark1 (commit bbbbbbb) lacks --solo: update the launcher from the Updates banner',
      details: { node: 'spark1', commit: SHA_B, missing: ['--solo'] },
    });
    expect(await check(model('cluster'), ['spark1', 'spark2'])).toBeNull();
  });

  it('refuses every model on a launcher without -d or exec', async () => {
    const help = 'Usage: ./launch-cluster.sh [--solo] [action]\n  action   start | stop | status';
    const check = launcherCheck(cacheOf(fakeHead({ commit: SHA_A, help })));
    const r = await check(model('cluster'), ['spark1', 'spark2']);
    expect(r?.code).toBe('launcher_outdated');
    expect(r?.message).toContain('lacks -d, exec: update the launcher');
  });

  it('passes a current launcher and refuses with launcher_unknown when it cannot be read', async () => {
    const state: Parameters<typeof fakeHead>[0] = { commit: SHA_A, help: HELP };
    const check = launcherCheck(cacheOf(fakeHead(state)));
    expect(await check(model('solo'), ['spark1'])).toBeNull();
    state.version = new AppError('NODE_UNREACHABLE', 'spark1 is unreachable');
    const r = await check(model('solo'), ['spark1']);
    expect(r?.code).toBe('launcher_unknown');
    expect(r?.message).toBe(
      'Cannot tell whether the launcher on spark1 can run this swap: Cannot ask which launcher version is checked out on spark1: spark1 is unreachable',
    );
  });
});
