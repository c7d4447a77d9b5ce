import { describe, expect, it } from 'vitest';
import { parseComputeApps } from './parse-compute-apps.js';

const MIB = 1024 * 1024;

describe('parseComputeApps', () => {
  it.each([
    ['no processes: nvidia-smi prints nothing', '', 0],
    ['only a newline', '\n', 0],
    ['one vLLM worker', '12345, 6520\n', 6520 * MIB],
    ['vLLM + Parakeet + Magpie', '231877, 98304\n232010, 4876\n232442, 3010\n', (98304 + 4876 + 3010) * MIB],
    ['one process [N/A] among known ones', '4101, [N/A]\n4102, 512\n', 512 * MIB],
    ['all [N/A]', '4101, [N/A]\n4102, [N/A]\n', null],
    [
      'driver error text',
      "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.",
      null,
    ],
    ['extra columns', '12345, python3, 6520\n', null],
    ['garbage', 'Segmentation fault\n', null],
  ])('%s', (_name, input, expected) => {
    expect(parseComputeApps(input)).toBe(expected);
  });
});
