// The hand-rendered exposition must read exactly as prom-client's (the gateway's families moved
// from prom-client to it): same label escaping, number format, bucket lines, sum and count.
import fc from 'fast-check';
import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parsePrometheusText, sampleOf } from '../../../../test/helpers/prom-text.js';
import {
  escapeLabelValue,
  familyHeader,
  HistogramCell,
  labelText,
  numberText,
  sampleLine,
  BodyWriter,
} from './exposition.js';

const BOUNDS = [0.1, 0.25, 0.5, 1, 2.5];

describe('label values and numbers', () => {
  it('escapes backslash, double quote and line feed, and nothing else', () => {
    expect(escapeLabelValue('a\\b"c\nd\te')).toBe('a\\\\b\\"c\\nd\te');
    expect(labelText({ route: '/v1/x', key_name: 'say "hi"' })).toBe('route="/v1/x",key_name="say \\"hi\\""');
    expect(labelText({})).toBe('');
  });

  it('writes special values as the text format spells them', () => {
    expect([Infinity, -Infinity, NaN, 0.3, 2, -1.5e-7].map(numberText)).toEqual([
      '+Inf',
      '-Inf',
      'NaN',
      '0.3',
      '2',
      '-1.5e-7',
    ]);
  });
});

describe('HistogramCell', () => {
  it('counts a value equal to a bound in that bucket (le is inclusive), and the rest in +Inf', () => {
    const h = new HistogramCell(BOUNDS);
    for (const v of [0.1, 0.11, 2.5, 3, 300]) h.observe(v);
    const text = familyHeader('h', 'Help.', 'histogram') + h.lines('h', labelText({ a: 'x' }));
    const f = parsePrometheusText(text);
    const bucket = (le: string) => sampleOf(f, 'h', { a: 'x', le }, 'h_bucket');
    expect([bucket('0.1'), bucket('0.25'), bucket('1'), bucket('2.5'), bucket('+Inf')]).toEqual([
      1, 2, 2, 3, 5,
    ]);
    expect(sampleOf(f, 'h', { a: 'x' }, 'h_count')).toBe(5);
    expect(sampleOf(f, 'h', { a: 'x' }, 'h_sum')).toBeCloseTo(305.71);
  });

  it('renders exactly what prom-client renders for the same observations and labels', async () => {
    const label = fc.string({ maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.double({ min: 0, max: 400, noNaN: true }), { maxLength: 30 }),
        label,
        label,
        async (values, route, key) => {
          const registry = new Registry();
          const labels = { route, key_name: key };
          const theirs = new Histogram({
            name: 'h',
            help: 'Latency "quoted" \\ and\nsplit.',
            labelNames: ['route', 'key_name'],
            buckets: BOUNDS,
            registers: [registry],
          });
          const count = new Counter({
            name: 'c_total',
            help: 'Count.',
            labelNames: ['route', 'key_name'],
            registers: [registry],
          });
          theirs.zero(labels);
          count.inc(labels, 0);
          const ours = new HistogramCell(BOUNDS);
          for (const v of values) {
            theirs.observe(labels, v);
            count.inc(labels);
            ours.observe(v);
          }
          const text =
            familyHeader('h', 'Latency "quoted" \\ and\nsplit.', 'histogram') +
            ours.lines('h', labelText(labels)) +
            '\n' +
            familyHeader('c_total', 'Count.', 'counter') +
            sampleLine('c_total', labelText(labels), values.length);
          expect(text).toBe(await registry.metrics());
        },
      ),
      { numRuns: 200 },
    );
  });
});

/** The body a BodyWriter gives for `pieces`. */
function written(pieces: string[], sizeHint?: number): Buffer {
  const w = new BodyWriter(sizeHint);
  for (const p of pieces) w.push(p);
  return w.finish();
}

describe('BodyWriter', () => {
  it('is the UTF-8 of the pieces joined, whatever their sizes and characters', () => {
    const piece = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      // Halves of a surrogate pair in pieces of their own (joined, they are one character).
      fc.constantFrom('\ud83d', '\ude00'),
      // Pieces over the buffer's first size, and a text over V8's large-object threshold.
      fc.integer({ min: 0, max: 70_000 }).map((n) => 'a\u00e9\u{1F600}'.repeat(n).slice(0, n)),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.integer({ min: 0, max: 4096 }), (pieces, hint) => {
        expect(written(pieces, hint).equals(Buffer.from(pieces.join(''), 'utf8'))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('keeps a surrogate pair whole across pieces and a lone half as U+FFFD, as the joined text encodes', () => {
    expect(written(['x', '\ud83d', '\ude00', 'y']).toString('utf8')).toBe('x\u{1F600}y');
    expect(written(['x', '\ud83d']).equals(Buffer.from('x\ud83d', 'utf8'))).toBe(true);
    expect(written(['\ud83d', '\ud83d', '\ude00']).equals(Buffer.from('\ud83d\ud83d\ude00', 'utf8'))).toBe(
      true,
    );
  });

  it('grows past its size hint without losing what it holds', () => {
    const pieces = Array.from({ length: 500 }, (_, i) => `line ${i} \u00e9\n`);
    expect(written(pieces, 16).toString('utf8')).toBe(pieces.join(''));
  });

  it('answers an empty body for no pieces and for empty ones', () => {
    expect(written([]).length).toBe(0);
    expect(written(['', '']).length).toBe(0);
  });
});
