// WireGuard interface and address from `ip -o link show type wireguard` and `ip -o -4 addr show`.
import { lines } from './numbers.js';

export interface WireguardInfo {
  wg_iface: string | null;
  wg_ip: string | null;
}

// "5: wg0: <POINTOPOINT,NOARP,UP,LOWER_UP> mtu 1420 ... link/none"
const LINK = /^\d+:\s+([^\s:@]+)(?:@\S+)?:\s+<([^>]*)>/;
// "5: wg0    inet 198.51.100.2/24 scope global wg0\       valid_lft forever preferred_lft forever"
const ADDR = /^\d+:\s+([^\s@]+)(?:@\S+)?\s+inet\s+(\d{1,3}(?:\.\d{1,3}){3})(?:\/\d+)?(?:\s|$)/;

/**
 * WireGuard interfaces are the ones `ip link show type wireguard` lists as UP, plus (because the
 * simulator's `ip` may not understand `type wireguard`) any `wg*` interface holding an IPv4 address
 * that the link list does not report as down. The first such interface with an address wins.
 */
export function parseWireguard(linkText: string, addrText: string): WireguardInfo {
  const up: string[] = [];
  const down = new Set<string>();
  for (const line of lines(linkText)) {
    const m = LINK.exec(line);
    // A shim that ignored the type filter would list Ethernet and loopback links: those are not WireGuard.
    if (!m?.[1] || /\blink\/(?:ether|loopback)\b/.test(line)) continue;
    const flags = (m[2] ?? '').split(',');
    if (flags.includes('UP')) up.push(m[1]);
    else down.add(m[1]);
  }
  const ipv4 = new Map<string, string>();
  for (const line of lines(addrText)) {
    const m = ADDR.exec(line);
    if (m?.[1] && m[2] && !ipv4.has(m[1])) ipv4.set(m[1], m[2]);
  }
  const named = [...ipv4.keys()].filter((name) => name.startsWith('wg') && !down.has(name));
  const candidates = [...new Set([...up, ...named])];
  const iface = candidates.find((name) => ipv4.has(name)) ?? candidates[0] ?? null;
  return { wg_iface: iface, wg_ip: iface === null ? null : (ipv4.get(iface) ?? null) };
}
