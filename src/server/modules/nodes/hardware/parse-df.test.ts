import { describe, expect, it } from 'vitest';
import { parseDf } from './parse-df.js';

// `df -B1 --output=target,size,used,avail / ~/.cache/huggingface` on a Spark with a 4 TB NVMe:
// both arguments live on `/`, so GNU df prints the same row twice (it does not dedupe arguments).
const SAME_FS = `Mounted on        1B-blocks          Used         Avail
/             3936818167808 1523412598784 2213385461760
/             3936818167808 1523412598784 2213385461760
`;

// The HF cache on a separate data disk whose mount point contains a space.
const SEPARATE = `Mounted on          1B-blocks         Used        Avail
/                1967317549056 402653184000 1464524193792
/mnt/model data  7999999999999 1000000000000 6599999999999
`;

describe('parseDf', () => {
  it.each([
    [
      'same filesystem twice',
      SAME_FS,
      [
        { path: '/', total: 3936818167808, used: 1523412598784, free: 2213385461760 },
        { path: '/', total: 3936818167808, used: 1523412598784, free: 2213385461760 },
      ],
    ],
    [
      'separate disk, space in mount point',
      SEPARATE,
      [
        { path: '/', total: 1967317549056, used: 402653184000, free: 1464524193792 },
        { path: '/mnt/model data', total: 7999999999999, used: 1000000000000, free: 6599999999999 },
      ],
    ],
    ['header only (both arguments failed)', 'Mounted on 1B-blocks Used Avail\n', []],
    ['empty', '', []],
    ['garbage', "df: unrecognized option '--output=target'\nTry 'df --help' for more information.", []],
    ['human-readable sizes are not bytes', '/  3.6T  1.4T  2.1T', []],
  ])('%s', (_name, input, expected) => {
    expect(parseDf(input)).toEqual(expected);
  });
});
