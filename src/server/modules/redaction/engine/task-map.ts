// A task's placeholder table in memory: the vault loads one from its rows, the scrub adds to it,
// and the vault stores what was added. Same value and type → same placeholder, within a task.
import { formatPlaceholder, parsePlaceholder } from './placeholder.js';
import type { EntityType, PlaceholderEntry, PlaceholderTable } from './types.js';

export class TaskMap implements PlaceholderTable {
  private readonly byValue = new Map<string, string>();
  private readonly byPlaceholder = new Map<string, PlaceholderEntry>();
  private readonly next = new Map<EntityType, number>();
  private readonly fresh: PlaceholderEntry[] = [];

  constructor(entries: readonly PlaceholderEntry[] = []) {
    for (const e of entries) this.remember(e);
  }

  placeholderFor(type: EntityType, value: string): string {
    const known = this.byValue.get(valueKey(type, value));
    if (known) return known;
    const n = this.next.get(type) ?? 1;
    const entry = { placeholder: formatPlaceholder(type, n), type, value };
    this.remember(entry);
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

  private remember(e: PlaceholderEntry): void {
    this.byValue.set(valueKey(e.type, e.value), e.placeholder);
    this.byPlaceholder.set(e.placeholder, e);
    const n = parsePlaceholder(e.placeholder)?.n ?? 0;
    this.next.set(e.type, Math.max(this.next.get(e.type) ?? 1, n + 1));
  }
}

const valueKey = (type: EntityType, value: string) => `${type}\u0000${value}`;
