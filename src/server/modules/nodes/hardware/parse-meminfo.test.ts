import { describe, expect, it } from 'vitest';
import { parseMeminfo } from './parse-meminfo.js';

// Head of /proc/meminfo on a 128 GB GB10 (DGX OS, kernel 6.x).
const GB10 = `MemTotal:       127600748 kB
MemFree:        61234568 kB
MemAvailable:   98765432 kB
Buffers:          412356 kB
Cached:         36123456 kB
SwapCached:            0 kB
Active:         20123456 kB
Inactive:       38123456 kB
HugePages_Total:       0
Hugepagesize:       2048 kB
`;

const NULLS = { total: null, available: null, used: null };

describe('parseMeminfo', () => {
  it.each([
    [
      'GB10, 128 GB',
      GB10,
      { total: 127600748 * 1024, available: 98765432 * 1024, used: (127600748 - 98765432) * 1024 },
    ],
    [
      'CRLF and no trailing newline',
      'MemTotal: 1000 kB\r\nMemAvailable: 250 kB',
      { total: 1024000, available: 256000, used: 768000 },
    ],
    [
      'no MemAvailable (old kernel)',
      'MemTotal: 1000 kB\nMemFree: 10 kB\n',
      { total: 1024000, available: null, used: null },
    ],
    [
      'available above total is inconsistent',
      'MemTotal: 10 kB\nMemAvailable: 20 kB\n',
      { total: 10240, available: 20480, used: null },
    ],
    ['empty', '', NULLS],
    ['garbage', 'cat: /proc/meminfo: No such file or directory\n\0\0', NULLS],
    ['non-numeric value', 'MemTotal: lots kB\nMemAvailable: -5 kB\n', NULLS],
  ])('%s', (_name, input, expected) => {
    expect(parseMeminfo(input)).toEqual(expected);
  });
});
