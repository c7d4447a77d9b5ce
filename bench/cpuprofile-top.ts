// Top functions by self time in a V8 .cpuprofile (what `node --cpu-prof` writes):
//   npx tsx bench/cpuprofile-top.ts <file.cpuprofile> [count]
// Self time of a node = its samples × the mean sampling interval; nodes of the same function
// (same name, file, line) are summed, so a function reached by many call paths is one row.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A time window in the profile's clock (µs of CLOCK_MONOTONIC, as `process.hrtime` reads it). */
export interface Window {
  fromUs: number;
  toUs: number;
}

export interface SelfTime {
  fn: string;
  where: string;
  ms: number;
  percent: number;
}

export function topSelfTime(
  file: string,
  count = 15,
  window?: Window,
): { totalMs: number; busyMs: number; top: SelfTime[] } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const hits = new Map<number, number>();
  let at = profile.startTime;
  let first = Infinity;
  let last = -Infinity;
  let kept = 0;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (window && (at < window.fromUs || at > window.toUs)) return;
    first = Math.min(first, at);
    last = Math.max(last, at);
    kept++;
    hits.set(id, (hits.get(id) ?? 0) + 1);
  });
  const totalMs = kept > 1 ? (last - first) / 1000 : 0;
  const msPerSample = totalMs / Math.max(1, kept);
  let idleMs = 0;
  const byFunction = new Map<string, SelfTime>();
  for (const node of profile.nodes) {
    const n = hits.get(node.id);
    if (!n) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idleMs += n * msPerSample;
      continue;
    }
    const where = url ? `${basename(url)}:${lineNumber + 1}` : '';
    const key = `${functionName}@${url}:${lineNumber}`;
    const row = byFunction.get(key) ?? { fn: functionName || '(anonymous)', where, ms: 0, percent: 0 };
    row.ms += n * msPerSample;
    byFunction.set(key, row);
  }
  // Percentages are of the busy (non-idle) time of the main thread.
  const busyMs = totalMs - idleMs;
  const top = [...byFunction.values()]
    .sort((a, b) => b.ms - a.ms)
    .slice(0, count)
    .map((r) => ({ ...r, ms: Math.round(r.ms), percent: Math.round((r.ms / busyMs) * 1000) / 10 }));
  return { totalMs: Math.round(totalMs), busyMs: Math.round(busyMs), top };
}

export function printTop(file: string, count = 15, window?: Window): void {
  const { totalMs, busyMs, top } = topSelfTime(file, count, window);
  console.log(
    `${basename(file)}: ${totalMs} ms profiled, main thread busy ${busyMs} ms; top ${count} by self time (% of busy)`,
  );
  for (const r of top) {
    console.log(`${String(r.ms).padStart(7)} ms ${String(r.percent).padStart(5)}%  ${r.fn}  ${r.where}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: tsx bench/cpuprofile-top.ts <file.cpuprofile> [count]');
    process.exit(2);
  }
  printTop(file, Number(process.argv[3] ?? 15));
}
