// One `data:` payload of vLLM's chat-completions stream read as what the dashboard shows: the
// model's thinking apart from its answer. Current vLLM streams thinking as `delta.reasoning`;
// older releases (and other OpenAI-compatible servers) as `delta.reasoning_content`. Pure.
import type { ExplainEvent } from '../../../common/updates-api.js';

export type ChunkReading =
  | { kind: 'events'; events: ExplainEvent[]; finished: boolean }
  /** `data: [DONE]`: the answer is complete. */
  | { kind: 'done' }
  /** vLLM's in-stream error (`data: {"error":{…}}`): its status and the payload, to be said safely. */
  | { kind: 'error'; status: number; text: string };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

export function readChunk(data: string): ChunkReading {
  if (data.trim() === '[DONE]') return { kind: 'done' };
  let body: unknown;
  try {
    body = JSON.parse(data);
  } catch {
    // Not JSON (a keep-alive, a proxy's noise): nothing to show.
    return { kind: 'events', events: [], finished: false };
  }
  if (!isObj(body)) return { kind: 'events', events: [], finished: false };
  if (body.error !== undefined && body.error !== null) {
    const code = isObj(body.error) ? body.error.code : undefined;
    const status = typeof code === 'number' && code >= 400 && code <= 599 ? code : 502;
    return { kind: 'error', status, text: data };
  }
  const choices = Array.isArray(body.choices) ? body.choices.filter(isObj) : [];
  // One answer is asked for (no `n`): only the first choice counts.
  const choice = choices.find((c) => c.index === 0 || c.index === undefined);
  if (!choice) return { kind: 'events', events: [], finished: false };
  const delta = isObj(choice.delta) ? choice.delta : {};
  const events: ExplainEvent[] = [];
  const reasoning = text(delta.reasoning) || text(delta.reasoning_content);
  if (reasoning) events.push({ type: 'reasoning', text: reasoning });
  const content = text(delta.content);
  if (content) events.push({ type: 'content', text: content });
  const finished = typeof choice.finish_reason === 'string' && choice.finish_reason !== '';
  return { kind: 'events', events, finished };
}
