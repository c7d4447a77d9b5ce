// POST /v1/audio/speech (OpenAI's body → Magpie → the asked format), GET /v1/audio/voices (Open
// WebUI's custom-TTS shape) and GET /v1/audio/models. Encoding errors are 502s naming the encoder.
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../../platform/http/errors.js';
import { MAX_INPUT, SAMPLE_RATE, speechRequest, synthesizeForm, type VoiceCatalog } from '../magpie.js';
import { clientFacingError } from '../openai-error.js';
import type { Upstream } from '../proxy.js';
import { encodeSpeech } from './encode.js';
import { findFfmpeg } from './ffmpeg.js';
import { planSpeech, SPEECH_FORMATS } from './formats.js';
import { speechFailure, sseEvents } from './send.js';
import { resolveVoice, TTS_MODEL_ID, voiceEntries, voiceMap } from './voices.js';

export interface SpeechDeps {
  upstream: Upstream;
  magpieBaseUrl: () => string | null;
  voices: VoiceCatalog;
  /** gateway.voice_map: OpenAI (or any) names → Magpie voices, over the shipped defaults. */
  voiceMap?: Record<string, string>;
  /** gateway.ffmpeg_path; null: look for `ffmpeg` on PATH. */
  ffmpegPath?: string | null;
  /** Magpie answered 5xx: probe it now. */
  onMagpieFailure?: () => void;
  unavailable: (what: string) => AppError;
  onFailed: (req: FastifyRequest) => void;
}

const tags = ['gateway'];

const speechBody = Type.Object(
  {
    model: Type.Optional(Type.String({ description: 'Ignored: Magpie serves every voice' })),
    input: Type.String({ description: `Text to speak, at most ${MAX_INPUT} characters` }),
    voice: Type.Unknown({
      description: 'alloy, echo, … (gateway.voice_map) or a Magpie voice (GET /v1/audio/voices)',
    }),
    response_format: Type.Optional(
      Type.String({
        description: `${SPEECH_FORMATS.join(', ')}; mp3 by default. opus, aac, flac need ffmpeg`,
      }),
    ),
    speed: Type.Optional(Type.Number({ description: '0.25-4; applied with ffmpeg, ignored without it' })),
    stream_format: Type.Optional(
      Type.String({ description: 'audio: chunks as encoded; sse: speech.audio.delta events' }),
    ),
  },
  { additionalProperties: true },
);

/** Rough token count for the SSE `usage` (OpenAI reports one; Magpie has no tokenizer to ask). */
const roughTokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));

export function speechRoutes(v1: FastifyInstance, d: SpeechDeps): void {
  const map = voiceMap(d.voiceMap);
  if (d.ffmpegPath && !findFfmpeg(d.ffmpegPath)) {
    v1.log.warn(
      { ffmpeg_path: d.ffmpegPath },
      'gateway.ffmpeg_path is not an executable file: speech formats that need ffmpeg are refused',
    );
  }

  v1.post(
    '/v1/audio/speech',
    {
      schema: {
        summary: 'OpenAI text to speech, synthesized by Magpie (mp3 by default)',
        tags,
        body: speechBody,
      },
    },
    async (req, reply) => {
      const s = speechRequest(req.body);
      const base = d.magpieBaseUrl();
      if (!base) throw new AppError('SERVICE_UNAVAILABLE', 'speech synthesis is not configured (magpie)');
      const known = await d.voices.voices().catch(() => null);
      const { voice, language } = resolveVoice(s.voice, map, known);
      const ffmpeg = findFfmpeg(d.ffmpegPath ?? null);
      const plan = planSpeech(s.format, s.speed, ffmpeg !== null);
      const form = synthesizeForm({
        text: s.input,
        language,
        voice,
        sample_rate_hz: String(SAMPLE_RATE),
        encoding: 'LINEAR_PCM',
      });
      const up = await d.upstream.post(`${base}/v1/audio/synthesize`, form, { service: 'magpie' });
      if (up.status >= 500) {
        req.log.warn({ status: up.status, upstream: up.body.toString('utf8', 0, 500) }, 'magpie failed');
        d.onMagpieFailure?.();
        throw d.unavailable('Speech synthesis');
      }
      if (up.status !== 200) {
        const error = clientFacingError(up.status, up.body.toString('utf8'), 'magpie', '');
        return reply.code(up.status).send({ error });
      }
      // The client leaving stops the encoder (ffmpeg is killed).
      const abort = new AbortController();
      reply.raw.once('close', () => {
        if (!reply.raw.writableFinished) abort.abort();
      });
      const chunks = encodeSpeech({ plan, wav: up.body, speed: s.speed, ffmpeg, signal: abort.signal });
      // Set once there is audio to send: an error answer keeps its JSON type.
      const audio = () => {
        reply.type(plan.contentType);
        if (s.speed !== 1 && !plan.speedApplied)
          reply.header('x-spark-control-speed', 'ignored: needs ffmpeg');
        return reply;
      };
      if (s.streamFormat === null) {
        const body = await whole(chunks, plan.format, abort.signal);
        return audio().send(body);
      }
      // Streams open with their first bytes, so an encoder that fails at once is still a clean 502.
      const first = await chunks.next().catch((err: unknown) => {
        throw speechFailure(err, plan.format);
      });
      audio();
      if (s.streamFormat === 'sse') {
        return sseEvents(reply, first, chunks, plan.format, roughTokens(s.input), () => d.onFailed(req));
      }
      return reply.send(streamOf(first, chunks, plan.format, reply, () => d.onFailed(req)));
    },
  );

  v1.get(
    '/v1/audio/voices',
    {
      schema: {
        summary: "Voices for /v1/audio/speech (OpenAI's names first), as Open WebUI reads them",
        tags,
      },
    },
    async () => {
      if (!d.magpieBaseUrl())
        throw new AppError('SERVICE_UNAVAILABLE', 'speech synthesis is not configured (magpie)');
      try {
        return { voices: voiceEntries(await d.voices.voices(), map) };
      } catch (err) {
        throw new AppError('UPSTREAM_ERROR', 'magpie unreachable', { cause: err });
      }
    },
  );

  v1.get(
    '/v1/audio/models',
    { schema: { summary: 'Text-to-speech models (every name speaks with Magpie)', tags } },
    async () => ({ models: [TTS_MODEL_ID, 'tts-1', 'tts-1-hd', 'gpt-4o-mini-tts'].map((id) => ({ id })) }),
  );
}

async function whole(chunks: AsyncGenerator<Buffer>, format: string, signal: AbortSignal): Promise<Buffer> {
  const parts: Buffer[] = [];
  try {
    for await (const c of chunks) {
      parts.push(c);
      if (signal.aborted) break;
    }
  } catch (err) {
    throw speechFailure(err, format);
  }
  return Buffer.concat(parts);
}

/** The rest of the encoder's output as a body stream; a failure after the first bytes cuts it off. */
function streamOf(
  first: IteratorResult<Buffer>,
  rest: AsyncGenerator<Buffer>,
  format: string,
  reply: FastifyReply,
  onFailed: () => void,
): Readable {
  async function* all(): AsyncGenerator<Buffer> {
    if (!first.done) yield first.value;
    try {
      yield* rest;
    } catch (err) {
      onFailed();
      reply.log.warn({ err }, `speech encoding (${format}) failed after streaming began`);
      throw err;
    }
  }
  return Readable.from(all(), { objectMode: false });
}
