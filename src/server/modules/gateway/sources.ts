// The /v1/models entries of the services beside vLLM: Parakeet's ASR model (from its /health),
// Magpie's one TTS model entry (plus every voice when asked), and the embeddings server's models. Each throws or returns nothing when its
// service is down, so the merged list never fails (see models.ts).
import type { SpeechApi } from '../../../common/services-api.js';
import type { VoiceCatalog } from './magpie.js';
import { languageOf } from './magpie.js';
import { listEntries, TTS_MODEL_ID, type ModelSource } from './models.js';
import type { Upstream } from './proxy.js';

/** What the STT entry is called when Parakeet's /health does not name its model. */
export const DEFAULT_STT_MODEL = 'parakeet-tdt';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `http://host:port` of an embeddings URL given with or without a trailing `/v1`. */
export function embeddingsBase(url: string | null): string | null {
  if (!url) return null;
  return url.replace(/\/+$/, '').replace(/\/v1$/, '');
}

export interface SpeechSourceDeps {
  upstream: Upstream;
  parakeetBaseUrl: () => string | null;
  /** An ASR NIM names its model in /v1/models; the Parakeet app in /health. */
  parakeetApi?: () => SpeechApi | undefined;
  voices: VoiceCatalog;
  magpieBaseUrl: () => string | null;
  embeddingsUrl: string | null;
}

export function serviceModelSources(d: SpeechSourceDeps): ModelSource[] {
  return [
    {
      kind: 'stt',
      list: async () => {
        const base = d.parakeetBaseUrl();
        if (!base) return [];
        if (d.parakeetApi?.() === 'nim') {
          const models = await d.upstream.getJson(`${base}/v1/models`);
          const id = models.status === 200 ? listEntries(models.body)[0]?.id : undefined;
          return [
            { id: typeof id === 'string' ? id : DEFAULT_STT_MODEL, object: 'model', owned_by: 'nvidia-nim' },
          ];
        }
        const { status, body } = await d.upstream.getJson(`${base}/health`);
        if (status !== 200) return [];
        const asr = isObj(body) && isObj(body.models) ? body.models.asr : undefined;
        return [
          { id: typeof asr === 'string' ? asr : DEFAULT_STT_MODEL, object: 'model', owned_by: 'parakeet' },
        ];
      },
    },
    {
      kind: 'tts',
      // One entry for the TTS model, listed when Magpie answers; its voices only when asked for.
      list: async ({ voices: withVoices }) => {
        if (!d.magpieBaseUrl()) return [];
        const voices = await d.voices.voices();
        const model = { id: TTS_MODEL_ID, object: 'model', owned_by: 'magpie', voices: voices.length };
        if (!withVoices) return [model];
        return [
          model,
          ...voices.map((id) => ({
            id,
            object: 'model',
            owned_by: 'magpie',
            language: languageOf(id),
            spark_control: { voice: true },
          })),
        ];
      },
    },
    {
      kind: 'embeddings',
      list: async () => {
        const base = embeddingsBase(d.embeddingsUrl);
        if (!base) return [];
        const { status, body } = await d.upstream.getJson(`${base}/v1/models`);
        return status === 200 ? listEntries(body) : [];
      },
    },
  ];
}
