// The speech routes of the gateway (SPEC §9): transcriptions received whole, then relayed to Parakeet,
// OpenAI speech requests turned into Magpie synthesize calls, and Magpie's voice list.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../platform/http/errors.js';
import {
  flattenVoices,
  languageOf,
  MAX_INPUT,
  SAMPLE_RATE,
  speechRequest,
  synthesizeForm,
  VoiceCatalog,
  wavData,
} from './magpie.js';
import { clientFacingError } from './openai-error.js';
import type { Upstream } from './proxy.js';
import { acceptMultipart, checkTranscriptionForm, receiveUpload, type UploadPolicy } from './upload.js';

export type SpeechService = 'parakeet' | 'magpie';

export interface AudioDeps {
  upstream: Upstream;
  /** Parakeet's and Magpie's base URLs (`http://host:port`); null when not configured. */
  parakeetBaseUrl: () => string | null;
  magpieBaseUrl: () => string | null;
  voices: VoiceCatalog;
  /** Largest upload (MB) for transcriptions. */
  maxUploadMb: number;
  /** Upload slots and where uploads are spooled. */
  uploads: UploadPolicy;
  /** An upstream answered 5xx: the app probes the service now (and may restart it). */
  onSpeechFailure?: (service: SpeechService) => void;
  /** The client got an error after the headers (for per-key stats). */
  onFailed: (req: FastifyRequest) => void;
}

const tags = ['gateway'];
const RETRY = { 'retry-after': '60' };

const unavailable = (what: string) =>
  new AppError('SERVICE_UNAVAILABLE', `${what} is temporarily unavailable; Spark Control is checking it.`, {
    headers: RETRY,
  });

/** Magpie's voices for the catalog, from its list_voices route. */
export function magpieVoices(upstream: Upstream, base: () => string | null): VoiceCatalog {
  return new VoiceCatalog({
    fetch: async () => {
      const url = base();
      if (!url) return [];
      const { status, body } = await upstream.getJson(`${url}/v1/audio/list_voices`);
      if (status !== 200) throw new Error(`magpie answered HTTP ${status}`);
      return flattenVoices(body);
    },
  });
}

const speechBody = Type.Object(
  {
    model: Type.Optional(Type.String({ description: 'Ignored: Magpie serves every voice' })),
    input: Type.String({ description: `Text to speak, at most ${MAX_INPUT} characters` }),
    voice: Type.Unknown({ description: 'A Magpie voice (GET /v1/audio/voices)' }),
    response_format: Type.Optional(Type.String({ description: 'wav or pcm (mp3 default is refused)' })),
    speed: Type.Optional(Type.Number({ description: '0.25-4; accepted but not applied' })),
  },
  { additionalProperties: true },
);

export function audioRoutes(v1: FastifyInstance, d: AudioDeps): void {
  acceptMultipart(v1);

  v1.post(
    '/v1/audio/transcriptions',
    {
      schema: { summary: 'OpenAI transcription (multipart), received whole, then relayed to Parakeet', tags },
    },
    async (req, reply) => {
      const base = d.parakeetBaseUrl();
      if (!base) throw new AppError('SERVICE_UNAVAILABLE', 'speech recognition is not configured (parakeet)');
      const up = await receiveUpload(req, reply, { ...d.uploads, limitMb: d.maxUploadMb });
      await checkTranscriptionForm(up);
      await d.upstream.relay(req, reply, {
        url: `${base}/v1/audio/transcriptions`,
        body: up.body(),
        contentType: up.contentType,
        contentLength: up.contentLength,
        service: 'parakeet',
        streaming: false,
        intercept: {
          when: (status) => status >= 500,
          error: (status, text) => {
            req.log.warn({ status, upstream: text.slice(0, 500) }, 'parakeet transcription failed');
            d.onSpeechFailure?.('parakeet');
            return unavailable('Speech recognition');
          },
        },
        onFailed: () => d.onFailed(req),
      });
    },
  );

  v1.post(
    '/v1/audio/speech',
    {
      schema: {
        summary: 'OpenAI text to speech, synthesized by Magpie (wav or pcm)',
        tags,
        body: speechBody,
      },
    },
    async (req, reply) => {
      const s = speechRequest(req.body);
      const base = d.magpieBaseUrl();
      if (!base) throw new AppError('SERVICE_UNAVAILABLE', 'speech synthesis is not configured (magpie)');
      const known = await d.voices.voices().catch(() => null);
      const language = languageOf(s.voice);
      if ((known && !known.includes(s.voice)) || !language) {
        throw new AppError(
          'BAD_REQUEST',
          `Unknown voice "${s.voice}". GET /v1/audio/voices (or the "tts" entries of GET /v1/models) ` +
            `lists the voices${known?.[0] ? `, e.g. "${known[0]}"` : ''}.`,
        );
      }
      const form = synthesizeForm({
        text: s.input,
        language,
        voice: s.voice,
        sample_rate_hz: String(SAMPLE_RATE),
        encoding: 'LINEAR_PCM',
      });
      const up = await d.upstream.post(`${base}/v1/audio/synthesize`, form, { service: 'magpie' });
      if (up.status >= 500) {
        req.log.warn({ status: up.status, upstream: up.body.toString('utf8', 0, 500) }, 'magpie failed');
        d.onSpeechFailure?.('magpie');
        throw unavailable('Speech synthesis');
      }
      if (up.status !== 200) {
        const error = clientFacingError(up.status, up.body.toString('utf8'), 'magpie', '');
        return reply.code(up.status).send({ error });
      }
      if (s.format === 'wav') return reply.type('audio/wav').send(up.body);
      const pcm = wavData(up.body);
      if (!pcm) throw new AppError('UPSTREAM_ERROR', 'magpie answered audio that is not a WAV file');
      return reply.type('audio/pcm').send(pcm);
    },
  );

  v1.get(
    '/v1/audio/voices',
    { schema: { summary: "Magpie's voices, for the `voice` of /v1/audio/speech", tags } },
    async () => {
      if (!d.magpieBaseUrl())
        throw new AppError('SERVICE_UNAVAILABLE', 'speech synthesis is not configured (magpie)');
      try {
        return { voices: await d.voices.voices() };
      } catch (err) {
        throw new AppError('UPSTREAM_ERROR', 'magpie unreachable', { cause: err });
      }
    },
  );
}
