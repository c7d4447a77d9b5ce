// Global speaker clustering of all chunks' fingerprints: agglomerative, cosine distance, merging
// while the closest two clusters are nearer than the threshold (sklearn's
// AgglomerativeClustering(metric='cosine', distance_threshold=…) semantics: a distance at or above
// the threshold is never merged).
//
// Linkage: `average` (UPGMA) by default. Ward needs Euclidean distances, so cosine rules it out.
// `single` chains different voices together through one noisy fingerprint (a chunk where a
// speaker said two words), and `complete` splits one voice as soon as a single fingerprint of it
// is an outlier. Average linkage — the mean distance between the members of two clusters — is
// robust to both and, for unit vectors, tracks the distance between cluster centroids.
import { AudioDataError } from './errors.js';
import { normalize } from './vectors.js';

export type Linkage = 'average' | 'complete';

export interface ClusterOptions {
  /** Cosine distance (1 − similarity, 0..2) at or above which two clusters stay apart. */
  distanceThreshold: number;
  linkage?: Linkage;
  /**
   * Bounds on the number of clusters (a request's `min_speakers`/`max_speakers`): merging goes on
   * past the threshold while there are more than `maxClusters`, and stops at `minClusters`.
   */
  minClusters?: number;
  maxClusters?: number;
}

/**
 * key → cluster number, numbered 0.. in order of the first item of each cluster. The result does
 * not depend on the order of the items (beyond that numbering): they are clustered in key order,
 * so even exact distance ties are broken the same way.
 */
export function clusterFingerprints(
  items: readonly { key: string; vector: readonly number[] }[],
  opts: ClusterOptions,
): Map<string, number> {
  const { distanceThreshold: threshold, linkage = 'average', minClusters = 1, maxClusters = Infinity } = opts;
  if (!Number.isFinite(threshold) || threshold <= 0 || threshold > 2) {
    throw new AudioDataError(`cosine distance threshold must be in (0, 2] (got ${threshold})`);
  }
  if (!(Number.isInteger(minClusters) && minClusters >= 1 && minClusters <= maxClusters)) {
    throw new AudioDataError(
      `cluster bounds must be whole numbers with 1 ≤ min ≤ max (got ${minClusters}..${maxClusters})`,
    );
  }
  if (maxClusters !== Infinity && !Number.isInteger(maxClusters)) {
    throw new AudioDataError(`the most clusters must be a whole number (got ${maxClusters})`);
  }
  const seen = new Set<string>();
  for (const { key, vector } of items) {
    if (seen.has(key)) throw new AudioDataError(`fingerprint "${key}" appears twice`);
    seen.add(key);
    if (vector.length === 0) throw new AudioDataError(`fingerprint "${key}" is empty`);
    const first = items[0]!;
    if (vector.length !== first.vector.length) {
      throw new AudioDataError(
        `fingerprints differ in length ("${first.key}": ${first.vector.length}, "${key}": ${vector.length})`,
      );
    }
  }
  const sorted = [...items].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const n = sorted.length;
  const unit = sorted.map((it) => normalize(it.vector));
  const dim = unit[0]?.length ?? 0;

  // Pairwise cosine distances; merged rows are updated in place (Lance–Williams).
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      let dot = 0;
      const a = unit[i]!;
      const b = unit[j]!;
      for (let k = 0; k < dim; k++) dot += a[k]! * b[k]!;
      d[i * n + j] = d[j * n + i] = 1 - Math.max(-1, Math.min(1, dot));
    }
  const size = new Array<number>(n).fill(1);
  const alive = new Array<boolean>(n).fill(true);
  const owner = Array.from({ length: n }, (_, i) => i);

  for (let clusters = n; clusters > minClusters; clusters--) {
    let bi = -1;
    let bj = -1;
    // Over the most allowed, the nearest pair merges whatever its distance.
    let best = clusters > maxClusters ? Infinity : threshold;
    for (let i = 0; i < n; i++) {
      if (!alive[i]) continue;
      for (let j = i + 1; j < n; j++) {
        // Strictly nearer: the first pair (in key order) wins a tie.
        if (alive[j] && d[i * n + j]! < best) {
          best = d[i * n + j]!;
          bi = i;
          bj = j;
        }
      }
    }
    if (bi < 0) break;
    for (let k = 0; k < n; k++) {
      if (!alive[k] || k === bi || k === bj) continue;
      const dik = d[bi * n + k]!;
      const djk = d[bj * n + k]!;
      const merged =
        linkage === 'complete'
          ? Math.max(dik, djk)
          : (size[bi]! * dik + size[bj]! * djk) / (size[bi]! + size[bj]!);
      d[bi * n + k] = d[k * n + bi] = merged;
    }
    size[bi]! += size[bj]!;
    alive[bj] = false;
    for (let k = 0; k < n; k++) if (owner[k] === bj) owner[k] = bi;
  }

  const clusterOfKey = new Map(sorted.map((it, i) => [it.key, owner[i]!]));
  const numberOf = new Map<number, number>();
  const out = new Map<string, number>();
  for (const { key } of items) {
    const c = clusterOfKey.get(key)!;
    if (!numberOf.has(c)) numberOf.set(c, numberOf.size);
    out.set(key, numberOf.get(c)!);
  }
  return out;
}
