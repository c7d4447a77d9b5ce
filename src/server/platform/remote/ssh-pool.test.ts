import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../http/errors.js';
import { sh } from './sh.js';
import { rejection, sleep, sshHarness, waitGone } from './test-ssh-harness.js';

const h = sshHarness();
const { dir } = h;
const fixture = h.fixture;
const transport = h.transport;
afterEach(() => h.cleanup());
afterAll(() => h.dispose());

describe('exec', () => {
  it('returns exit code, stdout and stderr; a non-zero exit is not an error', async () => {
    const f = await fixture();
    const { t } = transport(f.port);
    const word = `héllo 🚀 $(id) 'x' "y"`;
    expect(await t.exec('n1', sh`printf %s ${word}; echo err >&2; exit 3`)).toEqual({
      code: 3,
      stdout: word,
      stderr: 'err\n',
    });
    expect(t.state('n1')).toEqual({ state: 'connected' });
  });

  it('delivers stdin, then EOF; without stdin a reader sees EOF at once', async () => {
    const f = await fixture();
    const { t } = transport(f.port);
    expect((await t.exec('n1', sh`cat`, { stdin: 'secret\nline two' })).stdout).toBe('secret\nline two');
    expect((await t.exec('n1', sh`wc -c`, { stdin: Buffer.alloc(100_000, 97) })).stdout.trim()).toBe(
      '100000',
    );
    expect(await t.exec('n1', sh`cat`, { timeoutMs: 2000 })).toMatchObject({ code: 0, stdout: '' });
  });

  it('reuses one TCP connection for every command, also for concurrent first callers', async () => {
    const f = await fixture();
    const { t } = transport(f.port);
    const first = await Promise.all(Array.from({ length: 5 }, (_, i) => t.exec('n1', sh`echo ${i}`)));
    expect(first.map((r) => r.stdout)).toEqual(['0\n', '1\n', '2\n', '3\n', '4\n']);
    for (let i = 0; i < 30; i++) await t.exec('n1', sh`true`);
    expect(f.connections).toBe(1);
  });

  it('runs more parallel commands than the channel bound, never more than the bound at once', async () => {
    const f = await fixture();
    const { t } = transport(f.port, { maxChannelsPerConnection: 3 });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => t.exec('n1', sh`sleep 0.05; echo ${i}`)),
    );
    expect(results.map((r) => Number(r.stdout))).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(f.maxRunning).toBeLessThanOrEqual(3);
    expect(f.connections).toBe(1);
  });

  it('times out with TIMEOUT and kills the remote command', async () => {
    const f = await fixture();
    const { t } = transport(f.port);
    const pidFile = join(dir, 'timeout.pid');
    const e = await rejection(t.exec('n1', sh`echo $$ > ${pidFile}; sleep 30`, { timeoutMs: 300 }));
    expect(e.code).toBe('TIMEOUT');
    expect(await waitGone(Number(readFileSync(pidFile, 'utf8')))).toBe(true);
    // The channel slot was given back: the connection still runs commands.
    expect((await t.exec('n1', sh`echo ok`)).stdout).toBe('ok\n');
  });

  it('an AbortSignal kills the command and rejects with the abort reason', async () => {
    const f = await fixture();
    const { t } = transport(f.port);
    const pidFile = join(dir, 'abort.pid');
    const ac = new AbortController();
    const p = t.exec('n1', sh`echo $$ > ${pidFile}; exec sleep 30`, { signal: ac.signal });
    await sleep(300);
    ac.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    expect(await waitGone(Number(readFileSync(pidFile, 'utf8')))).toBe(true);
    await expect(t.exec('n1', sh`true`, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(f.running).toBe(0);
  });

  it('refuses unknown nodes and commands not built with sh', async () => {
    const { t } = transport(1);
    expect((await rejection(t.exec('nope', sh`true`))).code).toBe('UNKNOWN_NODE');
    expect(() => t.state('nope')).toThrow(AppError);
    const fake = { text: 'rm -rf /' } as unknown as ReturnType<typeof sh>;
    expect((await rejection(t.exec('n1', fake))).code).toBe('INTERNAL');
  });
});

describe('stream', () => {
  it('splits lines per stream as they arrive, across chunks, and flushes the last partial line', async () => {
    const f = await fixture();
    const { t } = transport(f.port);
    const lines: string[] = [];
    const script = sh`printf 'he'; sleep 0.05; printf 'llo\nwor'; sleep 0.05; printf 'ld\n\n'; printf 'oops\n' >&2
      printf '\\303'; sleep 0.05; printf '\\251\r\n50%%\r100%%\n'; printf 'tail'`;
    const r = await t.stream('n1', script, (line, s) => lines.push(`${s}:${line}`));
    expect(r.code).toBe(0);
    expect(lines.filter((l) => l.startsWith('stdout:'))).toEqual(
      ['hello', 'world', '', 'é', '50%', '100%', 'tail'].map((l) => `stdout:${l}`),
    );
    expect(lines).toContain('stderr:oops');
  });

  it('stops the command when aborted, and when onLine throws', async () => {
    const f = await fixture();
    const { t } = transport(f.port);
    const ac = new AbortController();
    const seen: string[] = [];
    const loop = sh`for i in $(seq 1 200); do echo $i; sleep 0.02; done`;
    const p = t.stream(
      'n1',
      loop,
      (line) => {
        seen.push(line);
        if (seen.length === 3) ac.abort();
      },
      { signal: ac.signal },
    );
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen.length).toBeLessThan(10);
    const boom = new Error('consumer failed');
    await expect(
      t.stream('n1', loop, () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
    await sleep(100);
    expect(f.running).toBe(0);
  });
});
