// `nvidia-smi --query-compute-apps=pid,used_memory --format=csv,noheader,nounits` → total bytes held
// by compute processes. On GB10 this is the only GPU memory figure there is.
import { MIB, lines, toCount, toNumber } from './numbers.js';

/**
 * 0 for empty output (nvidia-smi prints nothing when no process runs); null when the output is not
 * a process list at all, or when no process reports a usable figure (all `[N/A]`).
 */
export function parseComputeApps(text: string): number | null {
  let mib = 0;
  let known = 0;
  const rows = lines(text);
  for (const row of rows) {
    const [pid, used, ...rest] = row.split(',');
    if (toCount(pid) === null || used === undefined || rest.length > 0) return null;
    const value = toNumber(used);
    if (value === null) continue;
    mib += value;
    known++;
  }
  if (rows.length > 0 && known === 0) return null;
  return mib * MIB;
}
