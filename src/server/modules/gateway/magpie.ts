// What the gateway needs to speak Magpie (NVIDIA's TTS NIM): the OpenAI speech request checked and
// mapped to NIM form fields and the voice catalog (cached). Encoding the WAV is speech/'s part.
import { FormData } from 'undici';
import { AppError } from '../../platform/http/errors.js';
import { isSpeechFormat, SPEECH_FORMATS, type SpeechFormat } from './speech/formats.js';

export const SAMPLE_RATE = 22050;
export const MAX_INPUT = 4096;

export interface SpeechRequest {
  input: string;
  voice: string;
  format: SpeechFormat;
  /** 0.25–4; 1 when absent. */
  speed: number;
  /** `audio`: the bytes streamed as they are encoded; `sse`: OpenAI's speech events; null: whole. */
  streamFormat: 'audio' | 'sse' | null;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const bad = (message: string) => new AppError('BAD_REQUEST', message);

/** The voice's locale: `Magpie-Multilingual.EN-US.Mia` → `en-US`; null when the name has none. */
export function languageOf(voice: string): string | null {
  const m = /^[^.]+\.([A-Za-z]{2,3})-([A-Za-z]{2,4})(?:\.|$)/.exec(voice);
  return m?.[1] && m[2] ? `${m[1].toLowerCase()}-${m[2].toUpperCase()}` : null;
}

/** Checks an OpenAI `/v1/audio/speech` body (the format's encoder is chosen later: speech/formats.ts). */
export function speechRequest(body: unknown): SpeechRequest {
  const b = isObj(body) ? body : {};
  const { input, speed } = b;
  if (typeof input !== 'string' || input.trim() === '' || input.length > MAX_INPUT) {
    throw bad(`\`input\` must be a text of 1 to ${MAX_INPUT} characters.`);
  }
  const voice = isObj(b.voice) ? b.voice.id : b.voice;
  if (typeof voice !== 'string' || voice === '') {
    throw bad('`voice` is required: alloy, echo, … or one of the voices listed by GET /v1/audio/voices.');
  }
  if (
    speed !== undefined &&
    speed !== null &&
    (typeof speed !== 'number' || !(speed >= 0.25 && speed <= 4))
  ) {
    throw bad('`speed` must be a number from 0.25 to 4.');
  }
  const format = b.response_format ?? 'mp3';
  if (!isSpeechFormat(format)) {
    throw bad(`\`response_format\` must be one of ${SPEECH_FORMATS.join(', ')}.`);
  }
  const stream = b.stream_format ?? null;
  if (stream !== null && stream !== 'audio' && stream !== 'sse') {
    throw bad('`stream_format` must be "audio" or "sse".');
  }
  return { input, voice, format, speed: typeof speed === 'number' ? speed : 1, streamFormat: stream };
}

/** Every voice name in Magpie's `/v1/audio/list_voices` answer (one key per group of locales). */
export function flattenVoices(body: unknown): string[] {
  if (!isObj(body)) return [];
  const all = Object.values(body).flatMap((g) =>
    isObj(g) && Array.isArray(g.voices) ? g.voices.filter((v): v is string => typeof v === 'string') : [],
  );
  // Bounded like every list (GET /v1/audio/voices): Magpie has 60-odd voices.
  return [...new Set(all)].slice(0, MAX_VOICES);
}

/** The most voices listed, whatever the service answers. */
export const MAX_VOICES = 500;

/**
 * The text fields the NIM's synthesize endpoint reads, as a `FormData`: undici encodes it when it
 * is sent (boundary, content type, escaping of names and values), so nothing here writes MIME.
 * It is undici's own `FormData`, not Node 20's global one: the global comes from the undici bundled
 * in Node, and the undici we send with refuses a foreign instance ("action is not a function").
 */
export function synthesizeForm(fields: Record<string, string>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  return form;
}

/** Magpie's voice names, fetched at most every `maxAgeMs`; a failed refresh keeps the last list. */
export class VoiceCatalog {
  private cache: { at: number; voices: string[] } | null = null;
  private pending: Promise<string[]> | null = null;

  constructor(
    private readonly o: { fetch: () => Promise<string[]>; maxAgeMs?: number; now?: () => number },
  ) {}

  async voices(): Promise<string[]> {
    const now = this.o.now?.() ?? Date.now();
    if (this.cache && now - this.cache.at < (this.o.maxAgeMs ?? 5 * 60_000)) return this.cache.voices;
    this.pending ??= this.o
      .fetch()
      .then((voices) => {
        this.cache = { at: now, voices };
        return voices;
      })
      .finally(() => {
        this.pending = null;
      });
    try {
      return await this.pending;
    } catch (e) {
      if (this.cache) return this.cache.voices;
      throw e;
    }
  }
}
