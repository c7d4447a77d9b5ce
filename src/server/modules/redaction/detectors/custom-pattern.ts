// Custom patterns from config (redaction.patterns): checked at start-up so a bad one is a
// start-up error naming it, and run so that a catastrophic one cannot hang the server.
// Two guards: a static check (regex-safety.ts) refuses the shapes that backtrack exponentially,
// and every run happens inside a node:vm context with a time limit — V8 interrupts even a regex
// stuck in backtracking — and running out of time THROWS, so the scrub fails as a whole
// (fail-closed) instead of returning text with that pattern skipped.
import vm from 'node:vm';
import { BUILTIN_ENTITY_TYPES, CUSTOM_TYPE_PATTERN, type Detector, type Span } from '../engine/types.js';
import { backtrackingProblem } from './regex-safety.js';

export interface CustomPattern {
  /** The entity type it produces, e.g. EMPLOYEE_ID → `[EMPLOYEE_ID_1]`. */
  name: string;
  regex: string;
  /** RegExp flags other than g/y (which the detector sets itself), e.g. "i". */
  flags?: string;
}

/** Default time one custom pattern may spend on one text (generous: a sane regex takes µs). */
export const CUSTOM_PATTERN_TIMEOUT_MS = 250;

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
  const risk = backtrackingProblem(p.regex, p.flags ?? '');
  if (risk) return `pattern "${p.name}" can backtrack catastrophically: ${risk}`;
  return null;
}

// Runs inside the context: the regex is built there, so all of its work is the context's.
const SCAN = new vm.Script(`
  (() => {
    const re = new RegExp(source, flags + 'g');
    const out = [];
    for (let m = re.exec(input); m !== null; m = re.exec(input)) {
      if (m[0].length === 0) {
        // Step over a whole code point: with the u flag an index inside a surrogate pair would
        // match at the pair's start again, forever.
        re.lastIndex += re.unicode && input.codePointAt(m.index) > 0xffff ? 2 : 1;
        continue;
      }
      out.push(m.index, m.index + m[0].length);
    }
    input = '';
    return out.join(',');
  })()
`);

export interface CustomPatternDetectorOptions {
  priority?: number;
  timeoutMs?: number;
}

export function customPatternDetector(
  p: CustomPattern,
  priorityOrOpts: number | CustomPatternDetectorOptions = {},
): Detector {
  const opts = typeof priorityOrOpts === 'number' ? { priority: priorityOrOpts } : priorityOrOpts;
  const problem = customPatternProblem(p);
  if (problem) throw new Error(problem);
  const timeout = opts.timeoutMs ?? CUSTOM_PATTERN_TIMEOUT_MS;
  // One context per pattern, reused for every text (creating one costs about a millisecond).
  const context = vm.createContext({ source: p.regex, flags: p.flags ?? '', input: '' });
  return {
    type: p.name,
    priority: opts.priority ?? 10,
    detect(text) {
      context.input = text;
      let packed: string;
      try {
        packed = SCAN.runInContext(context, { timeout }) as string;
      } catch (e) {
        context.input = '';
        if ((e as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT')
          throw new Error(
            `custom pattern "${p.name}" ran over its ${timeout} ms limit on a ${text.length}-character text; ` +
              'refusing to scrub (a pattern that backtracks this much must be rewritten)',
            { cause: e },
          );
        throw e;
      }
      const spans: Span[] = [];
      if (packed === '') return spans;
      const nums = packed.split(',').map(Number);
      for (let i = 0; i + 1 < nums.length; i += 2) spans.push({ start: nums[i]!, end: nums[i + 1]! });
      return spans;
    },
  };
}
