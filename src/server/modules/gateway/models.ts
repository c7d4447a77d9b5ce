// GET /v1/models as one list over every kind of model the gateway serves: vLLM's LLM(s), the
// speech-to-text model, one text-to-speech entry and the embedding model. Each source lists its own
// entries; a source that is idle or unreachable contributes nothing instead of failing the list.
// Every entry gets `created` and `owned_by` (OpenAI's model object), and its kind in
// `spark_control.kind`. Magpie's voices are not models a chat UI should offer: they join the list
// only when asked (`?voices=1`, or `gateway.list_voices_in_models` for older consumers).

export type ModelKind = 'llm' | 'stt' | 'tts' | 'embeddings';

export interface ModelEntry extends Record<string, unknown> {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
  spark_control: { kind: ModelKind; voice?: true };
}

export interface ModelList {
  object: 'list';
  data: ModelEntry[];
}

export interface ListOptions {
  /** Also list each Magpie voice as a `tts` entry (the original's list). */
  voices: boolean;
}

export interface ModelSource {
  kind: ModelKind;
  /** `owned_by` for entries that do not say; the kind's service name unless given. */
  owner?: string;
  /** OpenAI model objects (at least an `id`); may throw when the service is down. */
  list(o: ListOptions): Promise<Record<string, unknown>[]>;
}

/** The one TTS entry of the default list (speech/voices.ts): Magpie, whatever voice is asked for. */
export { TTS_MODEL_ID } from './speech/voices.js';

const DEFAULT_OWNER: Record<ModelKind, string> = {
  llm: 'vllm',
  stt: 'parakeet',
  tts: 'magpie',
  embeddings: 'embeddings',
};

/**
 * At most this many entries per source: the list is rebuilt from upstream answers on every call,
 * so its size must not depend on what a service (or anything listening on its port) returns.
 * Magpie's 60-odd voices and a handful of LLMs are far below it.
 */
export const MAX_ENTRIES_PER_SOURCE = 500;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The `data` entries of an OpenAI list body that have a string id. */
export function listEntries(body: unknown): Obj[] {
  if (!isObj(body) || !Array.isArray(body.data)) return [];
  return body.data.filter((m): m is Obj => isObj(m) && typeof m.id === 'string');
}

/**
 * One source's entries as OpenAI model objects. `created` is the upstream's when it gives a whole
 * number, else `fallbackCreated` (the gateway's start): a stable value, so a list does not change
 * from one call to the next.
 */
export function toEntries(
  source: ModelSource,
  entries: readonly Obj[],
  fallbackCreated: number,
): ModelEntry[] {
  const owner = source.owner ?? DEFAULT_OWNER[source.kind];
  return entries
    .filter((m) => typeof m.id === 'string' && m.id !== '')
    .slice(0, MAX_ENTRIES_PER_SOURCE)
    .map((m): ModelEntry => {
      const extra = isObj(m.spark_control) && m.spark_control.voice === true ? { voice: true as const } : {};
      return {
        ...m,
        id: m.id as string,
        object: 'model',
        created:
          typeof m.created === 'number' && Number.isSafeInteger(m.created) && m.created >= 0
            ? m.created
            : fallbackCreated,
        owned_by: typeof m.owned_by === 'string' && m.owned_by ? m.owned_by : owner,
        spark_control: { kind: source.kind, ...extra },
      };
    });
}

export async function listModels(
  sources: readonly ModelSource[],
  o: ListOptions & { created: number },
): Promise<ModelList> {
  const lists = await Promise.all(
    sources.map(async (s) => {
      try {
        return toEntries(s, await s.list({ voices: o.voices }), o.created);
      } catch {
        return [];
      }
    }),
  );
  return { object: 'list', data: lists.flat() };
}

/** The entry with this id (voices included, so an old consumer's saved voice id still resolves). */
export async function findModel(
  sources: readonly ModelSource[],
  id: string,
  created: number,
): Promise<ModelEntry | null> {
  const { data } = await listModels(sources, { voices: true, created });
  return data.find((m) => m.id === id) ?? null;
}

/** `?voices=1` (also `true`, `yes`, `on`) asks for the per-voice entries. */
export function wantsVoices(query: unknown, configured: boolean): boolean {
  if (configured) return true;
  const v = isObj(query) ? query.voices : undefined;
  return typeof v === 'string' && /^(1|true|yes|on)$/i.test(v);
}

/** OpenAI's answer for an unknown model id: 404 with `param: "model"`, code `model_not_found`. */
export function modelNotFound(id: string) {
  return {
    error: {
      message: `The model \`${id}\` does not exist.`,
      type: 'invalid_request_error',
      param: 'model',
      code: 'model_not_found',
    },
  };
}
