import { describe, expect, it } from 'vitest';
import { TaskMap } from './task-map.js';

/** Each value asked for under its type gets the placeholder given, in order. */
function expectPlaceholders(t: TaskMap, asked: [type: string, value: string, placeholder: string][]): void {
  for (const [type, value, placeholder] of asked) expect(t.placeholderFor(type, value)).toBe(placeholder);
}

describe('TaskMap', () => {
  it('same value and type → same placeholder; each type numbered on its own', () => {
    const t = new TaskMap();
    expectPlaceholders(t, [
      ['EMAIL', 'a@example.com', '[EMAIL_1]'],
      ['PHONE', 'a@example.com', '[PHONE_1]'],
      ['EMAIL', 'b@example.com', '[EMAIL_2]'],
      ['EMAIL', 'a@example.com', '[EMAIL_1]'],
    ]);
    expect(t.valueOf('[PHONE_1]')).toBe('a@example.com');
    expect(t.added().map((e) => e.placeholder)).toEqual(['[EMAIL_1]', '[PHONE_1]', '[EMAIL_2]']);
  });

  it('a loaded task keeps its pairs and numbers new values after its highest', () => {
    const t = new TaskMap([
      { placeholder: '[CREDIT_CARD_3]', type: 'CREDIT_CARD', value: '4111 1111 1111 1111' },
      { placeholder: '[EMAIL_7]', type: 'EMAIL', value: 'a@example.com' },
    ]);
    expectPlaceholders(t, [
      ['EMAIL', 'a@example.com', '[EMAIL_7]'],
      ['EMAIL', 'c@example.com', '[EMAIL_8]'],
      ['CREDIT_CARD', '5500 0000 0000 0004', '[CREDIT_CARD_4]'],
    ]);
    expect(t.added()).toHaveLength(2);
    expect(t.entries().map((e) => e.placeholder)).toEqual([
      '[CREDIT_CARD_3]',
      '[EMAIL_7]',
      '[EMAIL_8]',
      '[CREDIT_CARD_4]',
    ]);
  });

  it('one value under several types keeps one placeholder per type, loaded or new', () => {
    const t = new TaskMap([
      { placeholder: '[PERSON_1]', type: 'PERSON', value: 'Jordan' },
      { placeholder: '[EMPLOYEE_ID_2]', type: 'EMPLOYEE_ID', value: 'Jordan' },
    ]);
    expectPlaceholders(t, [
      ['PERSON', 'Jordan', '[PERSON_1]'],
      ['EMPLOYEE_ID', 'Jordan', '[EMPLOYEE_ID_2]'],
      ['SECRET', 'Jordan', '[SECRET_1]'],
      ['SECRET', 'Jordan', '[SECRET_1]'],
      ['PERSON', 'jordan', '[PERSON_2]'],
    ]);
    expect(t.added().map((e) => e.placeholder)).toEqual(['[SECRET_1]', '[PERSON_2]']);
  });
});
