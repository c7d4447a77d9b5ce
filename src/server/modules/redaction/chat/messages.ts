// The texts of an OpenAI chat request that the redacting route scrubs: every message's string
// content, its text parts, an assistant's reasoning and its tool calls' arguments. Everything else
// (model, sampling, tool schemas) goes to vLLM as sent. Local stand-in for the engine's
// scrubChatRequest (engine/sse-rehydrate.ts); the lead may swap it in at merge.
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

interface Slot {
  on: Obj;
  key: string;
}

/** A deep copy of the request with every text slot; `task_id` (ours, not vLLM's) removed. */
export function chatTextSlots(body: Obj): { copy: Obj; slots: Slot[] } {
  const copy = structuredClone(body);
  delete copy.task_id;
  const slots: Slot[] = [];
  const text = (on: Obj, key: string) => {
    if (typeof on[key] === 'string') slots.push({ on, key });
  };
  const messages = Array.isArray(copy.messages) ? copy.messages : [];
  for (const m of messages) {
    if (!isObj(m)) continue;
    text(m, 'content');
    text(m, 'reasoning_content');
    text(m, 'reasoning');
    if (Array.isArray(m.content)) for (const part of m.content) if (isObj(part)) text(part, 'text');
    if (Array.isArray(m.tool_calls))
      for (const call of m.tool_calls)
        if (isObj(call) && isObj(call.function)) text(call.function, 'arguments');
  }
  return { copy, slots };
}

/** Scrubs the request's texts with `scrub` (all at once: one vault transaction) and returns the copy. */
export function scrubChatMessages<T extends { texts: string[] }>(
  body: Obj,
  scrub: (texts: string[]) => T,
): { body: Obj; scrub: T } {
  const { copy, slots } = chatTextSlots(body);
  const done = scrub(slots.map((s) => s.on[s.key] as string));
  slots.forEach((s, i) => {
    s.on[s.key] = done.texts[i];
  });
  return { body: copy, scrub: done };
}
