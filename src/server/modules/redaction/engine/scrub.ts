// Scrub: run every detector, settle overlaps with one rule, replace each kept span with its
// task placeholder. Fail-closed: a detector that throws makes the whole scrub throw.
import type { Detection, Detector, EntityFound, PlaceholderTable } from './types.js';

export interface ScrubResult {
  text: string;
  found: EntityFound[];
}

/**
 * Overlapping detections keep the longest; on equal length the higher priority; then the
 * earlier start. Returns the kept detections in text order, none overlapping.
 */
export function resolveOverlaps(detections: readonly Detection[]): Detection[] {
  const ranked = detections
    .filter((d) => d.end > d.start)
    .sort((a, b) => b.end - b.start - (a.end - a.start) || b.priority - a.priority || a.start - b.start);
  // Kept spans never overlap, so ordered by start they are ordered by end too: one binary search
  // per candidate finds the only kept span that could overlap it (no scan of every kept span).
  const kept: Detection[] = [];
  for (const d of ranked) {
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (kept[mid]!.end <= d.start) lo = mid + 1;
      else hi = mid;
    }
    // kept[lo] is the first span ending after d starts; d fits when that one starts at or after d's end.
    if (lo === kept.length || kept[lo]!.start >= d.end) kept.splice(lo, 0, d);
  }
  return kept;
}

export function detectAll(text: string, detectors: readonly Detector[]): Detection[] {
  const out: Detection[] = [];
  for (const det of detectors) {
    const { type, priority } = det;
    for (const s of det.detect(text)) out.push({ start: s.start, end: s.end, type, priority });
  }
  return out;
}

export function scrubText(
  text: string,
  detectors: readonly Detector[],
  table: PlaceholderTable,
): ScrubResult {
  const kept = resolveOverlaps(detectAll(text, detectors));
  const counts = new Map<string, EntityFound>();
  const parts: string[] = [];
  let at = 0;
  for (const d of kept) {
    const placeholder = table.placeholderFor(d.type, text.slice(d.start, d.end));
    parts.push(text.slice(at, d.start), placeholder);
    at = d.end;
    const seen = counts.get(placeholder);
    if (seen) seen.count += 1;
    else counts.set(placeholder, { type: d.type, placeholder, count: 1 });
  }
  parts.push(text.slice(at));
  return { text: parts.join(''), found: [...counts.values()] };
}
