import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonStringEscape, rehydrateText } from './rehydrate.js';
import { StreamingRehydrator } from './stream-rehydrator.js';
import { TaskMap } from './task-map.js';
import { cutsFor, modelText, sampleTask, splitAt } from './test-fixtures.js';
import type { PlaceholderTable } from './types.js';

const task = sampleTask();

function streamed(parts: readonly string[], table: PlaceholderTable = task, encode?: (v: string) => string) {
  const r = new StreamingRehydrator(table, { encode });
  return parts.map((p) => r.push(p)).join('') + r.end();
}

/** The same table without entries(): the rehydrator must fall back to the placeholder grammar. */
const opaque: PlaceholderTable = {
  placeholderFor: (type, value) => task.placeholderFor(type, value),
  valueOf: (p) => task.valueOf(p),
};

describe('StreamingRehydrator: split anywhere, same as one-shot', () => {
  it('every single split point of texts with placeholders in every tolerated spelling', () => {
    fc.assert(
      fc.property(modelText, (text) => {
        const whole = rehydrateText(text, task);
        for (let i = 0; i <= text.length; i++) {
          expect(streamed([text.slice(0, i), text.slice(i)])).toBe(whole);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('random multi-splits, with and without the task listing its entries, and with an encoder', () => {
    fc.assert(
      fc.property(
        modelText.chain((t) => fc.tuple(fc.constant(t), cutsFor(t.length))),
        ([text, cuts]) => {
          const parts = splitAt(text, cuts);
          expect(streamed(parts)).toBe(rehydrateText(text, task));
          expect(streamed(parts, opaque)).toBe(rehydrateText(text, task));
          expect(streamed(parts, task, jsonStringEscape)).toBe(
            rehydrateText(text, task, { encode: jsonStringEscape }),
          );
        },
      ),
      { numRuns: 400 },
    );
  });

  it('one code unit at a time', () => {
    fc.assert(
      fc.property(modelText, (text) => {
        expect(streamed(text.split(''))).toBe(rehydrateText(text, task));
      }),
      { numRuns: 200 },
    );
  });

  it('a placeholder split in every way, between neighbours', () => {
    const text = 'a[EMAIL_1][Person 1]**EMAIL_1**,PHONE_11 [ credit-card-1 ]__PHONE_1__.';
    const want = rehydrateText(text, task);
    expect(want).toBe(
      'aann.lee@example.comAnn Lee**ann.lee@example.com**,+1 202 555 0110 4111 1111 1111 1111__+1 202 555 0100__.',
    );
    for (let i = 0; i <= text.length; i++)
      for (let j = i; j <= text.length; j++)
        expect(streamed([text.slice(0, i), text.slice(i, j), text.slice(j)])).toBe(want);
  });
});

describe('StreamingRehydrator: holds back only what could still be a placeholder', () => {
  it('releases plain prose at once', () => {
    const r = new StreamingRehydrator(task);
    for (const chunk of ['Hello', ' wor', 'ld, ', 'how is ', 'it going', '?']) {
      expect(r.push(chunk)).toBe(chunk);
      expect(r.pending).toBe('');
    }
  });

  it('holds a prefix of a known placeholder, and lets it go when it turns into something else', () => {
    const r = new StreamingRehydrator(task);
    expect(r.push('Dear PE')).toBe('Dear ');
    expect(r.pending).toBe('PE');
    expect(r.push('TER')).toBe('PETER'); // PETER is no placeholder's prefix
    expect(r.push(' [EM')).toBe(' ');
    expect(r.push('AIL_1')).toBe('');
    expect(r.push(']')).toBe('ann.lee@example.com');
    expect(r.push(' [EMAIL_3')).toBe(' [EMAIL_3'); // the task has no EMAIL_3…
    expect(r.push(' EMAIL_1')).toBe(' '); // …but a bare EMAIL_1 could still be EMAIL_12
    expect(r.push('2 ok')).toBe('EMAIL_12 ok');
  });

  it('releases a lone [ followed by a long run once it cannot be a placeholder', () => {
    const r = new StreamingRehydrator(task);
    expect(r.push('see [')).toBe('see ');
    expect(r.pending).toBe('[');
    expect(r.push('xyzxyzxyz')).toBe('[xyzxyzxyz');
    expect(r.pending).toBe('');
  });

  it('without the task listing its entries it still gives up past the longest spelling', () => {
    const r = new StreamingRehydrator(opaque);
    let out = r.push('[');
    for (let i = 0; i < 200; i++) out += r.push('a');
    expect(r.pending).toBe('');
    expect(out).toBe(`[${'a'.repeat(200)}`);
    expect(r.push('plain. ')).toBe('plain. ');
  });

  it('never holds more than a spelling can be long', () => {
    fc.assert(
      fc.property(modelText, fc.string({ maxLength: 5 }), (text, tail) => {
        const r = new StreamingRehydrator(task);
        r.push(text + tail);
        expect(r.pending.length).toBeLessThanOrEqual(100);
      }),
    );
  });

  it('held text comes out on end(), restored or not', () => {
    const r = new StreamingRehydrator(task);
    expect(r.push('x EMAIL_1')).toBe('x ');
    expect(r.end()).toBe('ann.lee@example.com');
    const s = new StreamingRehydrator(task);
    expect(s.push('x [Email 1')).toBe('x ');
    expect(s.end()).toBe('[Email 1'); // never closed: left as it is
  });

  it('an empty task holds nothing back', () => {
    const r = new StreamingRehydrator(new TaskMap());
    expect(r.push('[EMAIL_1')).toBe('[EMAIL_1');
    expect(r.push(' EMAIL_')).toBe(' EMAIL_');
  });
});
