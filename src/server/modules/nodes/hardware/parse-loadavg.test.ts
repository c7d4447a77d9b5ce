import { describe, expect, it } from 'vitest';
import { parseLoadavg } from './parse-loadavg.js';

const NULLS = { load1: null, load5: null, load15: null };

describe('parseLoadavg', () => {
  it.each([
    ['idle', '0.52 0.58 0.59 1/1234 56789\n', { load1: 0.52, load5: 0.58, load15: 0.59 }],
    ['busy 20-core node', '18.07 12.40 7.95 21/2017 431902\n', { load1: 18.07, load5: 12.4, load15: 7.95 }],
    ['zeroes', '0.00 0.00 0.00 1/87 5475', { load1: 0, load5: 0, load15: 0 }],
    ['empty', '', NULLS],
    ['three numbers without the task field', '1 2 3', NULLS],
    ['garbage', 'bash: /proc/loadavg: Permission denied', NULLS],
    ['non-numeric field', '0.52 N/A 0.59 1/1234 56789', NULLS],
  ])('%s', (_name, input, expected) => {
    expect(parseLoadavg(input)).toEqual(expected);
  });
});
