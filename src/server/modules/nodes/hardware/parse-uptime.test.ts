import { describe, expect, it } from 'vitest';
import { parseUptime } from './parse-uptime.js';

describe('parseUptime', () => {
  it.each([
    ['four days', '350735.47 234388.90\n', 350735],
    ['just booted', '12.09 40.11', 12],
    ['leading whitespace', '  466.02 800.50\n', 466],
    ['empty', '', null],
    ['one field only', '350735.47', null],
    ['garbage', 'up 4 days, 1:23', null],
    ['negative', '-5.00 1.00', null],
  ])('%s', (_name, input, expected) => {
    expect(parseUptime(input)).toBe(expected);
  });
});
