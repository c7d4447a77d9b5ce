// The long path's chunks → one transcript's words and turns. Each chunk's results are shifted to
// absolute time and kept only inside its keep range (so the overlap between two chunks counts
// once), and the chunk-local speaker labels (`Speaker_0` of chunk 3 is not `Speaker_0` of chunk 4)
// are rewritten to global ones by clustering every chunk's fingerprints together.
import type { TimedWord } from '../../../../common/audio-api.js';
import type { ChunkSpan } from './chunk-plan.js';
import { clusterFingerprints, type ClusterOptions } from './cluster.js';
import { AudioDataError, checkInterval, intervalError, isInterval } from './errors.js';
import type { Turn } from './merge.js';
import { seamCut } from './seam.js';
import { meanVector, normalize } from './vectors.js';

export interface ChunkOutcome {
  span: ChunkSpan;
  /** Chunk-relative times. */
  words: TimedWord[];
  /** Chunk-relative times, local labels. */
  turns: Turn[];
  /** Local label → fingerprint; a label may be missing (its embedding failed) or empty. */
  fingerprints: Record<string, number[]>;
}

export interface Stitched {
  /** Absolute times, in time order. */
  words: TimedWord[];
  /** Absolute times, global labels `Speaker_N` numbered by first appearance. */
  turns: Turn[];
  /** Global label → mean of its chunks' unit fingerprints (labels without any have none). */
  centroids: Record<string, number[]>;
}

const localKey = (chunk: number, label: string) => `${chunk}\u0000${label}`;

export function stitchChunks(
  chunks: readonly ChunkOutcome[],
  /** Clustering options; speaker-count bounds apply to the fingerprinted speakers only. */
  opts: ClusterOptions,
): Stitched {
  const ordered = [...chunks].sort((a, b) => a.span.index - b.span.index);
  for (const { span } of ordered) {
    checkInterval(`chunk ${span.index}`, span.start_s, span.end_s);
    checkInterval(`chunk ${span.index}'s keep range`, span.keep_from_s, span.keep_to_s);
  }
  ordered.forEach((c, i) => {
    if (i > 0 && c.span.index === ordered[i - 1]!.span.index) {
      throw new AudioDataError(`chunk ${c.span.index} appears twice`);
    }
  });

  // Every local speaker with a usable fingerprint takes part in the global clustering.
  const items = ordered.flatMap((c) =>
    Object.entries(c.fingerprints)
      .filter(([, v]) => v.length > 0)
      .map(([label, vector]) => ({ key: localKey(c.span.index, label), vector })),
  );
  const cluster = clusterFingerprints(items, opts);

  for (const { span, words: ws, turns: ts } of ordered) {
    ws.forEach((w, i) => {
      if (!isInterval(w.start, w.end)) {
        throw intervalError(`chunk ${span.index} word ${i} ("${w.word}")`, w.start, w.end);
      }
    });
    ts.forEach((t, i) => {
      if (!isInterval(t.start_s, t.end_s)) {
        throw intervalError(`chunk ${span.index} turn ${i} (${t.speaker})`, t.start_s, t.end_s);
      }
    });
  }
  // The keep ranges as planned, with each seam between neighbours moved to a shared pause.
  const keep = ordered.map((c) => ({ from: c.span.keep_from_s, to: c.span.keep_to_s }));
  for (let i = 1; i < ordered.length; i++) {
    const [a, b] = [ordered[i - 1]!, ordered[i]!];
    if (a.span.keep_to_s !== b.span.keep_from_s) continue;
    keep[i - 1]!.to = keep[i]!.from = seamCut(a, b);
  }

  const words: TimedWord[] = [];
  const turns: (Turn & { key: string })[] = [];
  ordered.forEach(({ span, words: ws, turns: ts }, c) => {
    const { from, to } = keep[c]!;
    for (const w of ws) {
      const start = w.start + span.start_s;
      const end = w.end + span.start_s;
      // A word belongs to the chunk whose keep range holds its middle: exactly one chunk.
      const middle = (start + end) / 2;
      if (middle >= from && middle < to) words.push({ word: w.word, start, end });
    }
    for (const t of ts) {
      const start = Math.max(t.start_s + span.start_s, from);
      const end = Math.min(t.end_s + span.start_s, to);
      if (end > start) turns.push({ ...t, start_s: start, end_s: end, key: localKey(span.index, t.speaker) });
    }
  });
  words.sort((a, b) => a.start - b.start || a.end - b.end);
  turns.sort((a, b) => a.start_s - b.start_s || a.end_s - b.end_s);

  // Global labels by first appearance in time. A local speaker without a fingerprint cannot be
  // matched across chunks: it becomes a global speaker of its own.
  const labelOfGroup = new Map<string, string>();
  const out: Turn[] = turns.map(({ key, ...turn }) => {
    const c = cluster.get(key);
    const group = c === undefined ? `local:${key}` : `cluster:${c}`;
    let label = labelOfGroup.get(group);
    if (label === undefined) {
      label = `Speaker_${labelOfGroup.size}`;
      labelOfGroup.set(group, label);
    }
    return { ...turn, speaker: label };
  });

  // A centroid uses every fingerprint of its cluster, also those of chunks whose turns of that
  // voice all fell in a discarded overlap: more samples, a steadier voice for speaker matching.
  const members = new Map<number, number[][]>();
  for (const it of items) {
    const c = cluster.get(it.key)!;
    members.set(c, [...(members.get(c) ?? []), normalize(it.vector)]);
  }
  const centroids: Record<string, number[]> = {};
  for (const [group, label] of labelOfGroup) {
    const vs = group.startsWith('cluster:') ? members.get(Number(group.slice(8))) : undefined;
    if (vs) centroids[label] = meanVector(vs);
  }
  return { words, turns: out, centroids };
}
