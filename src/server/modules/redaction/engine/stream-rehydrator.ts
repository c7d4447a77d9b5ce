// Streaming rehydration: chunks in, text out, holding back only a suffix that could still
// become a placeholder. Concatenating every push() and end() equals rehydrateText(whole text).
import { rehydrateText } from './rehydrate.js';
import type { PlaceholderTable } from './types.js';

/** Longest placeholder spelling we wait for before giving up on a held suffix. */
const MAX_HELD = 64;

export class StreamingRehydrator {
  private held = '';

  constructor(private readonly table: PlaceholderTable) {}

  push(chunk: string): string {
    const text = this.held + chunk;
    const open = text.lastIndexOf('[');
    const cut =
      open >= 0 && text.indexOf(']', open) < 0 && text.length - open <= MAX_HELD ? open : text.length;
    this.held = text.slice(cut);
    return rehydrateText(text.slice(0, cut), this.table);
  }

  end(): string {
    const rest = this.held;
    this.held = '';
    return rehydrateText(rest, this.table);
  }
}
