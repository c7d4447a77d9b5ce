// The redaction engine's contract: what a detector finds, how placeholders are named, and the
// per-task table that maps placeholders to values. Detectors (../detectors/) and the engine
// (scrub, rehydrate, the streaming rehydrator) meet only here, so either side can change alone.

/** The built-in entity types; custom patterns add their own names (CUSTOM_TYPE_PATTERN). */
export const BUILTIN_ENTITY_TYPES = [
  'EMAIL',
  'PHONE',
  'CARD',
  'IBAN',
  'IP',
  'URL',
  'SECRET',
  'PERSON',
] as const;
export type BuiltinEntityType = (typeof BUILTIN_ENTITY_TYPES)[number];

/**
 * A custom pattern's type name: upper case, digits and single underscores, not ending in `_<digits>`
 * (so `[TYPE_N]` parses back unambiguously). Built-in names are reserved.
 */
export const CUSTOM_TYPE_PATTERN = /^[A-Z][A-Z0-9]*(?:_[A-Z][A-Z0-9]*)*$/;

/** An entity type: a built-in one or a custom pattern's name. */
export type EntityType = string;

/** A half-open range of UTF-16 code units in the scanned text: `text.slice(start, end)`. */
export interface Span {
  start: number;
  end: number;
}

/** One detector's find, with the detector's priority (higher wins a tie on length). */
export interface Detection extends Span {
  type: EntityType;
  priority: number;
}

/**
 * A pure detector: same text in, same spans out; no I/O. It may throw (a custom pattern that ran
 * out of time): the scrub then fails as a whole — never returns text with a detector skipped.
 */
export interface Detector {
  type: EntityType;
  priority: number;
  detect(text: string): Span[];
}

/** What /scrub reports per placeholder (never the value). */
export interface EntityFound {
  type: EntityType;
  placeholder: string;
  count: number;
}

/** One placeholder↔value pair of a task (what the vault stores, values encrypted). */
export interface PlaceholderEntry {
  placeholder: string;
  type: EntityType;
  value: string;
}

/**
 * A task's placeholder table. `placeholderFor` returns the value's existing placeholder or assigns
 * the next one of that type (`[EMAIL_1]`, `[EMAIL_2]`, …); `valueOf` takes the canonical form.
 */
export interface PlaceholderTable {
  placeholderFor(type: EntityType, value: string): string;
  valueOf(placeholder: string): string | undefined;
  /**
   * Every pair (optional). When present, the streaming rehydrator holds back a suffix only while
   * it could still spell one of these placeholders, instead of anything placeholder-shaped.
   */
  entries?(): PlaceholderEntry[];
}
