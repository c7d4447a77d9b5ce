import { describe, expect, it } from 'vitest';
import { exec, runOk, twoNodeCluster } from './testing.js';

const cluster = twoNodeCluster({ speed: 0.02 });
const run = runOk;
const vllmAnswers = async (): Promise<boolean> =>
  fetch(`${cluster.tc.sim.vllm.url}/health`).then(
    (r) => r.ok,
    () => false,
  );

describe('docker shim', () => {
  it('lists containers per node in docker’s table, names and JSON formats', async () => {
    const table = (await run(cluster.head, 'docker ps')).split('\n');
    expect(table[0]).toMatch(/^CONTAINER ID {3}IMAGE {7}COMMAND {12}CREATED {6}STATUS {7}PORTS {5}NAMES$/);
    expect(table[1]).toMatch(
      /^[0-9a-f]{12} {3}vllm-node {3}"sleep infinity" {3}2 days ago {3}Up 2 hours {13}vllm_node$/,
    );
    expect(await run(cluster.second, "docker ps -a --format '{{.Names}}'")).toBe(
      'parakeet-asr\nmagpie-tts\nmatrix-bridge\n',
    );
    const json = JSON.parse(
      await run(cluster.second, "docker ps --filter name=magpie --format '{{json .}}'"),
    );
    expect(json).toMatchObject({ Names: 'magpie-tts', State: 'running', Status: 'Up 2 hours' });
  });

  it('inspects in docker’s JSON shape and answers -f templates', async () => {
    const [obj] = JSON.parse(await run(cluster.head, 'docker inspect vllm_node'));
    expect(obj).toMatchObject({
      Name: '/vllm_node',
      RestartCount: 0,
      State: { Status: 'running', Running: true, Restarting: false },
      Config: { Image: 'vllm-node' },
    });
    expect(obj.State.StartedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    expect(
      await run(
        cluster.head,
        "docker inspect -f '{{.State.Status}} {{.State.Running}} {{.RestartCount}}' vllm_node",
      ),
    ).toBe('running true 0\n');
  });

  it('gives docker’s errors for unknown containers and flags', async () => {
    for (const cmd of ['stop', 'start', 'restart', 'logs']) {
      const r = await exec(cluster.head, `docker ${cmd} ghost`);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe('Error response from daemon: No such container: ghost\n');
    }
    const inspect = await exec(cluster.head, 'docker inspect ghost');
    expect([inspect.code, inspect.stdout, inspect.stderr]).toEqual([
      1,
      '[]\n',
      'Error: No such object: ghost\n',
    ]);
    const flag = await exec(cluster.head, 'docker ps --nope');
    expect(flag.code).toBe(125);
    expect(flag.stderr).toContain('unknown flag: --nope');
  });

  it('stop takes vLLM down and removes the --rm container; the launcher brings it back', async () => {
    expect(await vllmAnswers()).toBe(true);
    expect(await run(cluster.head, 'docker stop vllm_node')).toBe('vllm_node\n');
    expect(await vllmAnswers()).toBe(false);
    // launch-cluster.sh runs vllm_node with --rm: once stopped it is gone, like on a real Spark.
    expect(await run(cluster.head, "docker ps -a --format '{{.Names}}'")).toBe('');
    expect(await run(cluster.head, 'nvidia-smi --query-compute-apps=pid --format=csv,noheader')).toBe('');
    const inspect = await exec(cluster.head, "docker inspect -f '{{.State.Status}}' vllm_node");
    expect([inspect.code, inspect.stderr]).toEqual([1, 'Error: No such object: vllm_node\n']);
    const start = await exec(cluster.head, 'docker start vllm_node');
    expect([start.code, start.stderr]).toEqual([
      1,
      'Error response from daemon: No such container: vllm_node\n',
    ]);

    const port = cluster.tc.sim.vllm.port;
    const launch = await run(
      cluster.head,
      `cd "$HOME"/spark-vllm-docker && ./launch-cluster.sh --solo -d exec vllm serve Qwen/Qwen3-30B-A3B-Instruct-2507-FP8 --port ${port} --host 0.0.0.0`,
    );
    expect(launch).toContain('Command dispatched in background (Daemon mode). Container: vllm_node');
    for (let i = 0; i < 200 && !(await vllmAnswers()); i++) await new Promise((r) => setTimeout(r, 25));
    expect(await vllmAnswers()).toBe(true);
    const log = await run(cluster.head, 'docker logs --tail 3 vllm_node');
    expect(log).toMatch(/^\(APIServer pid=\d+\) INFO: {5}Application startup complete\.$/m);
    expect(await run(cluster.head, 'docker logs -t --tail 1 vllm_node')).toMatch(
      /^\d{4}-\d\d-\d\dT[\d:.]+Z \(APIServer/,
    );
  });

  it('restart keeps the container and updates StartedAt', async () => {
    const before = await run(cluster.second, "docker inspect -f '{{.State.StartedAt}}' parakeet-asr");
    expect(await run(cluster.second, 'docker restart parakeet-asr')).toBe('parakeet-asr\n');
    const after = await run(
      cluster.second,
      "docker inspect -f '{{.State.StartedAt}} {{.State.Status}}' parakeet-asr",
    );
    expect(after).not.toBe(before);
    expect(after.trim().endsWith(' running')).toBe(true);
  });

  it('logs -f follows new lines until the client closes the channel', async () => {
    const lines = await new Promise<string>((resolve, reject) => {
      cluster.head.exec('docker logs -f --tail 0 vllm_node', (err, stream) => {
        if (err) return reject(err);
        let out = '';
        stream.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('/v1/models')) stream.close();
        });
        stream.on('close', () => resolve(out));
        // Give tail a moment to start, then make vLLM write an access-log line.
        setTimeout(() => void fetch(`${cluster.tc.sim.vllm.url}/v1/models`), 150);
      });
    });
    expect(lines).toMatch(/INFO: {5}127\.0\.0\.1:\d+ - "GET \/v1\/models HTTP\/1\.1" 200 OK/);
  });
});
