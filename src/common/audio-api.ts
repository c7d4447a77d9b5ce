// API shapes of the audio pipeline (SPEC §10): diarized transcription of any length, the
// per-chunk worker relay, async long jobs and the speaker library. Shared by server and dashboard.
// Field names are a compatibility contract with existing apps (the meeting recorder).

export type TranscriptFormat = 'json' | 'srt' | 'vtt' | 'text';

/** One speaker block of the merged transcript. */
export interface SpeakerSegment {
  start_ms: number;
  end_ms: number;
  /** `Speaker_N` (global label, numbered in order of first appearance), or an enrolled name. */
  speaker: string;
  /** The enrolled speaker's id when the block's voice matched one; absent otherwise. */
  speaker_id?: string;
  text: string;
  /** Mean diarization confidence of the turns the block's words came from; null when unknown. */
  confidence: number | null;
}

/** `POST /api/audio/transcribe-with-speakers` (json) and `GET /api/audio/results/{id}`. */
export interface SpeakersTranscript {
  /** Seconds. */
  duration: number;
  language: string | null;
  /** The distinct `speaker` values of `segments`, in order of first appearance. */
  speakers_detected: string[];
  segments: SpeakerSegment[];
  models: { transcription: string | null; diarization: string | null };
  /** How the audio was processed: 1 chunk for short audio, N for the long path. */
  chunks: number;
}

/** `?async=1` answer (202). Progress by chunk on `/api/jobs/{job_id}/stream`. */
export interface AudioJobAccepted {
  job_id: string;
  /** Where the result appears when the job succeeded. */
  result_url: string;
}

/** One turn of the Parakeet worker's diarization (local labels `Speaker_0..3`). */
export interface DiarizeTurn {
  start_s: number;
  end_s: number;
  speaker: string;
  /** Mean probability of the assigned speaker over the turn's frames; null when unknown. */
  confidence: number | null;
}

/** Parakeet `/v1/audio/diarize` (relayed unchanged). */
export interface DiarizeResponse {
  duration: number;
  segments: DiarizeTurn[];
  speakers_detected: string[];
  models: { diarization: string | null };
}

/** Parakeet `/v1/audio/diarize-chunk`, relayed unchanged by `POST /api/audio/diarize-chunk`. */
export interface DiarizeChunkResponse {
  duration: number;
  segments: DiarizeTurn[];
  speakers_detected: string[];
  /** 192 floats per local speaker (TitaNet); a speaker may be missing when its embedding failed. */
  fingerprints: Record<string, number[]>;
  models: { diarization: string | null; embedding: string | null };
}

/** A word with timestamps (seconds), as the ASR's verbose_json `words` gives it. */
export interface TimedWord {
  word: string;
  start: number;
  end: number;
}

// ─── Speaker library ───────────────────────────────────────────────────────────────────────────

/** `GET /api/audio/speakers`, `GET /api/audio/speakers/{id}` (never the fingerprint itself). */
export interface EnrolledSpeaker {
  id: string;
  name: string;
  /** How many samples were averaged into the stored fingerprint. */
  samples: number;
  created_at: string;
  updated_at: string;
  /** Only in the answer to an enrollment or an added sample: what that sample gave. */
  sample?: EnrollmentSample;
}

/** What one enrollment sample contributed (never the fingerprint itself). */
export interface EnrollmentSample {
  source: 'upload' | 'result';
  /** Seconds of speech of the enrolled voice in an uploaded sample; null for a past result. */
  speech_s: number | null;
  /** Voices heard in an uploaded sample; null for a past result. */
  voices: number | null;
  /** Set when the sample held several voices: which one was taken and why. */
  note?: string;
}

export interface SpeakersList {
  speakers: EnrolledSpeaker[];
  /** Cosine similarity a recording's speaker must reach to be named (config `audio.speaker_match_threshold`). */
  match_threshold: number;
}
