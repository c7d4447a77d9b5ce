// The launcher's re-parsing of `exec` words, in both simulated versions, and `vllm serve --config`
// on every rank. These show the simulator reproduces the real launcher's holes (so the injection
// property test in test/integration would notice if the control plane sent an unsafe word).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { findFiles, vllmArgvLog } from './argv-log.js';
import { connect, exec, startTestCluster, type TestCluster } from './testing.js';

vi.setConfig({ testTimeout: 30_000 });
let tc: TestCluster;
let head: Client;
beforeAll(async () => {
  tc = await startTestCluster({ speed: 0.02 });
  head = (await connect(tc.sim.nodes[0]!, tc.privateKey)).client;
});
afterAll(async () => {
  head.end();
  await tc.dispose();
});

const launcher = (args: string) => exec(head, `cd "$HOME"/spark-vllm-docker && ./launch-cluster.sh ${args}`);
const serve = (extra: string) =>
  `vllm serve Qwen/Qwen3-30B-A3B-Instruct-2507-FP8 --port ${tc.sim.vllm.port} --host 0.0.0.0 ${extra}`;
const CLUSTER = '-n 127.0.0.1,127.0.0.1 -d exec';

async function until<T>(
  probe: () => T | null | false | undefined | Promise<T | null | false | undefined>,
  ms = 8000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
const canaries = () => findFiles(tc.dataDir, 'canary');
const removeCanaries = () => canaries().forEach((p) => rmSync(p, { force: true }));
const count = (node: string) => vllmArgvLog(tc.dataDir, node).length;
/** The argv record of the next `vllm` process on `node` after `seen` records. */
const nextArgv = (node: string, seen: number) => until(() => vllmArgvLog(tc.dataDir, node)[seen]);

describe('launcher versions', () => {
  it("current: printf %q then the no-Ray sed let the issue's C1 payload run as shell (modelled hole)", async () => {
    removeCanaries();
    const r = await launcher(
      `${CLUSTER} ${serve(`$'\\u0085 --distributed-executor-backend=z' $'\\u0085;touch canary;#'`)}`,
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(await until(() => canaries().length > 0 && canaries())).not.toHaveLength(0);
    await launcher('stop');
    removeCanaries();
  });

  it('legacy: joins the exec words unquoted into bash -c, so a plain ; runs (modelled hole)', async () => {
    const sha = tc.sim.faults.launcherVersion('legacy');
    try {
      const log = await exec(
        head,
        'cd ~/spark-vllm-docker && git rev-parse HEAD && git rev-list --count HEAD..origin/main',
      );
      expect(log.stdout).toBe(`${sha}\n1\n`);
      expect(
        (await exec(head, 'grep -c \'COMMAND_TO_RUN="$@"\' ~/spark-vllm-docker/launch-cluster.sh')).stdout,
      ).toBe('1\n');
      const r = await launcher(`--solo -d exec ${serve(`--x ';touch canary;#'`)}`);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      await until(() => canaries().length > 0);
      await launcher('stop');
      removeCanaries();
    } finally {
      tc.sim.faults.launcherVersion('current');
    }
    expect((await exec(head, 'cd ~/spark-vllm-docker && git status -sb')).stdout).toBe(
      '## main...origin/main\n',
    );
  });
});

describe('vllm serve --config', () => {
  const hostFile = (node: number) =>
    join(tc.sim.nodes[node]!.home, '.cache/huggingface/spark-control/t.yaml');
  const yaml = 'served-model-name: ["my model", "b$(id)"]\nhf-overrides: "{\\"x\\": 1}"\n';

  it('expands the file on every rank, from the HF cache the launcher mounts', async () => {
    for (const n of [0, 1]) {
      mkdirSync(join(hostFile(n), '..'), { recursive: true });
      writeFileSync(hostFile(n), yaml);
    }
    const seen = [count('spark1'), count('spark2')] as const;
    const r = await launcher(`${CLUSTER} ${serve('--config /root/.cache/huggingface/spark-control/t.yaml')}`);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const fromFile = ['--served-model-name', 'my model', 'b$(id)', '--hf-overrides', '{"x": 1}'];
    const headArgv = await nextArgv('spark1', seen[0]);
    expect(headArgv.expanded?.slice(0, 7)).toEqual([
      'serve',
      'Qwen/Qwen3-30B-A3B-Instruct-2507-FP8',
      ...fromFile,
    ]);
    expect(headArgv.expanded?.slice(-8)).toEqual([
      '--nnodes',
      '2',
      '--node-rank',
      '0',
      '--master-addr',
      '127.0.0.1',
      '--master-port',
      '29501',
    ]);
    const worker = await nextArgv('spark2', seen[1]);
    expect(worker.expanded?.slice(2, 7)).toEqual(fromFile);
    expect(worker.expanded).toContain('--headless');
    const served = await until(async () => {
      const res = await fetch(`${tc.sim.vllm.url}/v1/models`).then(
        (x) => x.json() as Promise<{ data: { id: string }[] }>,
        () => null,
      );
      return res?.data.length ? res : null;
    }, 10_000);
    expect(served.data.map((m) => m.id)).toEqual(['my model', 'b$(id)']);
    await launcher('stop');
  });

  it('fails like vLLM on the rank whose node lacks the file', async () => {
    rmSync(hostFile(1));
    const before = count('spark2');
    await launcher(`${CLUSTER} ${serve('--config /root/.cache/huggingface/spark-control/t.yaml')}`);
    expect((await nextArgv('spark2', before)).expanded).toBeNull();
    const second = (await connect(tc.sim.nodes[1]!, tc.privateKey)).client;
    try {
      const logs = await until(async () => {
        const l = (await exec(second, 'docker logs vllm_node 2>&1')).stdout;
        return l.includes('FileNotFoundError') ? l : null;
      });
      expect(logs).toContain(
        "FileNotFoundError: [Errno 2] No such file or directory: '/root/.cache/huggingface/spark-control/t.yaml'",
      );
    } finally {
      second.end();
    }
    await launcher('stop');
  });
});
