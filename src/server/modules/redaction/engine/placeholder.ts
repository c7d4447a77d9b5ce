// The canonical placeholder spelling, `[TYPE_N]`, in one place.
import type { EntityType } from './types.js';

export function formatPlaceholder(type: EntityType, n: number): string {
  return `[${type}_${n}]`;
}

/** `[EMAIL_12]` → {type: 'EMAIL', n: 12}; null for anything else. */
export function parsePlaceholder(s: string): { type: EntityType; n: number } | null {
  const m = /^\[([A-Z][A-Z0-9_]*?)_([1-9][0-9]*)\]$/.exec(s);
  return m ? { type: m[1]!, n: Number(m[2]) } : null;
}
