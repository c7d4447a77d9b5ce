// Turns the probe script's stdout into the NodeHardware card the dashboard shows, and builds the
// same-shaped card for a node that could not be probed.
import type { NodeErrorKind, NodeHardware } from '../../../../common/api.js';
import { lines, toCount } from './numbers.js';
import { parseComputeApps } from './parse-compute-apps.js';
import { parseDefaultRoute } from './parse-default-route.js';
import { parseDf } from './parse-df.js';
import { parseLoadavg } from './parse-loadavg.js';
import { parseMac } from './parse-mac.js';
import { parseMeminfo } from './parse-meminfo.js';
import { parseNvidiaSmiGpu } from './parse-nvidia-smi-gpu.js';
import { parseUptime } from './parse-uptime.js';
import { parseWireguard } from './parse-wireguard.js';
import type { ProbeSection } from './probe-script.js';

export interface NodeRef {
  name: string;
  host: string;
}

const MARKER = /^@@([a-z0-9_]+)$/;

/**
 * Section name → its text. Lines before the first marker (a login banner, a noisy .bashrc) are
 * dropped; a section printed twice keeps both parts, in order.
 */
export function splitSections(stdout: string): Map<string, string> {
  const parts = new Map<string, string[]>();
  let current: string[] | null = null;
  for (const raw of stdout.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const marker = MARKER.exec(line);
    if (marker?.[1] !== undefined) {
      current = parts.get(marker[1]) ?? [];
      parts.set(marker[1], current);
    } else if (current !== null) {
      current.push(line);
    }
  }
  return new Map([...parts].map(([name, body]) => [name, body.join('\n').trim()]));
}

export function parseProbeOutput(stdout: string, node: NodeRef, now: Date = new Date()): NodeHardware {
  const sections = splitSections(stdout);
  const section = (name: ProbeSection): string => sections.get(name) ?? '';

  const mem = parseMeminfo(section('meminfo'));
  const load = parseLoadavg(section('loadavg'));
  // Row order follows the df arguments: `/` first, then the HF cache directory.
  const [root, hfCache] = parseDf(section('df'));
  const smi = parseNvidiaSmiGpu(section('gpu'));
  const appsBytes = smi === null ? null : parseComputeApps(section('compute_apps'));
  const wg = parseWireguard(section('wg_link'), section('addr4'));
  // The probe prints the MAC of the interface it chose; it is kept only when the route section
  // (parsed with the same rule) names one, so a stray address never shows up without a route.
  const iface = parseDefaultRoute(section('route'));

  // GB10 has unified memory: nvidia-smi has no memory total, so GPU use is the sum of the compute
  // processes, measured against system RAM. A discrete GPU reports its own total and use.
  const unified = smi !== null && smi.mem_total === null;
  const gpuMemTotal = smi === null ? null : unified ? mem.total : smi.mem_total;
  const gpuMemUsed = smi === null ? null : unified ? appsBytes : (smi.mem_used ?? appsBytes);

  return {
    name: node.name,
    host: node.host,
    ok: true,
    error: null,
    error_kind: null,
    hostname: lines(section('hostname'))[0] ?? null,
    uptime_s: parseUptime(section('uptime')),
    ...load,
    cores: positive(toCount(lines(section('nproc'))[0])),
    ram_total: mem.total,
    ram_used: mem.used,
    ram_available: mem.available,
    disk_total: root?.total ?? null,
    disk_used: root?.used ?? null,
    disk_free: root?.free ?? null,
    hf_cache: hfCache ?? null,
    gpu:
      smi === null
        ? null
        : { name: smi.name, util_pct: smi.util_pct, temp_c: smi.temp_c, power_w: smi.power_w },
    gpu_mem_used: gpuMemUsed,
    gpu_mem_total: gpuMemTotal,
    gpu_unified_memory: unified,
    mac: iface === null ? null : parseMac(section('mac')),
    ...wg,
    sampled_at: now.toISOString(),
    age_s: 0,
  };
}

/**
 * The card of a node with no reading (probe failed, or not probed yet: `error_kind` null): every
 * reading null, so the dashboard renders one shape. `sampled_at` stays null too: there is no sample,
 * and an age computed from it would suggest data that does not exist.
 */
export function unreachableHardware(
  node: NodeRef,
  error: string,
  error_kind: NodeErrorKind | null,
): NodeHardware {
  return {
    name: node.name,
    host: node.host,
    ok: false,
    error,
    error_kind,
    hostname: null,
    uptime_s: null,
    load1: null,
    load5: null,
    load15: null,
    cores: null,
    ram_total: null,
    ram_used: null,
    ram_available: null,
    disk_total: null,
    disk_used: null,
    disk_free: null,
    hf_cache: null,
    gpu: null,
    gpu_mem_used: null,
    gpu_mem_total: null,
    gpu_unified_memory: false,
    mac: null,
    wg_iface: null,
    wg_ip: null,
    sampled_at: null,
    age_s: null,
  };
}

function positive(n: number | null): number | null {
  return n !== null && n > 0 ? n : null;
}
