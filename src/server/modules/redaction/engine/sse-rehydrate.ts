// Rehydrates an OpenAI chat-completions SSE stream as vLLM sends it, incrementally and purely:
// bytes or text in, text out. Each choice's content, reasoning and tool-call arguments go through
// their own StreamingRehydrator; what a rehydrator still holds when its choice finishes is added to
// the chunk carrying `finish_reason` (or, if none comes, to a chunk of its own right before
// `[DONE]` or the end of the stream). Events split across input chunks are reassembled line by
// line. Comments, `data: [DONE]`, `data: {"error":…}`, a chunk without placeholders and anything
// unparseable pass through byte for byte. (A line-based splitter rather than an SSE parser library:
// untouched lines must be passed on exactly as they came.)
import { ChoiceRehydrator, isObject } from './sse-choice.js';
import { buildIndex, type PlaceholderIndex } from './tolerant-match.js';
import type { PlaceholderTable } from './types.js';

export { rehydrateChatCompletion, scrubChatRequest } from './chat-body.js';

export interface SseRehydrator {
  push(chunk: string | Uint8Array): string;
  /** The end of the upstream stream: what is buffered or held, flushed. */
  end(): string;
}

type Json = Record<string, unknown>;

export function createChatSseRehydrator(table: PlaceholderTable): SseRehydrator {
  return new ChatSseRehydrator(table);
}

class ChatSseRehydrator implements SseRehydrator {
  private readonly decoder = new TextDecoder();
  private partial = '';
  private readonly choices = new Map<number, ChoiceRehydrator>();
  /** id/created/model of the last chunk, for a synthetic flush chunk. */
  private meta: Json = {};
  /** Built on the first text that needs it, then shared by every choice's rehydrators. */
  private index: PlaceholderIndex | null | undefined;

  constructor(private readonly table: PlaceholderTable) {}

  push(chunk: string | Uint8Array): string {
    const text =
      this.partial + (typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true }));
    let out = '';
    let at = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', at)) {
      out += this.line(text.slice(at, nl + 1));
      at = nl + 1;
    }
    this.partial = text.slice(at);
    return out;
  }

  end(): string {
    const rest = this.partial + this.decoder.decode();
    this.partial = '';
    const out = rest === '' ? '' : this.line(rest);
    const flush = this.flushAll();
    return flush === '' ? out : out + (rest === '' ? '' : '\n\n') + flush;
  }

  /** One line with its terminator (none for the stream's last, unterminated line). */
  private line(raw: string): string {
    if (!raw.startsWith('data:')) return raw;
    const ending = raw.endsWith('\r\n') ? '\r\n' : raw.endsWith('\n') ? '\n' : '';
    let payload = raw.slice(5, raw.length - ending.length);
    if (payload.startsWith(' ')) payload = payload.slice(1);
    if (payload === '[DONE]') return this.flushAll() + raw;
    const changed = this.chunk(payload);
    return changed === null ? raw : `data: ${changed}${ending}`;
  }

  /** The rewritten chunk JSON, or null to pass the line on unchanged. */
  private chunk(payload: string): string | null {
    let obj: unknown;
    try {
      obj = JSON.parse(payload);
    } catch {
      return null;
    }
    if (!isObject(obj) || !Array.isArray(obj.choices)) return null; // errors, usage-only chunks
    this.meta = { id: obj.id, object: obj.object, created: obj.created, model: obj.model };
    let changed = false;
    obj.choices.forEach((choice: unknown, pos) => {
      if (!isObject(choice)) return;
      const index = typeof choice.index === 'number' ? choice.index : pos;
      const delta = isObject(choice.delta) ? choice.delta : null;
      let state = this.choices.get(index);
      if (delta && (delta.content || delta.reasoning_content || delta.reasoning || delta.tool_calls)) {
        if (this.index === undefined) this.index = buildIndex(this.table);
        if (!state) this.choices.set(index, (state = new ChoiceRehydrator(this.table, this.index)));
        changed = state.push(delta) || changed;
      }
      if (choice.finish_reason !== null && choice.finish_reason !== undefined && state) {
        const target = delta ?? (choice.delta = {});
        changed = state.flushInto(target as Json) || changed;
        this.choices.delete(index);
      }
    });
    return changed ? JSON.stringify(obj) : null;
  }

  /** A chunk per choice whose held text never met a finish_reason. */
  private flushAll(): string {
    let out = '';
    for (const [index, state] of this.choices) {
      const delta: Json = {};
      if (!state.flushInto(delta)) continue;
      const chunk = {
        id: this.meta.id,
        object: this.meta.object ?? 'chat.completion.chunk',
        created: this.meta.created,
        model: this.meta.model,
        choices: [{ index, delta, logprobs: null, finish_reason: null }],
      };
      out += `data: ${JSON.stringify(chunk)}\n\n`;
    }
    this.choices.clear();
    return out;
  }
}
