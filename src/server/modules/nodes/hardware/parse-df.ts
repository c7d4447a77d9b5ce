// `df -B1 --output=target,size,used,avail PATH...` → one DiskUsage per row, in argument order.
import type { DiskUsage } from '../../../../common/api.js';
import { lines, toCount } from './numbers.js';

// The mount point comes first and may contain spaces, so the three numbers are read from the right.
// The header ("Mounted on  1B-blocks  Used  Avail") does not match and is skipped.
const ROW = /^(.*\S)\s+(\d+)\s+(\d+)\s+(\d+)$/;

export function parseDf(text: string): DiskUsage[] {
  const rows: DiskUsage[] = [];
  for (const line of lines(text)) {
    const m = ROW.exec(line);
    const [total, used, free] = [toCount(m?.[2]), toCount(m?.[3]), toCount(m?.[4])];
    if (!m?.[1] || total === null || used === null || free === null) continue;
    // "Avail" (what a non-root user can still write) rather than size − used: ext4 reserves ~5%
    // for root, and a model download runs as the user.
    rows.push({ path: m[1], total, used, free });
  }
  return rows;
}
