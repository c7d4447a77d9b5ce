import { describe, expect, it } from 'vitest';
import { exec, runOk, twoNodeCluster } from './testing.js';

const cluster = twoNodeCluster();
const run = runOk;

describe('nvidia-smi (GB10)', () => {
  it('honours the requested fields and their order, with [N/A] memory', async () => {
    const out = await run(
      cluster.head,
      'nvidia-smi --query-gpu=power.draw,name,memory.total,index,utilization.gpu --format=csv',
    );
    const [header, row, extra] = out.split('\n');
    expect(header).toBe('power.draw [W], name, memory.total [MiB], index, utilization.gpu [%]');
    expect(row).toMatch(/^\d+\.\d\d W, NVIDIA GB10, \[N\/A\], 0, \d+ %$/);
    expect(extra).toBe('');
  });

  it('prints bare numbers with noheader,nounits', async () => {
    const out = await run(
      cluster.head,
      'nvidia-smi --query-gpu=utilization.gpu,temperature.gpu,power.draw,memory.used --format=csv,noheader,nounits',
    );
    expect(out).toMatch(/^\d+, \d+, \d+\.\d\d, \[N\/A\]\n$/);
  });

  it('lists resident GPU processes: vLLM on the cluster.head, the speech services on the cluster.second node', async () => {
    const headApps = await run(
      cluster.head,
      'nvidia-smi --query-compute-apps=pid,process_name,used_memory --format=csv,noheader,nounits',
    );
    const [pid, name, mib] = headApps.trim().split(', ');
    expect(Number(pid)).toBeGreaterThan(0);
    expect(name).toBe('VLLM::EngineCore');
    expect(Number(mib)).toBeGreaterThan(30_000); // ~31 GB of FP8 weights × 1.3
    const speech = await run(
      cluster.second,
      'nvidia-smi --query-compute-apps=process_name,used_memory --format=csv',
    );
    expect(speech.trim().split('\n')).toEqual([
      'process_name, used_gpu_memory [MiB]',
      'python3, 3584 MiB',
      'tritonserver, 2867 MiB',
    ]);
  });

  it('prints the table, -L, and nvidia-smi’s own errors', async () => {
    const table = await run(cluster.head, 'nvidia-smi');
    expect(table).toContain('NVIDIA GB10');
    expect(table).toContain('Not Supported');
    expect(table).toMatch(/VLLM::EngineCore\s+\d+MiB/);
    expect(await run(cluster.second, 'nvidia-smi -L')).toMatch(
      /^GPU 0: NVIDIA GB10 \(UUID: GPU-[0-9a-f-]+\)\n$/,
    );
    const bad = await exec(cluster.head, 'nvidia-smi --frobnicate');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("Please run 'nvidia-smi -h' for help.");
    const field = await exec(cluster.head, 'nvidia-smi --query-gpu=bogus --format=csv');
    expect(field.stdout).toContain('Field "bogus" is not a valid field to query.');
  });
});

describe('host facts', () => {
  it('serves /proc/meminfo with unified memory shrinking under GPU processes', async () => {
    const meminfo = (out: string, key: string): number =>
      Number(new RegExp(`^${key}:\\s+(\\d+) kB$`, 'm').exec(out)?.[1]);
    const h = await run(cluster.head, 'cat /proc/meminfo');
    const s = await run(cluster.second, 'cat /proc/meminfo');
    expect(meminfo(h, 'MemTotal')).toBe(127600748);
    expect(h).toMatch(/^MemTotal: {7}127600748 kB$/m);
    expect(meminfo(h, 'MemAvailable')).toBeLessThan(meminfo(s, 'MemAvailable') - 20_000_000);
  });

  it('serves loadavg, uptime and the NIC address, and passes everything else to the real cat', async () => {
    const out = await run(
      cluster.second,
      'cat /proc/loadavg /proc/uptime; cat "/sys/class/net/$(ip -o -4 route show default | awk \'{print $5}\')/address"',
    );
    const [load, uptime, mac] = out.trim().split('\n');
    expect(load).toMatch(/^\d+\.\d\d \d+\.\d\d \d+\.\d\d \d+\/\d+ \d+$/);
    expect(Number(uptime?.split(' ')[0])).toBeGreaterThan(86_400);
    expect(mac).toBe(cluster.tc.sim.nodes[1]!.mac);
    expect(
      await run(
        cluster.head,
        'printf "a b\\n" > "my file"; cat "my file"; echo piped | cat; cat -n "my file"',
      ),
    ).toBe('a b\npiped\n     1\ta b\n');
    const missing = await exec(cluster.head, 'cat /sys/class/net/nope/address');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('cat: /sys/class/net/nope/address: No such file or directory\n');
  });

  it('answers hostname, nproc and ip like a Spark, differently per node', async () => {
    const [h1, n1] = (await run(cluster.head, 'hostname; nproc')).trim().split('\n');
    const h2 = (await run(cluster.second, 'hostname')).trim();
    expect(h1).toMatch(/^spark-[0-9a-f]{4}$/);
    expect(h2).not.toBe(h1);
    expect(n1).toBe('20');
    expect(await run(cluster.head, 'ip -o -4 route show default')).toMatch(
      /^default via 192\.0\.2\.1 dev enP7s7 proto dhcp src 192\.0\.2\.\d+ metric 100 \n$/,
    );
    const link = await run(cluster.head, 'ip -o link show dev enP7s7');
    expect(link).toContain(`link/ether ${cluster.tc.sim.nodes[0]!.mac} brd ff:ff:ff:ff:ff:ff`);
    expect(await run(cluster.head, 'ip -o -4 addr show')).not.toContain('wg0');
    expect(await run(cluster.second, 'ip -o -4 addr show')).toMatch(/^\d+: wg0 +inet 192\.0\.2\.\d+\/\d+ /m);
    const bad = await exec(cluster.head, 'ip -Q addr');
    expect(bad.code).toBe(255);
    expect(bad.stderr).toBe('Option "-Q" is unknown, try "ip -help".\n');
  });

  it('keeps ~/.cache/huggingface/hub and runs shims under set -u with odd arguments', async () => {
    expect(await run(cluster.head, 'test -d ~/.cache/huggingface/hub && echo ok')).toBe('ok\n');
    const strict = await exec(
      cluster.head,
      "set -euo pipefail; docker ps --format '{{.Names}}' --filter 'name=vllm'; nvidia-smi -L >/dev/null; hostname -s",
    );
    expect(strict.code).toBe(0);
    expect(strict.stdout.split('\n')[0]).toBe('vllm_node');
    expect((await exec(cluster.head, 'nproc --bogus')).stderr).toContain(
      "nproc: unrecognized option '--bogus'",
    );
  });
});
