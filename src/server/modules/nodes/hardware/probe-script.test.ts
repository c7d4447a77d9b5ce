// Runs the real probe script in a real shell on this machine (no GPU here), then with shims that
// stand in for a GB10: an nvidia-smi, and an `ip` like the simulator's that knows no `type wireguard`.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProbeOutput, splitSections } from './parse-probe.js';
import { HARDWARE_PROBE_SCRIPT, PROBE_SECTIONS } from './probe-script.js';

const run = promisify(execFile);
const NODE = { name: 'local', host: '192.0.2.1' };

async function probe(shell: string, env: NodeJS.ProcessEnv = process.env) {
  return run(shell, ['-c', HARDWARE_PROBE_SCRIPT], { env, timeout: 15_000 });
}

const NVIDIA_SMI = `#!/bin/sh
case "$*" in
  *--query-gpu=*) echo 'NVIDIA GB10, 12, 44, 14.50, [N/A], [N/A]' ;;
  *--query-compute-apps=*) echo '4242, 6520'; echo '4343, 1000' ;;
esac
`;
// enPsim0 does not exist in /sys here, so the MAC must come from the `ip -o link show dev` fallback.
const IP = `#!/bin/sh
case "$*" in
  '-o -4 route show default')
    echo 'default via 198.51.100.1 dev wlP9s9 proto dhcp metric 600'
    echo 'default via 198.51.100.1 dev enPsim0 proto dhcp metric 100' ;;
  '-o link show dev enPsim0')
    echo '2: enPsim0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP mode DEFAULT group default qlen 1000\\    link/ether 4C:BB:47:0A:1B:2C brd ff:ff:ff:ff:ff:ff' ;;
  '-o -4 addr show')
    echo '2: enPsim0    inet 198.51.100.21/24 scope global enPsim0\\       valid_lft forever preferred_lft forever'
    echo '5: wg0    inet 198.51.100.2/24 scope global wg0\\       valid_lft forever preferred_lft forever' ;;
  *) echo 'Error: unsupported' >&2; exit 255 ;;
esac
`;

describe('HARDWARE_PROBE_SCRIPT', () => {
  let shimDir = '';
  beforeAll(async () => {
    shimDir = await mkdtemp(join(tmpdir(), 'probe-shims-'));
    for (const [name, body] of [
      ['nvidia-smi', NVIDIA_SMI],
      ['ip', IP],
    ] as const) {
      await writeFile(join(shimDir, name), body);
      await chmod(join(shimDir, name), 0o755);
    }
  });
  afterAll(async () => {
    await rm(shimDir, { recursive: true, force: true });
  });

  it('prints every section, in order, and exits 0', async () => {
    const { stdout } = await probe('bash');
    const markers = stdout.split('\n').filter((l) => l.startsWith('@@'));
    expect(markers).toEqual(PROBE_SECTIONS.map((s) => `@@${s}`));
  });

  it('parses this machine: hostname, uptime, load, cores, memory, disk; no GPU', async () => {
    const { stdout } = await probe('bash');
    const h = parseProbeOutput(stdout, NODE);
    expect(h.hostname).toMatch(/\S/);
    expect(h.uptime_s).toBeGreaterThan(0);
    expect(h.load1).not.toBeNull();
    expect(h.load15).not.toBeNull();
    expect(h.cores).toBeGreaterThan(0);
    expect(h.ram_total).toBeGreaterThan(0);
    expect(h.ram_used).toBeGreaterThan(0);
    expect(h.disk_total).toBeGreaterThan(0);
    expect(h.hf_cache?.total).toBeGreaterThan(0);
    if (!existsSync('/usr/bin/nvidia-smi')) {
      expect(splitSections(stdout).get('gpu')).toBe('');
      expect(h.gpu).toBeNull();
    }
  });

  it('with no tools on PATH, every external source is empty and nothing aborts', async () => {
    const { stdout } = await probe('/bin/bash', { PATH: '/nonexistent', HOME: tmpdir() });
    const s = splitSections(stdout);
    expect([...s.keys()]).toEqual([...PROBE_SECTIONS]);
    for (const name of PROBE_SECTIONS) expect(s.get(name)).toBe('');
    // Every field is then unknown, and nothing throws.
    const h = parseProbeOutput(stdout, NODE);
    expect(h).toMatchObject({ hostname: null, ram_total: null, uptime_s: null, gpu: null, mac: null });
  });

  it('with GB10-like shims: unified GPU memory, MAC via `ip link` fallback, wg0 by name', async () => {
    const { stdout } = await probe('bash', { ...process.env, PATH: `${shimDir}:${process.env.PATH ?? ''}` });
    const h = parseProbeOutput(stdout, NODE);
    expect(h).toMatchObject({
      gpu: { name: 'NVIDIA GB10', util_pct: 12, temp_c: 44, power_w: 14.5 },
      gpu_unified_memory: true,
      gpu_mem_used: (6520 + 1000) * 1024 * 1024,
      gpu_mem_total: h.ram_total,
      mac: '4c:bb:47:0a:1b:2c',
      wg_iface: 'wg0',
      wg_ip: '198.51.100.2',
    });
  });

  it('also runs under dash (a POSIX login shell)', async () => {
    const { stdout } = await probe('/bin/dash', {
      ...process.env,
      PATH: `${shimDir}:${process.env.PATH ?? ''}`,
    });
    const h = parseProbeOutput(stdout, NODE);
    expect(h).toMatchObject({ gpu_unified_memory: true, mac: '4c:bb:47:0a:1b:2c', wg_iface: 'wg0' });
    expect(h.ram_total).toBeGreaterThan(0);
  });
});
