// A local stand-in for the engine's engine/sse-rehydrate.ts (same names, so the lead can swap the
// import in chat/redact-chat.ts at merge): rehydrates an OpenAI chat-completions SSE stream as it
// arrives. Per choice, content / reasoning and each tool call's arguments get a StreamingRehydrator
// of their own; what one holds back is flushed into that choice's chunk carrying finish_reason, or
// into a synthetic chunk before [DONE]. Lines it does not change pass through byte for byte.
import { rehydrateText } from '../engine/rehydrate.js';
import { StreamingRehydrator } from '../engine/stream-rehydrator.js';
import type { PlaceholderTable } from '../engine/types.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const TEXT_FIELDS = ['content', 'reasoning_content', 'reasoning'] as const;

export interface ChatSseRehydrator {
  /** SSE text in (any split), SSE text out (whole lines only). */
  push(chunk: string): string;
  /** The stream ended: whatever is still held. */
  end(): string;
}

export function createChatSseRehydrator(table: PlaceholderTable): ChatSseRehydrator {
  let partial = '';
  const held = new Map<string, StreamingRehydrator>();
  let last: Obj | null = null;
  const rehydrator = (key: string) => {
    let r = held.get(key);
    if (!r) held.set(key, (r = new StreamingRehydrator(table)));
    return r;
  };
  /** Ends every rehydrator of one choice, returning what they held by field. */
  const flushChoice = (index: number): Map<string, string> => {
    const out = new Map<string, string>();
    for (const [key, r] of held) {
      if (!key.startsWith(`${index}:`)) continue;
      const rest = r.end();
      held.delete(key);
      if (rest) out.set(key.slice(key.indexOf(':') + 1), rest);
    }
    return out;
  };
  const applyFlush = (delta: Obj, rest: Map<string, string>) => {
    for (const [field, text] of rest) {
      if (field.startsWith('tool:')) continue; // arguments are flushed in place below
      delta[field] = (typeof delta[field] === 'string' ? delta[field] : '') + text;
    }
  };
  const line = (raw: string): string => {
    const body = raw.replace(/\r$/, '');
    if (!body.startsWith('data:')) return raw;
    const payload = body.slice(5).trim();
    if (payload === '[DONE]') return syntheticFlush() + raw;
    let chunk: unknown;
    try {
      chunk = JSON.parse(payload);
    } catch {
      return raw;
    }
    if (!isObj(chunk) || !Array.isArray(chunk.choices)) return raw;
    last = chunk;
    for (const c of chunk.choices) {
      if (!isObj(c)) continue;
      const index = typeof c.index === 'number' ? c.index : 0;
      const delta = isObj(c.delta) ? c.delta : null;
      if (delta) {
        for (const f of TEXT_FIELDS)
          if (typeof delta[f] === 'string') delta[f] = rehydrator(`${index}:${f}`).push(delta[f]);
        if (Array.isArray(delta.tool_calls))
          for (const call of delta.tool_calls) {
            if (!isObj(call) || !isObj(call.function) || typeof call.function.arguments !== 'string')
              continue;
            const r = rehydrator(`${index}:tool:${typeof call.index === 'number' ? call.index : 0}`);
            call.function.arguments = r.push(call.function.arguments);
            if (c.finish_reason != null) call.function.arguments += r.end();
          }
      }
      if (c.finish_reason != null) {
        const rest = flushChoice(index);
        if (rest.size > 0) applyFlush(isObj(c.delta) ? c.delta : (c.delta = {}), rest);
      }
    }
    return `data: ${JSON.stringify(chunk)}${raw.endsWith('\r') ? '\r' : ''}`;
  };
  /** Held text of choices that never sent finish_reason, as one chunk before [DONE]. */
  const syntheticFlush = (): string => {
    const indexes = new Set([...held.keys()].map((k) => Number(k.slice(0, k.indexOf(':')))));
    const choices = [...indexes].flatMap((index) => {
      const delta: Obj = {};
      for (const [field, text] of flushChoice(index)) {
        if (field.startsWith('tool:'))
          delta.tool_calls = [{ index: Number(field.slice(5)), function: { arguments: text } }];
        else delta[field] = text;
      }
      return Object.keys(delta).length ? [{ index, delta, finish_reason: null }] : [];
    });
    if (choices.length === 0) return '';
    const base = last ?? {};
    const chunk = { id: base.id, object: base.object, created: base.created, model: base.model, choices };
    return `data: ${JSON.stringify(chunk)}\n\n`;
  };
  return {
    push(text) {
      const all = partial + text;
      const cut = all.lastIndexOf('\n');
      if (cut < 0) {
        partial = all;
        return '';
      }
      partial = all.slice(cut + 1);
      return all
        .slice(0, cut + 1)
        .split('\n')
        .map((l, i, a) => (i === a.length - 1 ? l : line(l)))
        .join('\n');
    },
    end() {
      const rest = partial ? line(partial) : '';
      partial = '';
      return rest + syntheticFlush();
    },
  };
}

/** A whole (non-streaming) chat completion with the task's values back in every text field. */
export function rehydrateChatCompletion(json: unknown, table: PlaceholderTable): unknown {
  if (!isObj(json) || !Array.isArray(json.choices)) return json;
  for (const c of json.choices) {
    if (!isObj(c) || !isObj(c.message)) continue;
    const m = c.message;
    for (const f of TEXT_FIELDS) if (typeof m[f] === 'string') m[f] = rehydrateText(m[f], table);
    if (Array.isArray(m.tool_calls))
      for (const call of m.tool_calls)
        if (isObj(call) && isObj(call.function) && typeof call.function.arguments === 'string')
          call.function.arguments = rehydrateText(call.function.arguments, table);
  }
  return json;
}
