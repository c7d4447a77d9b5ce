import { describe, expect, it } from 'vitest';
import { splitPlaceholders } from './placeholders.js';

const found = [
  { placeholder: '[EMAIL_1]', type: 'EMAIL' },
  { placeholder: '[PERSON_12]', type: 'PERSON' },
];

describe('splitPlaceholders', () => {
  it('marks reported placeholders and keeps the text between them', () => {
    expect(splitPlaceholders('Hi [PERSON_12], mail [EMAIL_1].', found)).toEqual([
      { kind: 'text', text: 'Hi ' },
      { kind: 'placeholder', text: '[PERSON_12]', type: 'PERSON' },
      { kind: 'text', text: ', mail ' },
      { kind: 'placeholder', text: '[EMAIL_1]', type: 'EMAIL' },
      { kind: 'text', text: '.' },
    ]);
  });

  it('leaves look-alikes the server did not report as text', () => {
    const parts = splitPlaceholders('[EMAIL_2] and [EMAIL_1]', found);
    expect(parts.map((p) => p.kind)).toEqual(['text', 'placeholder']);
    expect(parts.map((p) => p.text).join('')).toBe('[EMAIL_2] and [EMAIL_1]');
  });

  it('returns the text whole when nothing was found, and nothing for empty text', () => {
    expect(splitPlaceholders('no pii here', [])).toEqual([{ kind: 'text', text: 'no pii here' }]);
    expect(splitPlaceholders('', found)).toEqual([]);
  });
});
