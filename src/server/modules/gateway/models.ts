// GET /v1/models as one list over every kind of model the gateway serves. Each source (vLLM now;
// speech and embeddings later) lists its own entries; a source that is idle or unreachable
// contributes nothing instead of failing the whole list.

export type ModelKind = 'llm' | 'stt' | 'tts' | 'embeddings';

export interface ModelEntry extends Record<string, unknown> {
  id: string;
  object: string;
  spark_control: { kind: ModelKind };
}

export interface ModelList {
  object: 'list';
  data: ModelEntry[];
}

export interface ModelSource {
  kind: ModelKind;
  /** OpenAI model objects (at least an `id`); may throw when the service is down. */
  list(): Promise<Record<string, unknown>[]>;
}

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

export async function listModels(sources: readonly ModelSource[]): Promise<ModelList> {
  const lists = await Promise.all(
    sources.map(async (s) => {
      try {
        const entries = await s.list();
        return entries
          .filter((m) => typeof m.id === 'string')
          .slice(0, MAX_ENTRIES_PER_SOURCE)
          .map((m): ModelEntry => ({
            ...m,
            id: m.id as string,
            object: typeof m.object === 'string' ? m.object : 'model',
            spark_control: { kind: s.kind },
          }));
      } catch {
        return [];
      }
    }),
  );
  return { object: 'list', data: lists.flat() };
}
