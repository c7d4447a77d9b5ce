// A task's placeholder table in memory: the vault loads one from its rows, the scrub adds to it,
// and the vault stores what was added. Same value and type → same placeholder, within a task.
import { formatPlaceholder, parsePlaceholder } from './placeholder.js';
import type { EntityType, PlaceholderEntry, PlaceholderTable } from './types.js';

export class TaskMap implements PlaceholderTable {
  // Per type, value → placeholder: a `${type}\0${value}` key cost a concatenation and the hash of
  // a fresh string on every lookup, a third of the scrub's own time after the detectors.
  private readonly byValue = new Map<EntityType, Map<string, string>>();
  private readonly byPlaceholder = new Map<string, PlaceholderEntry>();
  private readonly next = new Map<EntityType, number>();
  private readonly fresh: PlaceholderEntry[] = [];

  constructor(entries: readonly PlaceholderEntry[] = []) {
    for (const e of entries) this.remember(e, parsePlaceholder(e.placeholder)?.n ?? 0);
  }

  placeholderFor(type: EntityType, value: string): string {
    const known = this.byValue.get(type)?.get(value);
    if (known) return known;
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
    let values = this.byValue.get(e.type);
    if (!values) this.byValue.set(e.type, (values = new Map()));
    values.set(e.value, e.placeholder);
    this.byPlaceholder.set(e.placeholder, e);
    this.next.set(e.type, Math.max(this.next.get(e.type) ?? 1, n + 1));
  }
}
