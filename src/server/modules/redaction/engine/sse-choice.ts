// One choice of a streamed chat completion: a StreamingRehydrator per text field and per tool
// call, so a placeholder split across chunks of the same field is restored whole.
import { TEXT_FIELDS } from './chat-body.js';
import { jsonStringEscape } from './rehydrate.js';
import { StreamingRehydrator } from './stream-rehydrator.js';
import type { PlaceholderIndex } from './tolerant-match.js';
import type { PlaceholderTable } from './types.js';

type Json = Record<string, unknown>;
export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export class ChoiceRehydrator {
  private readonly fields = new Map<string, StreamingRehydrator>();
  private readonly tools = new Map<number, StreamingRehydrator>();

  constructor(
    private readonly table: PlaceholderTable,
    private readonly index: PlaceholderIndex | null,
  ) {}

  /** Rehydrates a delta in place; true when anything in it changed. */
  push(delta: Json): boolean {
    let changed = false;
    for (const field of TEXT_FIELDS) {
      const v = delta[field];
      if (typeof v !== 'string' || v === '') continue;
      const out = this.field(field).push(v);
      if (out !== v) {
        delta[field] = out;
        changed = true;
      }
    }
    if (Array.isArray(delta.tool_calls)) {
      delta.tool_calls.forEach((call: unknown, pos) => {
        const fn = isObject(call) ? call.function : undefined;
        if (!isObject(call) || !isObject(fn) || typeof fn.arguments !== 'string' || fn.arguments === '')
          return;
        const out = this.tool(typeof call.index === 'number' ? call.index : pos).push(fn.arguments);
        if (out !== fn.arguments) {
          fn.arguments = out;
          changed = true;
        }
      });
    }
    return changed;
  }

  /** Appends every held suffix to the delta (the choice's last); true when anything was added. */
  flushInto(delta: Json): boolean {
    let changed = false;
    for (const [field, r] of this.fields) {
      const rest = r.end();
      if (rest === '') continue;
      const v = delta[field];
      delta[field] = (typeof v === 'string' ? v : '') + rest;
      changed = true;
    }
    for (const [index, r] of this.tools) {
      const rest = r.end();
      if (rest === '') continue;
      if (!Array.isArray(delta.tool_calls)) delta.tool_calls = [];
      const calls = delta.tool_calls as unknown[];
      let call = calls.find((c): c is Json => isObject(c) && c.index === index);
      if (!call) calls.push((call = { index }));
      const fn = isObject(call.function) ? call.function : (call.function = {});
      fn.arguments = (typeof fn.arguments === 'string' ? fn.arguments : '') + rest;
      changed = true;
    }
    this.fields.clear();
    this.tools.clear();
    return changed;
  }

  private field(name: string): StreamingRehydrator {
    let r = this.fields.get(name);
    if (!r) this.fields.set(name, (r = new StreamingRehydrator(this.table, { index: this.index })));
    return r;
  }

  private tool(index: number): StreamingRehydrator {
    let r = this.tools.get(index);
    if (!r)
      this.tools.set(
        index,
        (r = new StreamingRehydrator(this.table, { encode: jsonStringEscape, index: this.index })),
      );
    return r;
  }
}
