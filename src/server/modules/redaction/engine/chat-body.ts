// The non-streaming halves of the redacting chat route: scrub every text a chat request carries
// before it goes to the model, and put the values back into a chat completion that comes back.
import { jsonStringEscape, rehydrateText } from './rehydrate.js';
import { scrubText } from './scrub.js';
import type { Detector, EntityFound, PlaceholderTable } from './types.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Text fields of a message or a delta that carry model-visible prose. */
export const TEXT_FIELDS = ['content', 'reasoning_content', 'reasoning'] as const;

export interface ScrubbedChatRequest<T> {
  body: T;
  found: EntityFound[];
}

/**
 * Scrubs every message's text: string content, `{type:'text', text}` parts, reasoning, tool-call
 * arguments (as JSON: each string inside, so values stay whole) and tool results. Other parts
 * (images, audio), `name` fields and the request's own settings go as they are. Returns a new body;
 * a detector that throws makes the whole call throw (fail-closed).
 */
export function scrubChatRequest<T>(
  body: T,
  detectors: readonly Detector[],
  table: PlaceholderTable,
): ScrubbedChatRequest<T> {
  const counts = new Map<string, EntityFound>();
  const scrub = (text: string): string => {
    const r = scrubText(text, detectors, table);
    for (const f of r.found) {
      const seen = counts.get(f.placeholder);
      if (seen) seen.count += f.count;
      else counts.set(f.placeholder, { ...f });
    }
    return r.text;
  };
  const copy = structuredClone(body);
  const messages = isObject(copy) ? copy.messages : undefined;
  if (Array.isArray(messages)) {
    for (const m of messages) {
      if (!isObject(m)) continue;
      for (const field of TEXT_FIELDS) {
        const v = m[field];
        if (typeof v === 'string') m[field] = scrub(v);
        else if (Array.isArray(v)) for (const part of v) scrubPart(part, scrub);
      }
      if (Array.isArray(m.tool_calls)) {
        for (const call of m.tool_calls) {
          const fn = isObject(call) ? call.function : undefined;
          if (isObject(fn) && typeof fn.arguments === 'string')
            fn.arguments = scrubJsonText(fn.arguments, scrub);
        }
      }
    }
  }
  return { body: copy, found: [...counts.values()] };
}

function scrubPart(part: unknown, scrub: (t: string) => string): void {
  if (isObject(part) && part.type === 'text' && typeof part.text === 'string') part.text = scrub(part.text);
}

/** JSON text scrubbed string by string (keys stay); text that is not JSON is scrubbed as text. */
export function scrubJsonText(text: string, scrub: (t: string) => string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return scrub(text);
  }
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return scrub(v);
    if (Array.isArray(v)) return v.map(walk);
    if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return JSON.stringify(walk(parsed));
}

/**
 * Puts the values back into a (non-streaming) chat completion: each choice's message content
 * (string or text parts), reasoning and tool-call arguments (JSON-escaped), and a completion's
 * `text`. Returns a new object; anything that is not a completion comes back as it is.
 */
export function rehydrateChatCompletion<T>(json: T, table: PlaceholderTable): T {
  if (!isObject(json) || !Array.isArray(json.choices)) return json;
  const copy = structuredClone(json) as Json;
  for (const choice of copy.choices as unknown[]) {
    if (!isObject(choice)) continue;
    if (typeof choice.text === 'string') choice.text = rehydrateText(choice.text, table);
    const msg = choice.message;
    if (!isObject(msg)) continue;
    for (const field of TEXT_FIELDS) {
      const v = msg[field];
      if (typeof v === 'string') msg[field] = rehydrateText(v, table);
      else if (Array.isArray(v))
        for (const part of v)
          if (isObject(part) && part.type === 'text' && typeof part.text === 'string')
            part.text = rehydrateText(part.text, table);
    }
    if (Array.isArray(msg.tool_calls)) {
      for (const call of msg.tool_calls) {
        const fn = isObject(call) ? call.function : undefined;
        if (isObject(fn) && typeof fn.arguments === 'string')
          fn.arguments = rehydrateText(fn.arguments, table, { encode: jsonStringEscape });
      }
    }
  }
  return copy as T;
}
