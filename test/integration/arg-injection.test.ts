// Issue 7: no vLLM argument can reach a shell through the launcher. Hostile arguments go through
// the API (custom entry, pre-flight, swap) and the real simulated launcher — both versions, solo
// and cluster, with and without Ray — and either are refused with a 400, or arrive in every rank's
// argv exactly as intended (after vLLM's --config expansion) while no canary file ever appears.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogModel, SwapInfo, ValidateResponse } from '../../src/common/api.js';
import {
  launchCommand,
  planArgs,
  stopCommand,
  writeConfigCommand,
  type LaunchTarget,
} from '../../src/server/modules/swap/launch-command.js';
import { sh } from '../../src/server/platform/remote/sh.js';
import { findFiles, vllmArgvLog } from '../../src/sim/argv-log.js';
import { writeHubRepo } from '../../src/sim/hf-cache.js';
import { getJson, startTestCluster, waitFor, type TestCluster } from '../helpers/harness.js';

type Err = { error: { code: string; message: string } };
const MODEL = 'Qwen/Qwen3-30B-A3B-Instruct-2507-FP8';

let c: TestCluster;
let target: LaunchTarget;
const simDir = () => join(c.dataDir, 'sim');
const canaries = () => findFiles(c.dataDir, 'canary');

const post = <T>(path: string, body?: unknown) =>
  getJson<T>(`${c.url}${path}`, {
    method: 'POST',
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });

/** Adds a custom model of the simulator's size-31 test repo with these vLLM arguments. */
const addModel = <T = unknown>(key: string, mode: 'solo' | 'cluster', vllm_args: string[]) =>
  post<T>('/api/models', { key, display_name: key, repo: MODEL, size_gb: 31, mode, vllm_args });

beforeAll(async () => {
  c = await startTestCluster({ speed: 0.02 });
  // The custom models below run MODEL in cluster mode too: its weights on every node (the demo has
  // it on the head only, where the catalog's solo entry runs).
  writeHubRepo(c.sim.nodes[1]!.home, MODEL);
  target = {
    nodes: c.config.nodes,
    port: c.config.vllm.port,
    container: c.config.vllm.container,
    launcherDir: c.config.vllm.launcher_dir,
  };
});
afterAll(async () => {
  await c?.close();
});

async function finished(id: string): Promise<SwapInfo> {
  return waitFor(async () => {
    const s = (await getJson<SwapInfo>(`${c.url}/api/swap/${id}`)).body;
    return ['ready', 'failed', 'cancelled'].includes(s.state) ? s : null;
  }, 45_000);
}

// ── What vLLM should receive, computed independently of the production grammar ──────────────
const SAFE = /^[A-Za-z0-9_@%+:,./=-]+$/;
const isFlag = (t: string) => t.startsWith('-') && !/^-\d/.test(t);

/** The argv vLLM's parser should see: model, the values that needed quoting (as --key values), the rest. */
function intendedArgv(args: readonly string[], port: number): string[] {
  const groups: string[][] = [];
  for (const t of args) {
    if (isFlag(t) || groups.length === 0) groups.push([t]);
    else groups.at(-1)!.push(t);
  }
  const fileBound: string[] = [];
  const cli: string[] = [];
  for (const [flag, ...values] of groups) {
    const eq = flag!.startsWith('--') ? flag!.indexOf('=') : -1;
    const inline = eq < 0 ? [] : [flag!.slice(eq + 1)];
    if ([...inline, ...values].some((v) => !SAFE.test(v)))
      fileBound.push(eq < 0 ? flag! : flag!.slice(0, eq), ...inline, ...values);
    else cli.push(flag!, ...values);
  }
  return ['serve', MODEL, ...fileBound, '--port', String(port), '--host', '0.0.0.0', ...cli];
}

type Mode = 'solo' | 'cluster' | 'ray';
const headIp = () => target.nodes[0]!.qsfp_ip ?? target.nodes[0]!.host;
/** What the launcher adds for each rank (documented spark-vllm-docker behaviour). */
function rankSuffix(mode: Mode, rank: number): string[] {
  if (mode === 'solo') return [];
  if (mode === 'ray') return ['--distributed-executor-backend', 'ray'];
  const base = [
    '--nnodes',
    '2',
    '--node-rank',
    String(rank),
    '--master-addr',
    headIp(),
    '--master-port',
    '29501',
  ];
  return rank === 0 ? base : [...base, '--headless'];
}

// ── Hostile input ─────────────────────────────────────────────────────────────────────────────
const PAYLOADS = [
  '$(touch canary)',
  '`touch canary`',
  ';touch canary;#',
  "'; touch canary; '",
  '"$(touch canary)"',
  '\u0085;touch canary;#',
  '\u0085 --distributed-executor-backend=z',
  '\u009b;touch canary',
  'a\nb;touch canary',
  '--x=$(touch canary)',
  '{"level": 3, "x": "$(touch canary)"}',
  '-O3',
  '--port',
  '~/canary',
  'canary*',
  'héllo wörld 😀 $(touch canary)',
  'a\u202eb',
  'a\u00a0b',
  'a\\b;touch canary',
  '$HOME/canary',
  '&& touch canary',
  '| touch canary',
  '> canary',
  '{a,b}',
  '#canary',
  '!touch',
];
const safeWord = fc.stringMatching(/^[A-Za-z0-9_@%+:,./=-]{1,10}$/).filter((w) => !w.startsWith('-'));
const value = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...PAYLOADS) },
  { weight: 2, arbitrary: safeWord },
  {
    weight: 1,
    arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }).map((s) => `${s};touch canary`),
  },
);
const flagName = fc.stringMatching(/^[a-z0-9]{1,6}$/).map((n) => `--sc-${n}`);
const group = fc.oneof(
  flagName.map((f) => [f]),
  fc.tuple(flagName, value).map(([f, v]) => [`${f}=${v}`]),
  fc.tuple(flagName, fc.array(value, { minLength: 1, maxLength: 2 })).map(([f, vs]) => [f, ...vs]),
);
const argsArb = fc
  .array(group, { minLength: 1, maxLength: 4 })
  .map((gs) => gs.flat())
  // One spelling per flag: a repeated flag whose value needs the file is refused (tested elsewhere).
  .filter((a) => new Set(a.filter(isFlag).map((f) => f.split('=')[0])).size === a.filter(isFlag).length);

let keys = 0;
const COMBOS: { version: 'current' | 'legacy'; mode: Mode }[] = [
  { version: 'current', mode: 'solo' },
  { version: 'legacy', mode: 'cluster' },
  { version: 'current', mode: 'ray' },
  { version: 'legacy', mode: 'solo' },
  { version: 'current', mode: 'cluster' },
  { version: 'legacy', mode: 'ray' },
];

/**
 * Both nodes' containers, started once: every launch below then execs into them ("already
 * running"), like repeated swaps on a cluster that stays up. Each vLLM exits at once on its
 * unknown --sc-* flags, after the simulator has recorded its argv.
 */
async function startContainers(): Promise<void> {
  const ips = target.nodes.map((n) => n.qsfp_ip ?? n.host).join(',');
  const r = await c.transport.exec(
    target.nodes[0]!.name,
    sh`${stopCommand(target)} && ./launch-cluster.sh -n ${ips} -d start`,
    { timeoutMs: 60_000 },
  );
  expect(r.code, r.stdout + r.stderr).toBe(0);
}

/** Launches `m` with the server's own builders over its SSH transport and returns each rank's argv. */
async function launchAndRecord(m: CatalogModel, mode: Mode, id: string): Promise<(string[] | null)[]> {
  const t: LaunchTarget = { ...target, ray: mode === 'ray' };
  const model = { ...m, mode: mode === 'solo' ? ('solo' as const) : ('cluster' as const) };
  const plan = planArgs(model, id);
  const nodes = mode === 'solo' ? [target.nodes[0]!] : target.nodes;
  if (plan.config) {
    for (const n of nodes) {
      const w = await c.transport.exec(n.name, writeConfigCommand(plan.config.name), {
        stdin: plan.config.yaml,
      });
      expect(w.code, w.stderr).toBe(0);
    }
  }
  const ranks = mode === 'cluster' ? nodes : [target.nodes[0]!];
  const seen = ranks.map((n) => vllmArgvLog(simDir(), n.name).length);
  const r = await c.transport.exec(target.nodes[0]!.name, launchCommand(model, t, plan), {
    timeoutMs: 60_000,
  });
  expect(r.code, r.stdout + r.stderr).toBe(0);
  return Promise.all(
    ranks.map(
      async (n, i) => (await waitFor(() => vllmArgvLog(simDir(), n.name)[seen[i]!], 15_000, 25)).expanded,
    ),
  );
}

describe('arguments that survive every hop', () => {
  it("refuses the issue's reproduction on a cluster-mode custom model; the swap has nothing to run", async () => {
    const add = await addModel<Err>('c1-repro', 'cluster', [
      '\u0085 --distributed-executor-backend=z',
      '\u0085;touch canary;#',
    ]);
    expect(add.status).toBe(400);
    expect(add.body.error.code).toBe('INVALID_INPUT');
    expect(add.body.error.message).toContain('vllm_args[0] contains U+0085 (a control character)');
    expect(add.body.error.message).toContain('vllm_args[1] contains U+0085 (a control character)');
    const swap = await post<Err>('/api/swap', { key: 'c1-repro' });
    expect(swap.status).toBe(404);
    expect(canaries()).toEqual([]);
  });

  it.each(['current', 'legacy'] as const)(
    'swaps a cluster model whose values need quoting to ready with the %s launcher; every rank gets them verbatim',
    async (version) => {
      c.sim.faults.launcherVersion(version);
      const key = `quoted-${version}`;
      const args = [
        '--served-model-name',
        `it's "mine"; $(touch canary) ${version}`,
        '--hf-overrides',
        '{"rope_scaling": {"factor": 2, "note": "`touch canary`"}}',
        '--max-model-len=8192',
      ];
      const add = await addModel<CatalogModel>(key, 'cluster', args);
      expect(add.status, JSON.stringify(add.body)).toBe(201);
      const seen = ['spark1', 'spark2'].map((n) => vllmArgvLog(simDir(), n).length);
      const start = await post<{ id: string }>('/api/swap', { key });
      expect(start.status).toBe(200);
      const s = await finished(start.body.id);
      expect(s.state, s.error ?? '').toBe('ready');
      expect(s.launch_cmd).toContain(`--config /root/.cache/huggingface/spark-control/${start.body.id}.yaml`);
      expect(s.launch_cmd).not.toContain('touch canary');
      const intended = intendedArgv(args, c.config.vllm.port);
      const [head, worker] = ['spark1', 'spark2'].map((n, i) => vllmArgvLog(simDir(), n)[seen[i]!]!.expanded);
      expect(head).toEqual([...intended, ...rankSuffix('cluster', 0)]);
      expect(worker).toEqual([...intended, ...rankSuffix('cluster', 1)]);
      const models = (await (await fetch(`${c.sim.vllm.url}/v1/models`)).json()) as {
        data: { id: string }[];
      };
      expect(models.data.map((m) => m.id)).toEqual([args[1]]);
      expect(canaries()).toEqual([]);
    },
  );

  it('fails the swap with a clear message when the config file cannot be written, and releases the lock', async () => {
    c.sim.faults.launcherVersion('current');
    const add = await addModel('quoted-blocked', 'cluster', ['--served-model-name', 'blocked model']);
    expect(add.status).toBe(201);
    const blocker = join(c.sim.nodes[1]!.home, '.cache/huggingface/spark-control');
    rmSync(blocker, { recursive: true, force: true });
    mkdirSync(join(blocker, '..'), { recursive: true });
    writeFileSync(blocker, 'not a directory');
    try {
      const start = await post<{ id: string }>('/api/swap', { key: 'quoted-blocked' });
      expect(start.status).toBe(200);
      const s = await finished(start.body.id);
      expect(s.state).toBe('failed');
      expect(s.error).toMatch(
        /^Could not write the vLLM config file \(spark2: .*(File exists|Not a directory)/,
      );
    } finally {
      rmSync(blocker, { force: true });
    }
    const again = await post<{ id: string }>('/api/swap', { key: 'quoted-blocked' });
    expect(again.status).toBe(200);
    expect((await finished(again.body.id)).state).toBe('ready');
  });

  it('pre-flights with the same config file, in the running container and in a throwaway one', async () => {
    const preflights = () => findFiles(simDir(), 'preflight-');
    const quoted = await addModel('quoted-preflight', 'cluster', [
      '--served-model-name',
      "it's mine",
      '--hf-overrides',
      '{"a": "$(touch canary)"}',
    ]);
    expect(quoted.status).toBe(201);
    const running = await post<ValidateResponse>('/api/swap/quoted-preflight/validate');
    expect(running.body, JSON.stringify(running.body)).toMatchObject({ ok: true, stage: 'done' });
    expect(running.body.launch_cmd).toMatch(
      /--config \/root\/.cache\/huggingface\/spark-control\/preflight-[0-9a-f]+\.yaml$/,
    );
    expect(preflights()).toEqual([]);
    await c.transport.exec(target.nodes[0]!.name, stopCommand(target), { timeoutMs: 30_000 });
    const throwaway = await post<ValidateResponse>('/api/swap/quoted-preflight/validate');
    expect(throwaway.body, JSON.stringify(throwaway.body)).toMatchObject({ ok: true, stage: 'done' });
    const add = await addModel('bad-json', 'solo', ['--hf-overrides', '{not json']);
    expect(add.status).toBe(201);
    const bad = await post<ValidateResponse>('/api/swap/bad-json/validate');
    expect(bad.body).toMatchObject({ ok: false, stage: 'argparse' });
    expect(bad.body.error).toMatch(/argument --hf-overrides: Value \{not json cannot be converted/);
    expect(preflights()).toEqual([]);
  });

  it('property: random hostile args are refused with 400, or reach every rank exactly as intended', async () => {
    c.sim.faults.launcherVersion('current');
    await startContainers();
    let run = 0;
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(argsArb, async (args) => {
        const combo = COMBOS[run++ % COMBOS.length]!;
        const key = `prop-${keys++}`;
        const add = await addModel<CatalogModel & Err>(key, 'cluster', args);
        if (add.status === 400) {
          expect(add.body.error.code).toBe('INVALID_INPUT');
          expect(add.body.error.message).toMatch(/vllm_args\[\d+\]/);
          return;
        }
        expect(add.status, JSON.stringify(add.body)).toBe(201);
        accepted++;
        if (run % 2 === 1) {
          // The pre-flight (vLLM's parser in the container, same config file) on every other run.
          const check = await post<ValidateResponse>(`/api/swap/${key}/validate`);
          expect(check.status).toBe(200);
          expect(check.body.cmd_args.slice(5)).toEqual(add.body.effective_args);
          expect(check.body).toMatchObject({ ok: false, stage: 'argparse' });
          expect(check.body.error).toMatch(/unrecognized arguments: --sc-/);
        }
        c.sim.faults.launcherVersion(combo.version);
        const ranks = await launchAndRecord(add.body, combo.mode, `swap_prop${run}`);
        const intended = intendedArgv(args, c.config.vllm.port);
        ranks.forEach((argv, rank) =>
          expect(argv, `${combo.version} ${combo.mode} rank ${rank}`).toEqual([
            ...intended,
            ...rankSuffix(combo.mode, rank),
          ]),
        );
        expect(canaries()).toEqual([]);
        expect((await getJson(`${c.url}/api/models/${key}`, { method: 'DELETE' })).status).toBe(200);
      }),
      { seed: 20261201, numRuns: 18, endOnFailure: true },
    );
    expect(accepted).toBeGreaterThanOrEqual(COMBOS.length);
    expect(canaries()).toEqual([]);
    await c.transport.exec(target.nodes[0]!.name, stopCommand(target), { timeoutMs: 30_000 });
  }, 120_000);
});
