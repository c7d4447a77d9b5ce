// Per-node hardware identity: what a real Spark's hostname, NICs, GPU and kernel look like, stable
// per node name so hardware cards differ between nodes and stay the same across restarts.
// Addresses come only from the documentation range 192.0.2.0/24.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { envFile, writeAtomic } from './fsutil.js';
import { renderIpFiles } from './ip-render.js';

export interface Ipv4 {
  addr: string;
  prefix: number;
  scope: 'host' | 'global';
  dhcp: boolean;
}

export interface Iface {
  index: number;
  name: string;
  kind: 'loopback' | 'ether' | 'none';
  up: boolean;
  mac: string;
  mtu: number;
  qdisc: string;
  ipv4?: Ipv4;
}

export interface HostFacts {
  hostname: string;
  mac: string;
  ip: string;
  gateway: string;
  defaultIface: string;
  ifaces: Iface[];
  gpuUuid: string;
  bootEpoch: number;
}

export const GB10 = {
  driver: '580.95.05',
  cuda: '13.0',
  kernel: '6.11.0-1016-nvidia',
  kernelVersion: '#16-Ubuntu SMP PREEMPT_DYNAMIC Tue Sep 30 21:10:42 UTC 2025',
  memTotalKb: 127600748,
  cores: 20,
} as const;

export function hostFacts(name: string, index: number, now = Date.now()): HostFacts {
  const h = createHash('sha256').update(`spark-sim:${name}`).digest();
  const hex = h.toString('hex');
  const byte = (i: number): string => (h[i] ?? 0).toString(16).padStart(2, '0');
  // 48:b0:2d is an NVIDIA OUI, so the MAC looks like a Spark's onboard NIC.
  const mac = `48:b0:2d:${byte(0)}:${byte(1)}:${byte(2)}`;
  const qsfpMac = `48:b0:2d:${byte(3)}:${byte(4)}:${byte(5)}`;
  const wifiMac = `48:b0:2d:${byte(6)}:${byte(7)}:${byte(8)}`;
  const host = 11 + (index % 100);
  const ip = `192.0.2.${host}`;
  const ifaces: Iface[] = [
    {
      index: 1,
      name: 'lo',
      kind: 'loopback',
      up: true,
      mac: '00:00:00:00:00:00',
      mtu: 65536,
      qdisc: 'noqueue',
    },
    { index: 2, name: 'enP7s7', kind: 'ether', up: true, mac, mtu: 1500, qdisc: 'mq' },
    { index: 3, name: 'enp1s0f0np0', kind: 'ether', up: true, mac: qsfpMac, mtu: 9000, qdisc: 'mq' },
    { index: 4, name: 'wlP9s9', kind: 'ether', up: false, mac: wifiMac, mtu: 1500, qdisc: 'noop' },
  ];
  const [lo, eth, qsfp] = ifaces as [Iface, Iface, Iface, Iface];
  // Three non-overlapping slices of 192.0.2.0/24: LAN /25, QSFP fast link /26, WireGuard /26.
  lo.ipv4 = { addr: '127.0.0.1', prefix: 8, scope: 'host', dhcp: false };
  eth.ipv4 = { addr: ip, prefix: 25, scope: 'global', dhcp: true };
  qsfp.ipv4 = { addr: `192.0.2.${129 + (index % 60)}`, prefix: 26, scope: 'global', dhcp: false };
  // The second Spark is the one reachable over WireGuard in the reference setup.
  if (index === 1) {
    ifaces.push({
      index: 5,
      name: 'wg0',
      kind: 'none',
      up: true,
      mac: '',
      mtu: 1420,
      qdisc: 'noqueue',
      ipv4: { addr: `192.0.2.${193 + (index % 60)}`, prefix: 26, scope: 'global', dhcp: false },
    });
  }
  const uuid = `GPU-${hex.slice(8, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 24)}-${hex.slice(24, 28)}-${hex.slice(28, 40)}`;
  return {
    hostname: `spark-${hex.slice(40, 44)}`,
    mac,
    ip,
    gateway: '192.0.2.1',
    defaultIface: 'enP7s7',
    ifaces,
    gpuUuid: uuid,
    // Booted a few days ago, differently per node, so uptime looks lived-in.
    bootEpoch: Math.floor(now / 1000) - 86_400 * (2 + index) - (h[9] ?? 0) * 97,
  };
}

/** Writes what the shims read: the `facts` file, the ip(8) fragments and the /sys, /etc overlay. */
export function writeHostFacts(stateDir: string, facts: HostFacts, user: string): void {
  writeAtomic(
    join(stateDir, 'facts'),
    envFile({
      F_HOSTNAME: facts.hostname,
      F_USER: user,
      F_NPROC: GB10.cores,
      F_BOOT_EPOCH: facts.bootEpoch,
      F_GPU_UUID: facts.gpuUuid,
      F_DRIVER: GB10.driver,
      F_CUDA: GB10.cuda,
      F_KERNEL: GB10.kernel,
      F_KERNEL_VERSION: GB10.kernelVersion,
      F_MEM_TOTAL_KB: GB10.memTotalKb,
      F_IPS: facts.ifaces
        .filter((i) => i.ipv4 && i.ipv4.scope === 'global')
        .map((i) => i.ipv4?.addr)
        .join(' '),
    }),
  );
  for (const [file, text] of Object.entries(renderIpFiles(facts)))
    writeAtomic(join(stateDir, 'ip', file), text);
  const fs = join(stateDir, 'fs');
  for (const i of facts.ifaces) {
    const dir = join(fs, 'sys/class/net', i.name);
    writeAtomic(join(dir, 'address'), `${i.mac || '00:00:00:00:00:00'}\n`);
    writeAtomic(
      join(dir, 'operstate'),
      i.kind === 'loopback' || i.kind === 'none' ? 'unknown\n' : i.up ? 'up\n' : 'down\n',
    );
    writeAtomic(join(dir, 'mtu'), `${i.mtu}\n`);
    writeAtomic(join(dir, 'carrier'), i.up ? '1\n' : '0\n');
  }
  writeAtomic(join(fs, 'etc/hostname'), `${facts.hostname}\n`);
  writeAtomic(
    join(fs, 'etc/os-release'),
    [
      'PRETTY_NAME="Ubuntu 24.04.3 LTS"',
      'NAME="Ubuntu"',
      'VERSION_ID="24.04"',
      'VERSION="24.04.3 LTS (Noble Numbat)"',
      'VERSION_CODENAME=noble',
      'ID=ubuntu',
      'ID_LIKE=debian',
      'UBUNTU_CODENAME=noble',
      '',
    ].join('\n'),
  );
}
