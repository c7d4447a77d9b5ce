// The default interface's MAC (for Wake-on-LAN), from /sys/class/net/IF/address ("4c:bb:47:0a:1b:2c")
// or from an `ip -o link show dev IF` line ("... link/ether 4c:bb:47:0a:1b:2c brd ff:ff:ff:ff:ff:ff").
import { lines } from './numbers.js';

const MAC = /^[0-9a-f]{2}([:-])(?:[0-9a-f]{2}\1){4}[0-9a-f]{2}$/i;

/** Lowercase colon form, or null when there is no usable unicast hardware address. */
export function parseMac(text: string): string | null {
  const first = lines(text)[0];
  if (first === undefined) return null;
  // In an `ip link` line the address follows "link/<type>"; the "brd" address after it must not be taken.
  const link = /\blink\/(\S+)\s+(\S+)/.exec(first);
  const candidate = link ? link[2] : first;
  if (candidate === undefined || !MAC.test(candidate)) return null;
  const mac = candidate.toLowerCase().replaceAll('-', ':');
  // All zeros is what loopback and some virtual devices report. A set multicast bit (which covers
  // ff:ff:ff:ff:ff:ff) never belongs to a NIC. Neither can be woken.
  if (mac === '00:00:00:00:00:00' || (parseInt(mac.slice(0, 2), 16) & 1) === 1) return null;
  return mac;
}
