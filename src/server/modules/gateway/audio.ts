// The speech routes of the gateway (SPEC §9): transcriptions received whole, then relayed to Parakeet,
// OpenAI speech requests turned into Magpie synthesize calls, and Magpie's voice list.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/http/errors.js';
import type { SpeechApi } from '../../../common/services-api.js';
import { flattenVoices, VoiceCatalog } from './magpie.js';
import { transcribeWithNim } from './nim-relay.js';
import type { Upstream } from './proxy.js';
import { speechRoutes } from './speech/routes.js';
import {
  acceptMultipart,
  checkTranscriptionForm,
  receiveUpload,
  type ReceivedUpload,
  type UploadPolicy,
} from './upload.js';

export type SpeechService = 'parakeet' | 'magpie';

export interface AudioDeps {
  upstream: Upstream;
  /** Parakeet's and Magpie's base URLs (`http://host:port`); null when not configured. */
  parakeetBaseUrl: () => string | null;
  /** Which API the ASR service speaks (config services.parakeet.api); the Parakeet app when absent. */
  parakeetApi?: () => SpeechApi | undefined;
  magpieBaseUrl: () => string | null;
  voices: VoiceCatalog;
  /** gateway.voice_map and gateway.ffmpeg_path (speech/). */
  voiceMap?: Record<string, string>;
  ffmpegPath?: string | null;
  /** Largest upload (MB) for transcriptions. */
  maxUploadMb: number;
  /** Upload slots and where uploads are spooled. */
  uploads: UploadPolicy;
  /** An upstream answered 5xx: the app probes the service now (and may restart it). */
  onSpeechFailure?: (service: SpeechService) => void;
  /** The client got an error after the headers (for per-key stats). */
  onFailed: (req: FastifyRequest) => void;
  /**
   * The global cap on GPU-bound audio work (audio.gpu_concurrency, shared with /api/audio): a slot
   * now or 503 + Retry-After, which the OpenAI clients retry by themselves.
   */
  gpu?: { tryAcquire(): () => void };
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
      // Taken after the form checks, so bad input is a 400 even while the GPU is busy.
      const release = d.gpu?.tryAcquire();
      try {
        await relayTranscription(req, reply, up, base, d);
      } finally {
        release?.();
      }
    },
  );

  speechRoutes(v1, {
    upstream: d.upstream,
    magpieBaseUrl: d.magpieBaseUrl,
    voices: d.voices,
    voiceMap: d.voiceMap,
    ffmpegPath: d.ffmpegPath,
    onMagpieFailure: () => d.onSpeechFailure?.('magpie'),
    unavailable,
    onFailed: d.onFailed,
  });
}

async function relayTranscription(
  req: FastifyRequest,
  reply: FastifyReply,
  up: ReceivedUpload,
  base: string,
  d: AudioDeps,
): Promise<void> {
  if (d.parakeetApi?.() === 'nim') {
    await transcribeWithNim(reply, up, base, {
      upstream: d.upstream,
      onFailure: () => d.onSpeechFailure?.('parakeet'),
      unavailable,
    });
    return;
  }
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
}
