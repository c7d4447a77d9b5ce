// A task's placeholder table in memory: the vault loads one from its rows, the scrub adds to it,
// and the vault stores what was added. Same value and type → same placeholder, within a task.
import { formatPlaceholder, parsePlaceholder } from './placeholder.js';
import type { EntityType, PlaceholderEntry, PlaceholderTable } from './types.js';

export class TaskMap implements PlaceholderTable {
  // value → the first entry made for it. A `${type}\0${value}` key for every lookup cost a
  // concatenation and the hash of a fresh string each time (a third of the scrub's own time after
  // the detectors); a value found under a second type is rare and keeps that keyed form.
  private readonly byValue = new Map<string, PlaceholderEntry>();
  private readonly byTypedValue = new Map<string, string>();
  private readonly byPlaceholder = new Map<string, PlaceholderEntry>();
  private readonly next = new Map<EntityType, number>();
  private readonly fresh: PlaceholderEntry[] = [];

  constructor(entries: readonly PlaceholderEntry[] = []) {
    for (const e of entries) this.remember(e, parsePlaceholder(e.placeholder)?.n ?? 0);
  }

  placeholderFor(type: EntityType, value: string): string {
    const first = this.byValue.get(value);
    if (first?.type === type) return first.placeholder;
    if (first) {
      const known = this.byTypedValue.get(typedKey(type, value));
      if (known) return known;
    }
    const n = this.next.get(type) ?? 1;
    const entry = { placeholder: formatPlaceholder(type, n), type, value };
    this.remember(entry, n);
    this.fresh.push(entry);
    return entry.placeholder;
  }

  valueOf(placeholder: string): string | undefined {
    return this.byPlaceholder.get(placeholder)?.value;
  }

  /** Every pair, in the order they were assigned. */
  entries(): PlaceholderEntry[] {
    return [...this.byPlaceholder.values()];
  }

  /** Pairs assigned since this map was built (what the vault has yet to store). */
  added(): PlaceholderEntry[] {
    return [...this.fresh];
  }

  /** `n`: the placeholder's number (0 when it is not in the canonical spelling). */
  private remember(e: PlaceholderEntry, n: number): void {
    const first = this.byValue.get(e.value);
    if (!first) this.byValue.set(e.value, e);
    else if (first.type === e.type) this.byValue.set(e.value, e);
    else this.byTypedValue.set(typedKey(e.type, e.value), e.placeholder);
    this.byPlaceholder.set(e.placeholder, e);
    this.next.set(e.type, Math.max(this.next.get(e.type) ?? 1, n + 1));
  }
}

const typedKey = (type: EntityType, value: string) => `${type}\u0000${value}`;
