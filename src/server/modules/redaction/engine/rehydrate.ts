// Rehydrate: put the task's values back where its placeholders stand. Unknown placeholders stay
// as they are. (The tolerant forms models produce — case, spaces, emphasis — are matched here.)
import type { PlaceholderTable } from './types.js';

const PLACEHOLDER = /\[[A-Z][A-Z0-9_]*?_[1-9][0-9]*\]/g;

export function rehydrateText(text: string, table: PlaceholderTable): string {
  return text.replace(PLACEHOLDER, (p) => table.valueOf(p) ?? p);
}
