// The CLI as a real child process (`node --import tsx src/cli/main.ts`, clean environment) against
// a real app with admin auth on, over the simulated cluster: exit codes, the token, lock and swap.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LockResponse, ModelsResponse, StatusResponse, SwapInfo } from '../../src/common/api.js';
import { getJson, startTestCluster, waitFor, type TestCluster } from '../helpers/harness.js';
import { freePort } from '../helpers/server-process.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const TOKEN = randomBytes(16).toString('hex'); // 32 characters

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI with only PATH and `env` in its environment, never the developer's. Node loads tsx
 * itself: `npx tsx` would add npx's start-up and a second node process (~1.5 s CPU) to every run.
 */
function cli(
  args: string[],
  env: Record<string, string> = {},
  /** Sends the process SIGINT (Ctrl-C) once its output so far satisfies this. */
  interruptWhen?: (stdout: string) => boolean,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (interruptWhen && !interrupted && interruptWhen(stdout)) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('spark-control CLI', () => {
  let c: TestCluster;
  const runs: Run[] = [];
  const auth = { authorization: `Bearer ${TOKEN}` };
  const run = async (
    args: string[],
    env: Record<string, string> = {},
    interruptWhen?: (stdout: string) => boolean,
  ) => {
    const r = await cli(['--url', c.url, ...args], env, interruptWhen);
    runs.push(r);
    return r;
  };
  const withToken = (args: string[], interruptWhen?: (stdout: string) => boolean) =>
    run(args, { SPARK_CONTROL_TOKEN: TOKEN }, interruptWhen);

  beforeAll(async () => {
    c = await startTestCluster({
      speed: 0.03,
      env: { ADMIN_TOKENS: `cli-test:${TOKEN}` },
      // Fewer background probes: the CLI processes need the shared CPU more than fresh charts.
      timings: { hardwareIntervalMs: 5000, statusIntervalMs: 1000 },
    });
    await waitFor(
      async () => (await getJson<StatusResponse>(`${c.url}/api/status`, { headers: auth })).body.vllm.model,
    );
  });
  afterAll(async () => {
    await c?.close();
  });

  // Runs that do not depend on each other start together: each CLI start costs seconds here.
  it('without a token: exit 4 with the hint; a wrong token is refused too', async () => {
    const [none, wrong] = await Promise.all([
      run(['lock', 'acquire', '--holder', 'x', '--ttl', '60']),
      run(['status', '--token', 'not-the-right-token-0123456789']),
    ]);
    expect(none!.code, none!.stderr).toBe(4);
    expect(none!.stderr).toContain('admin auth is on: pass --token or SPARK_CONTROL_TOKEN');
    expect(none!.stdout).toBe('');
    expect((await getJson<LockResponse>(`${c.url}/api/swap/lock`, { headers: auth })).body.locked).toBe(
      false,
    );
    expect(wrong!.code).toBe(4);
    expect(wrong!.stderr).toContain('admin auth is on: the token was not accepted');
    expect(wrong!.stderr).not.toContain('not-the-right-token-0123456789');
  });

  it('status --json shows vLLM loaded, with --token and with SPARK_CONTROL_TOKEN', async () => {
    const [flag, env, human] = await Promise.all([
      run(['status', '--json', '--token', TOKEN]),
      withToken(['status', '--json']),
      withToken(['status']),
    ]);
    for (const r of [flag!, env!]) {
      expect(r.code, r.stderr).toBe(0);
      const st = JSON.parse(r.stdout) as StatusResponse;
      expect(st.vllm.state).toBe('loaded');
      expect(st.vllm.model).toEqual(expect.any(String));
    }
    expect(human!.code).toBe(0);
    expect(human!.stdout).toMatch(/^vLLM\s+loaded\s+\S+/m);
    expect(human!.stdout).toMatch(/^Parakeet\s+(ok|down)/m);
  });

  it('lock acquire / show / release round trip; refused (5) for another holder', async () => {
    const acquired = await withToken([
      'lock',
      'acquire',
      '--holder',
      'nightly-eval',
      '--ttl',
      '600',
      '--reason',
      'eval run',
    ]);
    expect(acquired.code, acquired.stderr).toBe(0);
    expect(acquired.stdout).toMatch(/held by nightly-eval until .* \(eval run\)/);

    const [shown, other, swapRefused, badHolder] = await Promise.all([
      withToken(['lock', 'show', '--json']),
      withToken(['lock', 'release', '--holder', 'someone-else']),
      withToken(['swap', 'qwen3-30b-a3b']),
      withToken(['lock', 'acquire', '--holder', 'bad/holder', '--ttl', '60']),
    ]);
    expect(JSON.parse(shown!.stdout)).toMatchObject({
      locked: true,
      lock: { holder: 'nightly-eval', reason: 'eval run' },
    });
    expect(other!.code).toBe(5);
    expect(other!.stderr).toMatch(/held by nightly-eval/);
    expect(swapRefused!.code).toBe(5);
    expect(swapRefused!.stderr).toMatch(/The GPU is locked by nightly-eval/);
    expect(badHolder!.code).toBe(2);
    expect(badHolder!.stderr).toMatch(/holder/);

    const released = await withToken(['lock', 'release', '--holder', 'nightly-eval']);
    expect(released.code, released.stderr).toBe(0);
    expect(released.stdout.trim()).toBe('GPU lock: free');
    expect((await getJson<LockResponse>(`${c.url}/api/swap/lock`, { headers: auth })).body.locked).toBe(
      false,
    );
  });

  it('swap <key> --wait follows the phases to ready', async () => {
    const models = (await getJson<ModelsResponse>(`${c.url}/api/models`, { headers: auth })).body.models;
    const target = models.find((m) => m.mode === 'solo' && !m.loaded && m.warnings.length === 0)!;
    const r = await withToken(['swap', target.key, '--wait']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^Swap swap_\S+ started$/);
    expect(lines.at(-1)).toMatch(/\] ready: /);
    expect(lines.length).toBeGreaterThan(2);
    const id = /^Swap (\S+) started/.exec(lines[0]!)![1]!;
    const s = (await getJson<SwapInfo>(`${c.url}/api/swap/${id}`, { headers: auth })).body;
    expect(s).toMatchObject({ state: 'ready', key: target.key });
    const st = (await getJson<StatusResponse>(`${c.url}/api/status`, { headers: auth })).body;
    expect(st.vllm.model).toBe(target.served_model_name);
  });

  it('Ctrl-C while it waits for a swap: exit 130 saying the swap goes on, and it does', async () => {
    const models = (await getJson<ModelsResponse>(`${c.url}/api/models`, { headers: auth })).body.models;
    const target = models.find((m) => m.mode === 'solo' && !m.loaded && m.warnings.length === 0)!;
    // Interrupted as soon as it says the swap started: it is then waiting for the phases.
    const r = await withToken(['swap', target.key, '--wait'], (out) => /^Swap \S+ started$/m.test(out));
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/Stopped waiting: .* goes on on the server\./);
    const id = /^Swap (\S+) started/m.exec(r.stdout)![1]!;
    const done = await waitFor(async () => {
      const s = (await getJson<SwapInfo>(`${c.url}/api/swap/${id}`, { headers: auth })).body;
      return s.state === 'ready' || s.state === 'failed' || s.state === 'cancelled' ? s : null;
    }, 60_000);
    expect(done).toMatchObject({ state: 'ready', key: target.key });
  });

  it('an unknown key is the server’s 404 (6), a malformed one a usage error (2), a dead server exit 3', async () => {
    const port = await freePort();
    const [unknown, malformed, dead] = await Promise.all([
      withToken(['swap', 'no-such-model', '--wait']),
      withToken(['swap', 'Not A Key']),
      cli(['status', '--url', `http://127.0.0.1:${port}`], { SPARK_CONTROL_TOKEN: TOKEN }),
    ]);
    runs.push(dead!);
    expect(unknown!.code).toBe(6);
    expect(unknown!.stderr).toContain('No model "no-such-model" in the catalog.');
    expect(malformed!.code).toBe(2);
    expect(malformed!.stderr).toMatch(/a model key is 1-64 lowercase letters/);
    expect(dead!.code).toBe(3);
    expect(dead!.stderr).toMatch(/Cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/);
  });

  it('never prints the token', () => {
    expect(runs.length).toBe(16);
    for (const r of runs) {
      expect(r.stdout).not.toContain(TOKEN);
      expect(r.stderr).not.toContain(TOKEN);
    }
  });
});
