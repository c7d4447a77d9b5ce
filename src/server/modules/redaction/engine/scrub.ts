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
  const ranked = [...detections]
    .filter((d) => d.end > d.start)
    .sort((a, b) => b.end - b.start - (a.end - a.start) || b.priority - a.priority || a.start - b.start);
  const kept: Detection[] = [];
  for (const d of ranked) {
    if (kept.every((k) => d.end <= k.start || d.start >= k.end)) kept.push(d);
  }
  return kept.sort((a, b) => a.start - b.start);
}

export function detectAll(text: string, detectors: readonly Detector[]): Detection[] {
  const out: Detection[] = [];
  for (const det of detectors) {
    for (const s of det.detect(text)) out.push({ ...s, type: det.type, priority: det.priority });
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
  let out = '';
  let at = 0;
  for (const d of kept) {
    const placeholder = table.placeholderFor(d.type, text.slice(d.start, d.end));
    out += text.slice(at, d.start) + placeholder;
    at = d.end;
    const seen = counts.get(placeholder);
    if (seen) seen.count += 1;
    else counts.set(placeholder, { type: d.type, placeholder, count: 1 });
  }
  return { text: out + text.slice(at), found: [...counts.values()] };
}
