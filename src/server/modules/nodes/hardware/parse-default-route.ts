// `ip -o -4 route show default` → the interface of the route the kernel prefers.
import { lines } from './numbers.js';

// Kernel interface names: at most 15 bytes, no whitespace or '/'.
const IFACE = /^[^\s/]{1,15}$/;

/**
 * Lowest metric wins (no metric means 0, as in the kernel); the first line wins a tie. The probe
 * script's shell loop applies the same rule to pick the interface whose MAC it prints.
 */
export function parseDefaultRoute(text: string): string | null {
  let best: { dev: string; metric: number } | null = null;
  for (const line of lines(text)) {
    const words = line.split(/\s+/);
    if (words[0] !== 'default') continue;
    // The first "dev": multipath routes (-o joins their nexthop lines with '\') name one per hop.
    const devAt = words.indexOf('dev');
    const dev = devAt >= 0 ? words[devAt + 1] : undefined;
    if (dev === undefined || !IFACE.test(dev)) continue;
    const metricAt = words.indexOf('metric');
    const raw = metricAt >= 0 ? (words[metricAt + 1] ?? '') : '0';
    const metric = /^\d+$/.test(raw) ? Number(raw) : 0;
    if (best === null || metric < best.metric) best = { dev, metric };
  }
  return best?.dev ?? null;
}
