// The Parakeet app's audio routes as the pipeline uses them: word-timestamped transcription, the
// per-chunk diarizer (turns + fingerprints), and a raw relay of the diarizer for old clients.
// Files are streamed from disk (multipart-post.ts), never read whole. Every upstream failure is a ParakeetError carrying its status and text;
// `toClientError` turns it into what a client sees — a 5xx is the wedge path of SPEC §9 (the
// failure hook runs the deep check at once, the client gets 503 + Retry-After: 60).
import { Agent, request } from 'undici';
import type { DiarizeChunkResponse, TimedWord } from '../../../common/audio-api.js';
import { AppError } from '../../platform/http/errors.js';
import { postFileMultipart, type MultipartAnswer } from './multipart-post.js';

/** An upstream answer other than 200, or no answer at all (`status` null: unreachable). */
export class ParakeetError extends Error {
  constructor(
    readonly status: number | null,
    readonly text: string,
    readonly route: string,
  ) {
    super(status === null ? `parakeet unreachable (${text})` : `parakeet ${route} answered HTTP ${status}`);
    this.name = 'ParakeetError';
  }
}

export interface WordsTranscript {
  text: string;
  language: string | null;
  words: TimedWord[];
  model: string | null;
}

export interface ParakeetAudioClient {
  transcribeWords(path: string, o?: { language?: string; signal?: AbortSignal }): Promise<WordsTranscript>;
  diarizeChunk(path: string, o?: { signal?: AbortSignal }): Promise<DiarizeChunkResponse>;
  /** POST /v1/audio/diarize-chunk with the file as is; the answer's status and parsed body. */
  relayDiarizeChunk(
    path: string,
    o: { filename: string; signal?: AbortSignal },
  ): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

export interface ParakeetClientOptions {
  /** `http://host:port` of the Parakeet app; null when none is configured. */
  baseUrl: () => string | null;
  /** Headers and body timeout per call (a 10-minute chunk takes a while on a busy GPU). */
  timeoutMs?: number;
  /** An upstream 5xx: the app probes the service now (and may restart it). */
  onFailure?: () => void;
}

const MAX_ANSWER = 32 * 1024 * 1024;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** verbose_json `words` → TimedWord[] (entries without a word or times are dropped). */
export function wordsOf(body: unknown): TimedWord[] {
  const raw = (body as { words?: unknown } | null)?.words;
  if (!Array.isArray(raw)) return [];
  const out: TimedWord[] = [];
  for (const w of raw as { word?: unknown; start?: unknown; end?: unknown }[]) {
    const start = num(w?.start);
    const end = num(w?.end);
    if (typeof w?.word !== 'string' || start === null || end === null) continue;
    out.push({ word: w.word, start, end: Math.max(start, end) });
  }
  return out;
}

/** Checks the diarizer's answer has the fields the pipeline reads (SPEC §10 shape). */
export function diarizeChunkOf(body: unknown): DiarizeChunkResponse {
  const b = body as Partial<DiarizeChunkResponse> | null;
  if (!b || !Array.isArray(b.segments) || typeof b.fingerprints !== 'object' || b.fingerprints === null)
    throw new ParakeetError(502, 'the diarizer answered without segments or fingerprints', 'diarize-chunk');
  const segments = b.segments.filter(
    (s) => typeof s?.speaker === 'string' && num(s.start_s) !== null && num(s.end_s) !== null,
  );
  return {
    duration: num(b.duration) ?? 0,
    segments: segments.map((s) => ({ ...s, confidence: num(s.confidence) })),
    speakers_detected: Array.isArray(b.speakers_detected) ? b.speakers_detected : [],
    fingerprints: b.fingerprints,
    models: { diarization: b.models?.diarization ?? null, embedding: b.models?.embedding ?? null },
  };
}

export function createParakeetAudioClient(o: ParakeetClientOptions): ParakeetAudioClient {
  const timeoutMs = o.timeoutMs ?? 15 * 60_000;
  const agent = new Agent({ connections: 16, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  let asrModel: { value: string | null; at: number } | null = null;

  const base = (): string => {
    const url = o.baseUrl();
    if (!url) throw new AppError('SERVICE_UNAVAILABLE', 'speech recognition is not configured (parakeet)');
    return url;
  };

  const post = async (
    route: string,
    path: string,
    filename: string,
    fields: Record<string, string | string[]>,
    signal?: AbortSignal,
  ): Promise<{ status: number; body: unknown; text: string }> => {
    let res: MultipartAnswer;
    try {
      const pairs = Object.entries(fields).flatMap(([k, v]) =>
        [v].flat().map((one) => [k, one] as [string, string]),
      );
      res = await postFileMultipart(`${base()}${route}`, { path, filename }, pairs, {
        signal,
        timeoutMs,
        maxBytes: MAX_ANSWER,
      });
    } catch (err) {
      if (signal?.aborted) throw err;
      if (err instanceof AppError) throw err;
      throw new ParakeetError(null, (err as Error).message, route);
    }
    const text = res.body.toString('utf8');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
    if (res.status >= 500) o.onFailure?.();
    if (res.status !== 200) throw new ParakeetError(res.status, detailOf(body, text), route);
    return { status: res.status, body, text };
  };

  /** The ASR model from /health (cached a minute): verbose_json does not name it. */
  const model = async (): Promise<string | null> => {
    if (asrModel && Date.now() - asrModel.at < 60_000) return asrModel.value;
    try {
      const res = await request(`${base()}/health`, { dispatcher: agent, signal: AbortSignal.timeout(3000) });
      const body = (await res.body.json()) as { models?: { asr?: unknown } };
      const value = typeof body?.models?.asr === 'string' ? body.models.asr : null;
      asrModel = { value, at: Date.now() };
      return value;
    } catch {
      return null;
    }
  };

  return {
    async transcribeWords(path, w = {}) {
      const fields: Record<string, string | string[]> = {
        response_format: 'verbose_json',
        'timestamp_granularities[]': ['word', 'segment'],
      };
      if (w.language) fields.language = w.language;
      const [{ body }, name] = await Promise.all([
        post('/v1/audio/transcriptions', path, 'audio.wav', fields, w.signal),
        model(),
      ]);
      const b = body as { text?: unknown; language?: unknown } | null;
      return {
        text: typeof b?.text === 'string' ? b.text : '',
        language: typeof b?.language === 'string' ? b.language : (w.language ?? null),
        words: wordsOf(body),
        model: name,
      };
    },
    async diarizeChunk(path, w = {}) {
      const { body } = await post('/v1/audio/diarize-chunk', path, 'audio.wav', {}, w.signal);
      return diarizeChunkOf(body);
    },
    async relayDiarizeChunk(path, w) {
      const { status, body } = await post('/v1/audio/diarize-chunk', path, w.filename, {}, w.signal);
      return { status, body };
    },
    close: () => agent.close(),
  };
}

/** FastAPI's `detail` (a string, or a list of problems) or the raw text, cut short. */
function detailOf(body: unknown, text: string): string {
  const d = (body as { detail?: unknown } | null)?.detail;
  const s = typeof d === 'string' ? d : d !== undefined ? JSON.stringify(d) : text;
  return s.slice(0, 500);
}

/**
 * What a client sees for an upstream failure: a 5xx is the wedge path (503 + Retry-After: 60;
 * the hook already asked for a deep check), a 4xx keeps its message as our 400 (413 stays 413),
 * no answer at all is a 502.
 */
export function toClientError(err: unknown, what = 'Speech recognition'): unknown {
  if (!(err instanceof ParakeetError)) return err;
  if (err.status === null) return new AppError('UPSTREAM_ERROR', 'parakeet unreachable', { cause: err });
  if (err.status >= 500)
    return new AppError(
      'SERVICE_UNAVAILABLE',
      `${what} is temporarily unavailable; Spark Control is checking it.`,
      { headers: { 'retry-after': '60' }, cause: err },
    );
  if (err.status === 413) return new AppError('PAYLOAD_TOO_LARGE', `Parakeet refused the audio: ${err.text}`);
  return new AppError('BAD_REQUEST', `Parakeet refused the audio: ${err.text}`, { cause: err });
}
