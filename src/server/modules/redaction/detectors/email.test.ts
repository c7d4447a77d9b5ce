import { describe, expect, it } from 'vitest';
import { findEmails } from './email.js';
import { matched } from './test-util.js';

describe('findEmails', () => {
  it.each([
    ['mail ada@example.com today', ['ada@example.com']],
    ['<Dimitri.Murphy75@hotmail.co.uk>', ['Dimitri.Murphy75@hotmail.co.uk']],
    ['a+tag@sub.example.org.', ['a+tag@sub.example.org']],
    ['"o\'neil@example.ie",', ["o'neil@example.ie"]],
    ['two: x@a.io,y@b.io', ['x@a.io', 'y@b.io']],
    ['London_Conn39@hotmail.com', ['London_Conn39@hotmail.com']],
  ])('finds %j', (text, want) => {
    expect(matched(findEmails, text)).toEqual(want);
  });

  it.each(['no at sign here', 'user@localhost', '@handle on social', 'npm i @scope/pkg@1.2.3', 'a@b.c'])(
    'leaves %j',
    (text) => {
      expect(findEmails(text)).toEqual([]);
    },
  );

  it('a long run of address characters without an @ is one linear scan (finishes)', () => {
    const text = `${'a'.repeat(200_000)}@`;
    expect(findEmails(text)).toEqual([]);
  });
});
