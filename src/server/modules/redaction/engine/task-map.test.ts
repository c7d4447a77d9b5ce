import { describe, expect, it } from 'vitest';
import { TaskMap } from './task-map.js';

describe('TaskMap', () => {
  it('same value and type → same placeholder; each type numbered on its own', () => {
    const t = new TaskMap();
    expect(t.placeholderFor('EMAIL', 'a@example.com')).toBe('[EMAIL_1]');
    expect(t.placeholderFor('PHONE', 'a@example.com')).toBe('[PHONE_1]');
    expect(t.placeholderFor('EMAIL', 'b@example.com')).toBe('[EMAIL_2]');
    expect(t.placeholderFor('EMAIL', 'a@example.com')).toBe('[EMAIL_1]');
    expect(t.valueOf('[PHONE_1]')).toBe('a@example.com');
    expect(t.added().map((e) => e.placeholder)).toEqual(['[EMAIL_1]', '[PHONE_1]', '[EMAIL_2]']);
  });

  it('a loaded task keeps its pairs and numbers new values after its highest', () => {
    const t = new TaskMap([
      { placeholder: '[CREDIT_CARD_3]', type: 'CREDIT_CARD', value: '4111 1111 1111 1111' },
      { placeholder: '[EMAIL_7]', type: 'EMAIL', value: 'a@example.com' },
    ]);
    expect(t.placeholderFor('EMAIL', 'a@example.com')).toBe('[EMAIL_7]');
    expect(t.placeholderFor('EMAIL', 'c@example.com')).toBe('[EMAIL_8]');
    expect(t.placeholderFor('CREDIT_CARD', '5500 0000 0000 0004')).toBe('[CREDIT_CARD_4]');
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
    expect(t.placeholderFor('PERSON', 'Jordan')).toBe('[PERSON_1]');
    expect(t.placeholderFor('EMPLOYEE_ID', 'Jordan')).toBe('[EMPLOYEE_ID_2]');
    expect(t.placeholderFor('SECRET', 'Jordan')).toBe('[SECRET_1]');
    expect(t.placeholderFor('SECRET', 'Jordan')).toBe('[SECRET_1]');
    expect(t.placeholderFor('PERSON', 'jordan')).toBe('[PERSON_2]');
    expect(t.added().map((e) => e.placeholder)).toEqual(['[SECRET_1]', '[PERSON_2]']);
  });
});
