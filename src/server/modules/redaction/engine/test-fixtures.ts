// Shared by the engine's tests and the stream benchmark: a task table and generators for text full
// of what models do to placeholders (every tolerated spelling, unknown ones, unclosed brackets).
import fc from 'fast-check';
import { TaskMap } from './task-map.js';

/** A task with multi-word and custom types; values with characters JSON must escape. */
export function sampleTask(): TaskMap {
  const t = new TaskMap();
  t.placeholderFor('EMAIL', 'ann.lee@example.com');
  t.placeholderFor('EMAIL', 'bo@example.org');
  t.placeholderFor('PERSON', 'Ann Lee');
  t.placeholderFor('CREDIT_CARD', '4111 1111 1111 1111');
  t.placeholderFor('A1_B2', 'say "hi" \\ there');
  for (let i = 0; i < 11; i++) t.placeholderFor('PHONE', `+1 202 555 01${String(i).padStart(2, '0')}`);
  return t;
}

/** Canonical keys of sampleTask() (without brackets) plus look-alikes the task does not have. */
export const KNOWN_KEYS = [
  'EMAIL_1',
  'EMAIL_2',
  'PERSON_1',
  'CREDIT_CARD_1',
  'A1_B2_1',
  'PHONE_1',
  'PHONE_11',
];
export const UNKNOWN_KEYS = ['EMAIL_3', 'HTTP_2', 'PERSON_10', 'CREDIT_1', 'PHONE_111'];

const caseOf = (s: string, how: number): string =>
  how === 0
    ? s
    : how === 1
      ? s.toLowerCase()
      : s
          .split('_')
          .map((w) => w.charAt(0) + w.slice(1).toLowerCase())
          .join('_');

/** One spelling of `key` a model might write: bracketed or bare, any case, separators, emphasis. */
export const spellingOf = (key: string): fc.Arbitrary<string> =>
  fc
    .record({
      bracketed: fc.boolean(),
      how: fc.integer({ min: 0, max: 2 }),
      sep: fc.constantFrom('_', ' ', '-', '\\_'),
      padL: fc.constantFrom('', ' ', '  ', '\t'),
      padR: fc.constantFrom('', ' ', '  '),
      wrap: fc.constantFrom('', '**', '*', '_', '`', '__'),
    })
    .map(({ bracketed, how, sep, padL, padR, wrap }) => {
      const cased = caseOf(key, how);
      const inner = bracketed ? `[${padL}${cased.replaceAll('_', sep)}${padR}]` : cased;
      return `${wrap}${inner}${wrap}`;
    });

const WORDS = ['Hello', 'the', 'Email', 'EMAIL', 'PER', 'credit', 'x', 'é', '😀', 'naïve', '42', 'HTTP_2'];
const PUNCT = [' ', ' ', '\n', '.', ',', '[', ']', '_', '*', '`', '\\', '-', '[ ', '(', ')'];

/** Text pieces: prose, punctuation, spellings of known and unknown placeholders, long runs. */
export const fragment: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 4, arbitrary: fc.constantFrom(...PUNCT) },
  { weight: 4, arbitrary: fc.constantFrom(...KNOWN_KEYS).chain(spellingOf) },
  { weight: 2, arbitrary: fc.constantFrom(...UNKNOWN_KEYS).chain(spellingOf) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '[' + 'a'.repeat(120),
      '['.repeat(5),
      'x'.repeat(130),
      '[EMAIL_1 ' + ' '.repeat(100),
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
);

export const modelText: fc.Arbitrary<string> = fc.array(fragment, { maxLength: 24 }).map((a) => a.join(''));

/** Cut points for a text of length n (sorted, distinct, inside 1..n-1). */
export const cutsFor = (n: number): fc.Arbitrary<number[]> =>
  fc
    .uniqueArray(fc.integer({ min: 1, max: Math.max(1, n - 1) }), { maxLength: Math.min(12, n) })
    .map((c) => c.filter((x) => x < n).sort((a, b) => a - b));

export function splitAt(text: string, cuts: readonly number[]): string[] {
  const parts: string[] = [];
  let at = 0;
  for (const c of cuts) {
    parts.push(text.slice(at, c));
    at = c;
  }
  parts.push(text.slice(at));
  return parts;
}
