// /proc/uptime → whole seconds since boot ("350735.47 234388.90": uptime, then summed idle time).
import { toNumber } from './numbers.js';

export function parseUptime(text: string): number | null {
  const m = /^\s*(\S+)\s+\S+/.exec(text);
  const seconds = toNumber(m?.[1]);
  return seconds === null || seconds < 0 ? null : Math.floor(seconds);
}
