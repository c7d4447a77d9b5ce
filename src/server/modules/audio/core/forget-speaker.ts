// What deleting an enrolled speaker does to a kept async result. Deleting "Alice" deletes her
// voice data (issue 11 item 4), and a kept result holds two pieces of it: the blocks her voice was
// matched in carry her name and id, and the result's centroid fingerprint for her is a voiceprint
// taken from that recording. Her blocks stay — the words were said and the transcript is the
// owner's — but under an unnamed label without her id, and that centroid is dropped, so the result
// can neither show her name nor enroll her voice again ("this is …").
import type { SpeakersTranscript } from '../../../../common/audio-api.js';

export interface KeptResult {
  transcript: SpeakersTranscript;
  /** Displayed speaker label → centroid fingerprint. */
  centroids: Record<string, number[]>;
}

/** The result without speaker `id`, or null when it never named that speaker. */
export function forgetSpeaker(r: KeptResult, id: string): KeptResult | null {
  const names = new Set(r.transcript.segments.filter((s) => s.speaker_id === id).map((s) => s.speaker));
  if (names.size === 0) return null;
  // The lowest Speaker_N this result does not use yet: the other speakers keep the labels a
  // client may already have referred to.
  const taken = new Set([...r.transcript.speakers_detected, ...Object.keys(r.centroids)]);
  const relabel = new Map<string, string>();
  for (const name of names) {
    let n = 0;
    while (taken.has(`Speaker_${n}`)) n++;
    taken.add(`Speaker_${n}`);
    relabel.set(name, `Speaker_${n}`);
  }
  const segments = r.transcript.segments.map((s) => {
    if (s.speaker_id !== id) return s;
    const { speaker_id: _forgotten, ...rest } = s;
    return { ...rest, speaker: relabel.get(s.speaker)! };
  });
  const centroids = Object.fromEntries(Object.entries(r.centroids).filter(([label]) => !names.has(label)));
  return {
    transcript: {
      ...r.transcript,
      speakers_detected: r.transcript.speakers_detected.map((s) => relabel.get(s) ?? s),
      segments,
    },
    centroids,
  };
}
