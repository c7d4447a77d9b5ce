import { describe, expect, it } from 'vitest';
import { parseProbeOutput, splitSections, unreachableHardware } from './parse-probe.js';

const NODE = { name: 'spark1', host: '192.0.2.21' };
const NOW = new Date('2025-11-03T09:15:00.000Z');
const MIB = 1024 * 1024;

// What HARDWARE_PROBE_SCRIPT prints on a GB10 running vLLM and Parakeet, with WireGuard up.
const GB10_OUTPUT = `Welcome to NVIDIA DGX OS
@@hostname
spark-4c2a
@@uptime
350735.47 234388.90
@@loadavg
2.31 1.87 1.42 3/1874 431902
@@nproc
20
@@meminfo
MemTotal:       127600748 kB
MemFree:        11234568 kB
MemAvailable:   27600748 kB
Buffers:          412356 kB
Cached:         16123456 kB
@@df
Mounted on        1B-blocks          Used         Avail
/             3936818167808 1523412598784 2213385461760
/             3936818167808 1523412598784 2213385461760
@@gpu
NVIDIA GB10, 87, 66, 71.25, [N/A], [N/A]
@@compute_apps
231877, 98304
232442, 4876
@@route
default via 192.0.2.1 dev wlP9s9 proto dhcp src 192.0.2.40 metric 600
default via 192.0.2.1 dev enP7s7 proto dhcp src 192.0.2.21 metric 100
@@mac
4c:bb:47:0a:1b:2c
@@wg_link
5: wg0: <POINTOPOINT,NOARP,UP,LOWER_UP> mtu 1420 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/none
@@addr4
1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
2: enP7s7    inet 192.0.2.21/24 metric 100 brd 192.0.2.255 scope global dynamic enP7s7\\       valid_lft 81234sec preferred_lft 81234sec
5: wg0    inet 198.51.100.2/24 scope global wg0\\       valid_lft forever preferred_lft forever
`;

const ROOT = { total: 3936818167808, used: 1523412598784, free: 2213385461760 };

describe('splitSections', () => {
  it('drops lines before the first marker, trims bodies, keeps empty sections', () => {
    const s = splitSections('banner\n@@a\none\ntwo\n\n@@b\n@@c\r\nthree\r\n');
    expect([...s]).toEqual([
      ['a', 'one\ntwo'],
      ['b', ''],
      ['c', 'three'],
    ]);
  });

  it('joins a section printed twice', () => {
    expect(splitSections('@@a\n1\n@@b\nx\n@@a\n2\n').get('a')).toBe('1\n2');
  });

  it('handles empty and marker-less input', () => {
    expect(splitSections('').size).toBe(0);
    expect(splitSections('no markers at all\n@@ not a marker').size).toBe(0);
  });
});

describe('parseProbeOutput', () => {
  it('assembles a GB10 card: unified memory measured against RAM', () => {
    expect(parseProbeOutput(GB10_OUTPUT, NODE, NOW)).toEqual({
      name: 'spark1',
      host: '192.0.2.21',
      ok: true,
      error: null,
      error_kind: null,
      hostname: 'spark-4c2a',
      uptime_s: 350735,
      load1: 2.31,
      load5: 1.87,
      load15: 1.42,
      cores: 20,
      ram_total: 127600748 * 1024,
      ram_used: 100000000 * 1024,
      ram_available: 27600748 * 1024,
      disk_total: ROOT.total,
      disk_used: ROOT.used,
      disk_free: ROOT.free,
      hf_cache: { path: '/', ...ROOT },
      gpu: { name: 'NVIDIA GB10', util_pct: 87, temp_c: 66, power_w: 71.25 },
      gpu_mem_used: (98304 + 4876) * MIB,
      gpu_mem_total: 127600748 * 1024,
      gpu_unified_memory: true,
      mac: '4c:bb:47:0a:1b:2c',
      wg_iface: 'wg0',
      wg_ip: '198.51.100.2',
      sampled_at: '2025-11-03T09:15:00.000Z',
      age_s: 0,
    });
  });

  it('GB10 with no compute process uses 0 bytes', () => {
    const out = GB10_OUTPUT.replace('231877, 98304\n232442, 4876\n', '');
    expect(parseProbeOutput(out, NODE, NOW)).toMatchObject({ gpu_mem_used: 0, gpu_unified_memory: true });
  });

  it("uses a discrete GPU's own memory figures", () => {
    const out = GB10_OUTPUT.replace(
      'NVIDIA GB10, 87, 66, 71.25, [N/A], [N/A]',
      'NVIDIA RTX A6000, 27, 58, 112.52, 49140, 20311',
    );
    expect(parseProbeOutput(out, NODE, NOW)).toMatchObject({
      gpu: { name: 'NVIDIA RTX A6000', util_pct: 27, temp_c: 58, power_w: 112.52 },
      gpu_mem_total: 49140 * MIB,
      gpu_mem_used: 20311 * MIB,
      gpu_unified_memory: false,
    });
  });

  it('a node without a GPU has gpu null and no GPU memory', () => {
    const out = GB10_OUTPUT.replace(/@@gpu\n[^@]*@@compute_apps\n[^@]*/, '@@gpu\n@@compute_apps\n');
    expect(parseProbeOutput(out, NODE, NOW)).toMatchObject({
      gpu: null,
      gpu_mem_used: null,
      gpu_mem_total: null,
      gpu_unified_memory: false,
      ram_total: 127600748 * 1024,
    });
  });

  it('reads the HF cache from the second df row', () => {
    const out = GB10_OUTPUT.replace(
      /@@df\n[^@]*/,
      '@@df\nMounted on 1B-blocks Used Avail\n/ 100 60 40\n/data 1000 100 900\n',
    );
    expect(parseProbeOutput(out, NODE, NOW)).toMatchObject({
      disk_total: 100,
      disk_used: 60,
      disk_free: 40,
      hf_cache: { path: '/data', total: 1000, used: 100, free: 900 },
    });
  });

  it('drops the MAC when there is no default route', () => {
    const out = GB10_OUTPUT.replace(/@@route\n[^@]*/, '@@route\n');
    expect(parseProbeOutput(out, NODE, NOW).mac).toBeNull();
  });

  it.each([
    ['empty stdout', ''],
    ['garbage', 'bash: line 1: syntax error near unexpected token\n\0\0\0'],
    [
      'every section empty',
      '@@hostname\n@@uptime\n@@loadavg\n@@nproc\n@@meminfo\n@@df\n@@gpu\n@@compute_apps\n',
    ],
  ])('reports every reading null, without throwing: %s', (_name, out) => {
    const { name, host, ok, sampled_at, age_s, gpu_unified_memory, ...readings } = parseProbeOutput(
      out,
      NODE,
      NOW,
    );
    expect({ name, host, ok, sampled_at, age_s, gpu_unified_memory }).toEqual({
      ...NODE,
      ok: true,
      sampled_at: NOW.toISOString(),
      age_s: 0,
      gpu_unified_memory: false,
    });
    expect(Object.entries(readings).filter(([, v]) => v !== null)).toEqual([]);
  });

  it('keeps what arrived from output cut off mid-way', () => {
    const h = parseProbeOutput(GB10_OUTPUT.slice(0, GB10_OUTPUT.indexOf('@@meminfo') + 30), NODE, NOW);
    expect(h).toMatchObject({ hostname: 'spark-4c2a', cores: 20, ram_total: null, gpu: null, mac: null });
  });

  it('defaults sampled_at to the current time', () => {
    const before = Date.now();
    const at = Date.parse(parseProbeOutput('', NODE).sampled_at ?? '');
    expect(at).toBeGreaterThanOrEqual(before - 1);
    expect(at).toBeLessThanOrEqual(Date.now() + 1);
  });
});

describe('unreachableHardware', () => {
  it('has exactly the keys of a probed card, every reading null', () => {
    const down = unreachableHardware(NODE, 'No route to host', 'unreachable');
    const up = parseProbeOutput(GB10_OUTPUT, NODE, NOW);
    expect(Object.keys(down).sort()).toEqual(Object.keys(up).sort());
    const { name, host, ok, error, error_kind, gpu_unified_memory, ...readings } = down;
    expect({ name, host, ok, error, error_kind, gpu_unified_memory }).toEqual({
      ...NODE,
      ok: false,
      error: 'No route to host',
      error_kind: 'unreachable',
      gpu_unified_memory: false,
    });
    expect(Object.values(readings).every((v) => v === null)).toBe(true);
  });

  it('accepts a null kind for a node not probed yet', () => {
    expect(unreachableHardware(NODE, 'Not probed yet', null).error_kind).toBeNull();
  });
});
