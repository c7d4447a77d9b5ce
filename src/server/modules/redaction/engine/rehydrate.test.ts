import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonStringEscape, rehydrateText } from './rehydrate.js';
import { scrubText } from './scrub.js';
import { TaskMap } from './task-map.js';
import { sampleTask } from './test-fixtures.js';
import type { Detector, Span } from './types.js';

const task = sampleTask();
const E1 = 'ann.lee@example.com';
const P1 = 'Ann Lee';
const CC = '4111 1111 1111 1111';

describe('rehydrateText: the spellings models produce', () => {
  it.each([
    ['[EMAIL_1]', E1],
    ['[email_1]', E1],
    ['[Email_1]', E1],
    ['[eMaIl_1]', E1],
    ['[ EMAIL_1 ]', E1],
    ['[\tEMAIL_1  ]', E1],
    ['[EMAIL 1]', E1],
    ['[Email 1]', E1],
    ['[EMAIL-1]', E1],
    ['[EMAIL\\_1]', E1],
    ['EMAIL_1', E1],
    ['EMAIL_1', E1],
    ['EMAIL_1', E1],
    ['[CREDIT_CARD_1]', CC],
    ['[credit card 1]', CC],
    ['[Credit-Card-1]', CC],
    ['CREDIT_CARD_1', CC],
    ['[A1_B2_1]', 'say "hi" \\ there'],
    ['[PHONE_11]', '+1 202 555 0110'],
    ['PHONE_11', '+1 202 555 0110'],
  ])('%j → the value', (text, value) => {
    expect(rehydrateText(text, task)).toBe(value);
  });

  it.each([
    // emphasis stays around the restored value: the model meant the value emphasised
    ['**[EMAIL_1]**', `**${E1}**`],
    ['*[EMAIL_1]*', `*${E1}*`],
    ['_[EMAIL_1]_', `_${E1}_`],
    ['__[EMAIL_1]__', `__${E1}__`],
    ['`[EMAIL_1]`', `\`${E1}\``],
    ['**EMAIL_1**', `**${E1}**`],
    ['_EMAIL_1_', `_${E1}_`],
    ['__PERSON_1__', `__${P1}__`],
    ['`PERSON_1`', `\`${P1}\``],
    // neighbours and punctuation
    ['[EMAIL_1][PERSON_1]', E1 + P1],
    ['x[PERSON_1]y', `x${P1}y`],
    ['[[EMAIL_1]]', `[${E1}]`],
    ['(EMAIL_1)', `(${E1})`],
    ["PERSON_1's mail is EMAIL_1.", `${P1}'s mail is ${E1}.`],
    ['[see EMAIL_1 here]', `[see ${E1} here]`],
    // not a bracketed spelling, but a bare one inside brackets
    ['[EMAIL_1 x]', `[${E1} x]`],
    ['[_EMAIL_1]', `[_${E1}]`],
    [`[${' '.repeat(100)}EMAIL_1]`, `[${' '.repeat(100)}${E1}]`],
    ['EMAIL_1,EMAIL_2;PERSON_1', `${E1},bo@example.org;${P1}`],
    ['Hi [PERSON_1],\nwrite to [email_1]!', `Hi ${P1},\nwrite to ${E1}!`],
  ])('%j keeps what surrounds it', (text, want) => {
    expect(rehydrateText(text, task)).toBe(want);
  });

  it.each([
    // unknown placeholders and ordinary text stay exactly as they are
    '[EMAIL_3]',
    'EMAIL_3',
    '[PERSON_10]',
    'HTTP_2 and HTTP_11',
    'MY_EMAIL_1', // part of a longer identifier
    'EMAIL_1_X',
    'EMAIL_12',
    'EMAIL_1x',
    'xEMAIL_1',
    'éEMAIL_1',
    'EMAIL_1é',
    '[EMAIL__1]',
    '[EMAIL_01]',
    '[EMAIL _1]',
    '[EMAIL 1',
    '[]',
    '[ ]',
    'EMAIL 1', // a bare spelling needs its underscore: "email 1" is prose
    'email_1', // …and upper case: a lower-case `email_1` is the user's own key or variable
    '{"email_1": 1}',
    'Email_1',
    '[EMAIL   1]',
    `[EMAIL 1${' '.repeat(100)}]`, // too long to be a placeholder
    'snake_case_1 and a_b_2',
    '\\[ \\] [ [ ]] _ __ ___',
  ])('%j is left alone', (text) => {
    expect(rehydrateText(text, task)).toBe(text);
  });

  it('writes values through the encoder (JSON text for tool-call arguments)', () => {
    const args = '{"note":"[A1_B2_1]","to":"EMAIL_1"}';
    const out = rehydrateText(args, task, { encode: jsonStringEscape });
    expect(JSON.parse(out)).toEqual({ note: 'say "hi" \\ there', to: E1 });
  });

  it('never rescans an inserted value', () => {
    const t = new TaskMap();
    t.placeholderFor('SECRET', '[SECRET_1] EMAIL_1');
    t.placeholderFor('EMAIL', '[SECRET_1]');
    expect(rehydrateText('[SECRET_1] EMAIL_1', t)).toBe('[SECRET_1] EMAIL_1 [SECRET_1]');
  });
});

/** A detector that finds exactly the spans it was built with (the values the test inserted). */
const spanDetector = (type: string, spans: Span[]): Detector => ({ type, priority: 1, detect: () => spans });

const filler = fc.string({
  unit: fc.constantFrom('a', 'E', 'm', 'L', '1', '2', '_', ' ', '[', ']', '*', '`', '\\', '-', 'é', '\n'),
  maxLength: 12,
});
const TYPES = ['EMAIL', 'PERSON', 'CREDIT_CARD', 'A1_B2'];

describe('rehydrateText: properties', () => {
  it('scrub → rehydrate gives back the input, for any text and any values', () => {
    fc.assert(
      fc.property(
        filler,
        fc.array(
          fc.tuple(
            fc.constantFrom(...TYPES),
            fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }),
            filler,
          ),
          {
            maxLength: 8,
          },
        ),
        (head, parts) => {
          let text = head;
          const spans = new Map<string, Span[]>();
          for (const [type, value, after] of parts) {
            spans.set(type, [
              ...(spans.get(type) ?? []),
              { start: text.length, end: text.length + value.length },
            ]);
            text += value + after;
          }
          const table = new TaskMap();
          const detectors = [...spans].map(([type, s]) => spanDetector(type, s));
          const scrubbed = scrubText(text, detectors, table).text;
          // Text that already spells one of its own task's placeholders cannot come back unchanged
          // (that is what tolerance means); everything else must.
          const bare = [head, ...parts.map((p) => p[2])].join('\u0001');
          fc.pre(rehydrateText(bare, table) === bare);
          expect(rehydrateText(scrubbed, table)).toBe(text);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('text with nothing placeholder-like is returned unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        const plain = text.replace(/[[_]/g, ' ');
        expect(rehydrateText(plain, task)).toBe(plain);
      }),
    );
  });

  it('an empty table changes nothing at all', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        expect(rehydrateText(text, new TaskMap())).toBe(text);
      }),
    );
  });
});
