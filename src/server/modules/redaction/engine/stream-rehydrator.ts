// Streaming rehydration: chunks in, text out. It holds back only the shortest suffix that could
// still become a placeholder in any tolerated spelling (the first position the matcher cannot yet
// decide) and releases everything before it at once. It runs the same matcher as rehydrateText, so
// concatenating every push() and end() equals rehydrateText(whole text) however the text is split.
//
// With a table that lists its entries (TaskMap does), a suffix is held only while it is a prefix of
// one of the task's own placeholders; otherwise only while it fits the placeholder grammar (up to
// MAX_CANDIDATE code units). The table is read once: the task's placeholders are fixed by the time
// a model answers.
import { scanRehydrate, type RehydrateOptions } from './rehydrate.js';
import { buildIndex, Matcher, type PlaceholderIndex } from './tolerant-match.js';
import type { PlaceholderTable } from './types.js';

export interface StreamingOptions extends RehydrateOptions {
  /** The table's index, built once and shared by the rehydrators of one stream (buildIndex). */
  index?: PlaceholderIndex | null;
}

export class StreamingRehydrator {
  private held = '';
  /** The last code units released (up to 2: one code point), for the bare word's boundary. */
  private context = '';
  private readonly matcher: Matcher;
  private readonly encode: ((value: string) => string) | undefined;

  constructor(table: PlaceholderTable, opts: StreamingOptions = {}) {
    this.matcher = new Matcher(table, opts.index === undefined ? buildIndex(table) : opts.index);
    this.encode = opts.encode;
  }

  /** Text held back, waiting for the characters that decide it. */
  get pending(): string {
    return this.held;
  }

  push(chunk: string): string {
    if (chunk === '') return '';
    const text = this.context + this.held + chunk;
    const { out, stop } = scanRehydrate(text, this.context.length, false, this.matcher, this.encode);
    this.held = text.slice(stop);
    this.context = text.slice(Math.max(0, stop - 2), stop);
    return out;
  }

  end(): string {
    const text = this.context + this.held;
    const { out } = scanRehydrate(text, this.context.length, true, this.matcher, this.encode);
    this.held = '';
    this.context = '';
    return out;
  }
}
