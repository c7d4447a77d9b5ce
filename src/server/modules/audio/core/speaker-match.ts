// A recording's global speakers → enrolled voices of the speaker library. One-to-one: the most
// similar pair is named first, and neither side is used again, so two speakers of one recording
// never both become "Alice".
import { cosineSimilarity } from './vectors.js';

export interface EnrolledVoice {
  id: string;
  name: string;
  vector: number[];
}

export interface SpeakerMatch {
  id: string;
  name: string;
  similarity: number;
}

/**
 * Global label → the enrolled voice it is (cosine similarity above `threshold`). Fingerprints of
 * another length (a voice enrolled with another embedding model) or empty ones cannot be compared
 * and never match: a stale library must not break transcription.
 */
export function matchEnrolled(
  centroids: Record<string, number[]>,
  enrolled: readonly EnrolledVoice[],
  threshold: number,
): Record<string, SpeakerMatch> {
  const pairs: { label: string; voice: EnrolledVoice; similarity: number }[] = [];
  for (const [label, centroid] of Object.entries(centroids)) {
    for (const voice of enrolled) {
      if (centroid.length === 0 || voice.vector.length !== centroid.length) continue;
      const similarity = cosineSimilarity(centroid, voice.vector);
      if (similarity > threshold) pairs.push({ label, voice, similarity });
    }
  }
  // Best first; exact ties by label then id, so the answer does not depend on input order.
  pairs.sort(
    (a, b) =>
      b.similarity - a.similarity ||
      (a.label < b.label ? -1 : a.label > b.label ? 1 : 0) ||
      (a.voice.id < b.voice.id ? -1 : a.voice.id > b.voice.id ? 1 : 0),
  );
  const named = new Map<string, SpeakerMatch>();
  const taken = new Set<string>();
  for (const { label, voice, similarity } of pairs) {
    if (named.has(label) || taken.has(voice.id)) continue;
    named.set(label, { id: voice.id, name: voice.name, similarity });
    taken.add(voice.id);
  }
  // fromEntries defines own properties: a label like "__proto__" stays a plain key.
  return Object.fromEntries(named);
}
