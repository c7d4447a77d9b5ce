// `docker top` on a simulated Spark (the control plane's engine-liveness probe) and the vllmDie
// fault: a `vllm serve` started by the launcher shows as a process of vllm_node until it dies.
import { describe, expect, it } from 'vitest';
import { exec, runOk, twoNodeCluster } from './testing.js';

const cluster = twoNodeCluster({ speed: 0.02 });

const launch = (port: number) =>
  `cd "$HOME"/spark-vllm-docker && ./launch-cluster.sh stop >/dev/null && ./launch-cluster.sh --solo -d exec vllm serve Qwen/Qwen3-30B-A3B-Instruct-2507-FP8 --port ${port} --host 0.0.0.0`;

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 25));
  expect(await check()).toBe(true);
}

describe('docker top', () => {
  it('prints ps -ef columns through docker’s tabwriter, PID 1 first', async () => {
    const [header, first, ...rest] = (await runOk(cluster.head, 'docker top vllm_node')).split('\n');
    expect(header).toMatch(/^UID {17}PID {17}PPID {16}C {19}STIME {15}TTY {17}TIME {16}CMD$/);
    expect(first).toMatch(/^root {16}\d+ +\d+ +0 +\d\d:\d\d +\? +00:00:00 +sleep infinity$/);
    expect(rest.filter(Boolean)).toEqual([]);
  });

  it('lists the vllm serve process with -eo pid,args until the engine dies, then only PID 1', async () => {
    await runOk(cluster.head, launch(cluster.tc.sim.vllm.port));
    const top = () => runOk(cluster.head, 'docker top vllm_node -eo pid,args');
    await until(async () => /vllm serve/.test(await top()));
    const rows = (await top()).trimEnd().split('\n');
    expect(rows[0]).toMatch(/^PID {17}COMMAND$/);
    expect(rows).toContainEqual(
      expect.stringMatching(/^\d+ +\/usr\/bin\/python3 \/usr\/local\/bin\/vllm serve Qwen\/Qwen3-30B/),
    );
    // The simulator's plumbing (log stamping, curl to the control API) is not a container process.
    expect(rows.join('\n')).not.toMatch(/curl|stamp|SIM_/);

    const res = await fetch(`${cluster.tc.sim.controlUrl}/vllm/die`, {
      method: 'POST',
      body: JSON.stringify({ text: 'Quux: the flux capacitor melted' }),
    });
    expect(res.status).toBe(200);
    await until(async () => !/vllm serve/.test(await top()));
    expect((await top()).trimEnd().split('\n')).toHaveLength(2);
    expect(await runOk(cluster.head, 'docker logs --tail 1 vllm_node')).toBe(
      'Quux: the flux capacitor melted\n',
    );
    const again = await fetch(`${cluster.tc.sim.controlUrl}/vllm/die`, {
      method: 'POST',
      body: JSON.stringify({ text: 'x' }),
    });
    expect(again.status).toBe(409);
  });

  it('answers docker’s errors for a stopped or missing container and for an unknown ps field', async () => {
    const badField = await exec(cluster.second, 'docker top parakeet-asr -eo pid,bogus');
    expect([badField.code, badField.stderr]).toEqual([
      1,
      'Error response from daemon: ps: exit status 1: error: unknown user-defined format specifier "bogus"\n',
    ]);
    await runOk(cluster.second, 'docker stop parakeet-asr');
    const stopped = await exec(cluster.second, 'docker top parakeet-asr');
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toMatch(/^Error response from daemon: container [0-9a-f]{64} is not running\n$/);
    await runOk(cluster.head, 'docker stop vllm_node');
    const gone = await exec(cluster.head, 'docker top vllm_node -eo pid,args');
    expect([gone.code, gone.stderr]).toEqual([
      1,
      'Error response from daemon: No such container: vllm_node\n',
    ]);
  });
});
