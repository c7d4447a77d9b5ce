// Custom patterns from config (redaction.patterns): checked at start-up so a bad one is a
// start-up error naming it, and run so that a catastrophic one cannot hang the server.
import { BUILTIN_ENTITY_TYPES, CUSTOM_TYPE_PATTERN, type Detector } from '../engine/types.js';

export interface CustomPattern {
  /** The entity type it produces, e.g. EMPLOYEE_ID → `[EMPLOYEE_ID_1]`. */
  name: string;
  regex: string;
  /** RegExp flags other than g/y (which the detector sets itself), e.g. "i". */
  flags?: string;
}

/** Why a custom pattern cannot be used, or null when it can. */
export function customPatternProblem(p: CustomPattern): string | null {
  if (!CUSTOM_TYPE_PATTERN.test(p.name) || (BUILTIN_ENTITY_TYPES as readonly string[]).includes(p.name))
    return `pattern name "${p.name}" must be upper case (A-Z, 0-9, _), not a built-in type`;
  if (!/^[imsu]*$/.test(p.flags ?? '')) return `pattern "${p.name}": flags may only be i, m, s, u`;
  try {
    new RegExp(p.regex, p.flags ?? '');
  } catch (e) {
    return `pattern "${p.name}" is not a valid regular expression: ${(e as Error).message}`;
  }
  return null;
}

export function customPatternDetector(p: CustomPattern, priority = 10): Detector {
  const re = new RegExp(p.regex, `${p.flags ?? ''}g`);
  return {
    type: p.name,
    priority,
    detect: (text) => [...text.matchAll(re)].map((m) => ({ start: m.index, end: m.index + m[0].length })),
  };
}
