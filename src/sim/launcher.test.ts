// The launcher and `vllm serve` over real SSH, driven exactly as the control plane drives them:
// `./launch-cluster.sh stop`, `… -d exec vllm serve …`, `docker logs`, `docker inspect`, the
// argument pre-flight via `docker exec`/`docker run --rm`, then /v1/models.
import type { Client } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, exec, type ExecOutput, startTestCluster, type TestCluster } from './testing.js';

const SPEED = 0.02;
let tc: TestCluster;
let head: Client;
let second: Client;
beforeAll(async () => {
  tc = await startTestCluster({ speed: SPEED });
  head = (await connect(tc.sim.nodes[0]!, tc.privateKey)).client;
  second = (await connect(tc.sim.nodes[1]!, tc.privateKey)).client;
});
afterAll(async () => {
  head.end();
  second.end();
  await tc.dispose();
});

const sh = (cmd: string, c: Client = head): Promise<ExecOutput> => exec(c, cmd);
/** A node that went down dropped its SSH sessions: open new ones once it is back. */
async function reconnect(): Promise<void> {
  head.end();
  second.end();
  head = (await connect(tc.sim.nodes[0]!, tc.privateKey)).client;
  second = (await connect(tc.sim.nodes[1]!, tc.privateKey)).client;
}
const launcher = (args: string): Promise<ExecOutput> =>
  sh(`cd "$HOME"/spark-vllm-docker && ./launch-cluster.sh ${args}`);
const serveArgs = (model: string, extra = ''): string =>
  `vllm serve ${model} --port ${tc.sim.vllm.port} --host 0.0.0.0 ${extra}`.trim();
const stop = async (): Promise<void> => {
  expect((await launcher('stop')).code).toBe(0);
};
const logs = async (): Promise<string> => (await sh('docker logs vllm_node 2>&1')).stdout;

async function until<T>(probe: () => Promise<T | null | false>, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
const models = (): Promise<{ data: { id: string; root: string; max_model_len: number }[] } | null> =>
  fetch(`${tc.sim.vllm.url}/v1/models`).then(
    (r) => r.json() as Promise<{ data: { id: string; root: string; max_model_len: number }[] }>,
    () => null,
  );
const refused = async (): Promise<boolean> => (await models()) === null;
const phase = async (): Promise<string> =>
  ((await (await fetch(`${tc.sim.controlUrl}/state`)).json()) as { vllm: { phase: string } }).vllm.phase;

/** Launches solo and returns how long it took until /v1/models listed the model. */
/** Launches solo and waits for /v1/models; returns the load time the engine logged (never wall time). */
async function launchSolo(model: string, extra = ''): Promise<number> {
  const r = await launcher(`--solo -d exec ${serveArgs(model, extra)}`);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  await until(async () => ((await models())?.data.length ?? 0) > 0, 10_000);
  const took = /Model loading took [\d.]+ GiB memory and ([\d.]+) seconds/.exec(await logs());
  expect(took).not.toBeNull();
  return Number(took![1]);
}

describe('spark-vllm-docker checkout', () => {
  it('is a real git clone tracking origin/main; upstream commits and local edits show up', async () => {
    const status = await sh('cd ~/spark-vllm-docker && git status -sb && ls');
    expect(status.stdout).toMatch(/^## main\.\.\.origin\/main\n/);
    expect(status.stdout).toContain('launch-cluster.sh');
    expect(status.stdout).toContain('build-and-copy.sh');
    const sha = tc.sim.faults.launcherCommit('Fix NCCL interface detection');
    const counts = await sh(
      'cd ~/spark-vllm-docker && git fetch -q && git rev-list --left-right --count HEAD...origin/main && git log --oneline HEAD..origin/main',
    );
    expect(counts.stdout).toBe(`0\t1\n${sha.slice(0, 7)} Fix NCCL interface detection\n`);
    tc.sim.faults.dirtyLauncher(true);
    expect((await sh('cd ~/spark-vllm-docker && git status --porcelain')).stdout).toBe(
      ' M launch-cluster.sh\n',
    );
    tc.sim.faults.dirtyLauncher(false);
    expect((await sh('cd ~/spark-vllm-docker && git status --porcelain')).stdout).toBe('');
  });

  it('build-and-copy.sh builds and copies the image with phased output', async () => {
    const r = await sh('cd ~/spark-vllm-docker && ./build-and-copy.sh -c');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Building vLLM from source[\s\S]*Copying image 'vllm-node' to 1 host\(s\)/);
    expect(r.stdout).toMatch(/Copy to 192\.0\.2\.\d+ completed in 00:00:\d\d/);
    const ids = await Promise.all(
      [head, second].map((c) => sh("docker image inspect -f '{{.Id}}' vllm-node", c)),
    );
    expect(ids[0]!.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
    expect(ids[1]!.stdout).toBe(ids[0]!.stdout);
  });
});

describe('launch-cluster.sh and vllm serve', () => {
  it('stops, then serves solo: /v1/models lists the model once loaded, sooner for smaller models', async () => {
    await stop();
    expect(await refused()).toBe(true);
    expect((await sh("docker inspect -f '{{.State.Running}}' vllm_node")).code).toBe(1);
    const small = await launchSolo('openai/gpt-oss-20b');
    const out = await logs();
    expect(out).toMatch(/Loading safetensors checkpoint shards: {3}0% Completed \| 0\/\d+/);
    expect(out).toMatch(/Model loading took [\d.]+ GiB memory and [\d.]+ seconds/);
    expect(out).toContain('Application startup complete.');
    await stop();
    const big = await launchSolo('openai/gpt-oss-120b', '--max-model-len=32k --served-model-name gpt');
    expect(big).toBeGreaterThan(small * 1.5);
    expect((await models())?.data[0]).toMatchObject({
      id: 'gpt',
      root: 'openai/gpt-oss-120b',
      max_model_len: 32000,
    });
    expect(
      (await sh('nvidia-smi --query-compute-apps=used_memory --format=csv,noheader,nounits')).stdout,
    ).toMatch(/^\d{5}\n$/);
  });

  it('skips the launch when vllm_node runs, and the second vllm serve dies on the taken port', async () => {
    const r = await launcher(`--solo -d exec ${serveArgs('openai/gpt-oss-20b')}`);
    expect(r.stdout).toContain('Cluster containers are already running. Skipping launch.');
    expect(r.stdout).toContain('Command dispatched in background (Daemon mode). Container: vllm_node');
    await until(async () => (await logs()).includes('OSError: [Errno 98] Address already in use'));
    expect((await models())?.data[0]?.id).toBe('gpt');
  });

  it('rejects an unknown flag with argparse’s text in the log; the process exits 2', async () => {
    await stop();
    const r = await launcher(`--solo -d exec ${serveArgs('openai/gpt-oss-20b', '--temperature 0.8')}`);
    expect(r.code).toBe(0);
    const out = await until(async () => {
      const l = await logs();
      return l.includes('vllm: error:') && l;
    });
    expect(out).toContain(
      'usage: vllm [-h] [-v] {chat,complete,serve,bench,collect-env,run-batch} ...\nvllm: error: unrecognized arguments: --temperature 0.8\n',
    );
    const direct = await sh(`docker exec vllm_node ${serveArgs('openai/gpt-oss-20b', '--temperature 0.8')}`);
    expect(direct.code).toBe(2);
    expect(direct.stderr).toMatch(/vllm: error: unrecognized arguments: --temperature 0\.8\n$/);
    expect(await refused()).toBe(true);
  });

  it('fails a multimodal model at engine init without enough batched tokens, and serves it with 16384', async () => {
    await stop();
    await launcher(`--solo -d exec ${serveArgs('Qwen/Qwen3-VL-30B-A3B-Instruct-FP8')}`);
    const out = await until(async () => {
      const l = await logs();
      return l.includes('Engine core initialization failed') && l;
    });
    expect(out).toMatch(/EngineCore failed to start\.\n.*Traceback \(most recent call last\):/);
    expect(out).toContain(
      'ValueError: Chunked MM input disabled but max_tokens_per_mm_item (2496) is larger than max_num_batched_tokens (2048). Please increase max_num_batched_tokens.',
    );
    expect(out).toMatch(
      /RuntimeError: Engine core initialization failed\. See root cause above\. Failed core proc\(s\): \{\}\n$/,
    );
    expect(await refused()).toBe(true);
    await stop();
    await launchSolo('Qwen/Qwen3-VL-30B-A3B-Instruct-FP8', '--max-num-batched-tokens=16384');
    expect((await models())?.data[0]?.id).toBe('Qwen/Qwen3-VL-30B-A3B-Instruct-FP8');
  });

  it('fails a hybrid Mamba model on the block size after the weights load', async () => {
    await stop();
    await launcher(`--solo -d exec ${serveArgs('Qwen/Qwen3-Next-80B-A3B-Instruct-FP8')}`);
    const out = await until(async () => {
      const l = await logs();
      return l.includes('Engine core initialization failed') && l;
    });
    expect(out).toContain('Model loading took');
    expect(out).toContain(
      'AssertionError: In Mamba cache align mode, block_size (2096) must be <= max_num_batched_tokens (2048).',
    );
  });

  it('runs the argument pre-flight in vllm_node, or in a throwaway container when it is stopped', async () => {
    const script = [
      '# spark-control: validate vllm serve args',
      'import json, sys',
      'from vllm.utils.argparse_utils import FlexibleArgumentParser',
      'from vllm.entrypoints.openai.cli_args import make_arg_parser',
      'make_arg_parser(FlexibleArgumentParser(prog="vllm serve")).parse_args(sys.argv[1:])',
      'print(json.dumps({"ok": True}))',
    ].join('\n');
    const argv = `--model openai/gpt-oss-20b --port 8000 --host 0.0.0.0 --enable-prefix-caching --moe_backend=flashinfer_cutlass`;
    const ok = await sh(`docker exec vllm_node python3 -c '${script}' ${argv}`);
    expect([ok.code, ok.stdout]).toEqual([0, '{"ok": true}\n']);
    const bad = await sh(
      `docker exec vllm_node python3 -c '${script}' openai/gpt-oss-20b --port 8000 --max-num-seqs x`,
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^usage: vllm serve \[-h\] \[--headless\]/);
    expect(bad.stderr).toMatch(/\nvllm serve: error: argument --max-num-seqs: invalid int value: 'x'\n$/);
    await stop();
    const running = await sh(`docker inspect -f '{{.State.Running}}' vllm_node 2>/dev/null || echo missing`);
    expect(running.stdout).toBe('missing\n');
    const thrown = await sh(`docker run --rm --entrypoint python3 vllm-node -c '${script}' ${argv}`);
    expect([thrown.code, thrown.stdout]).toEqual([0, '{"ok": true}\n']);
    expect((await sh("docker ps -a --format '{{.Names}}'")).stdout).toBe('');
  });

  it('streams new log lines to docker logs -f --tail 0 while loading, and ends when the container stops', async () => {
    await launcher(`--solo -d exec ${serveArgs('openai/gpt-oss-20b')}`);
    const seen = await new Promise<string>((resolve, reject) => {
      head.exec('docker logs -f --tail 0 vllm_node', (err, stream) => {
        if (err) return reject(err);
        let out = '';
        stream.on('data', (d: Buffer) => (out += d.toString()));
        stream.on('close', () => resolve(out));
        until(async () => out.includes('Application startup complete.'), 10_000)
          .then(() => stop())
          .catch(reject);
      });
    });
    expect(seen).toMatch(/Loading safetensors checkpoint shards: 100% Completed/);
    expect(seen.indexOf('Loading safetensors')).toBeLessThan(seen.indexOf('Application startup complete.'));
  });

  it('listens where --port says: another port loads fine but is never reachable on the configured one', async () => {
    await stop();
    const other = tc.sim.vllm.port === 8000 ? 8001 : 8000;
    await launcher(`--solo -d exec vllm serve openai/gpt-oss-20b --port ${other} --host 0.0.0.0`);
    await until(async () => (await logs()).includes('Application startup complete.'));
    expect(await logs()).toContain(`Starting vLLM API server 0 on http://0.0.0.0:${other}`);
    expect(await phase()).toBe('ready');
    expect(await refused()).toBe(true);
    await stop();
  });

  it('loses a load when the head goes down mid-way: the model is never listed', async () => {
    await launcher(`--solo -d exec ${serveArgs('openai/gpt-oss-120b')}`);
    await until(async () => (await logs()).includes('Loading safetensors checkpoint shards:   0%'));
    await tc.sim.faults.nodeDown('spark1');
    await tc.sim.faults.nodeUp('spark1');
    await new Promise((r) => setTimeout(r, (8 + 65.3 * 0.9) * 1000 * SPEED + 300));
    expect(await phase()).toBe('stopped');
    expect(await refused()).toBe(true);
    await reconnect();
  });
});

describe('cluster mode', () => {
  const cluster = (model: string, extra: string): Promise<ExecOutput> =>
    launcher(`-n 127.0.0.1,127.0.0.1 -d exec ${serveArgs(model, extra)}`);

  it('fails at the SSH check when a worker is down', async () => {
    await stop();
    await tc.sim.faults.nodeDown('spark2');
    try {
      const r = await cluster('nvidia/Qwen3-235B-A22B-FP4', '-tp 2');
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('Checking SSH connectivity to worker nodes...');
      expect(r.stdout).toMatch(
        /Error: Passwordless SSH to 127\.0\.0\.1 failed\.\n {2}Please ensure SSH keys/,
      );
    } finally {
      await tc.sim.faults.nodeUp('spark2');
      await reconnect();
    }
  });

  it('serves a model too big for one Spark across both, with GPU memory on each', async () => {
    const r = await cluster(
      'nvidia/Qwen3-235B-A22B-FP4',
      '--tensor-parallel-size=2 --distributed-executor-backend=ray',
    );
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain('  SSH to 127.0.0.1: OK');
    expect(r.stdout).toContain('Verifying Docker image consistency across cluster nodes...');
    expect(r.stdout).toMatch(
      /Executing command on head node \(rank 0\): vllm serve .* --nnodes 2 --node-rank 0 /,
    );
    await until(async () => ((await models())?.data.length ?? 0) > 0, 10_000);
    for (const c of [head, second]) {
      const apps = await sh(
        'nvidia-smi --query-compute-apps=process_name,used_memory --format=csv,noheader',
        c,
      );
      expect(apps.stdout).toMatch(/VLLM::EngineCore, \d+ MiB/);
    }
    expect((await sh('docker logs vllm_node', second)).stdout).toContain(
      'Launching headless engine core: node rank 1 of 2',
    );
  });

  it('dies on NCCL when a worker drops mid-load; the model never shows up', async () => {
    await stop();
    expect((await sh("docker ps --format '{{.Names}}'", second)).stdout).not.toContain('vllm_node');
    await cluster('nvidia/Qwen3-235B-A22B-FP4', '-tp 2');
    await until(async () => (await logs()).includes('Loading safetensors checkpoint shards:   0%'));
    await tc.sim.faults.nodeDown('spark2');
    const out = await until(async () => {
      const l = await logs();
      return l.includes('Engine core initialization failed') && l;
    });
    expect(out).toMatch(/NCCL error: remote process exited or there was a network error/);
    await tc.sim.faults.nodeUp('spark2');
    await reconnect();
    expect(await refused()).toBe(true);
    expect(await phase()).toBe('stopped');
  });
});
