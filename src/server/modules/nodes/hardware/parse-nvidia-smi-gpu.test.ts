import { describe, expect, it } from 'vitest';
import { parseNvidiaSmiGpu } from './parse-nvidia-smi-gpu.js';

const MIB = 1024 * 1024;

describe('parseNvidiaSmiGpu', () => {
  it.each([
    [
      'GB10: unified memory, totals [N/A]',
      'NVIDIA GB10, 3, 41, 11.23, [N/A], [N/A]\n',
      { name: 'NVIDIA GB10', util_pct: 3, temp_c: 41, power_w: 11.23, mem_total: null, mem_used: null },
    ],
    [
      'GB10 under load',
      'NVIDIA GB10, 96, 71, 87.40, [N/A], [N/A]',
      { name: 'NVIDIA GB10', util_pct: 96, temp_c: 71, power_w: 87.4, mem_total: null, mem_used: null },
    ],
    [
      'discrete GPU with real memory numbers',
      'NVIDIA RTX A6000, 27, 58, 112.52, 49140, 20311\n',
      {
        name: 'NVIDIA RTX A6000',
        util_pct: 27,
        temp_c: 58,
        power_w: 112.52,
        mem_total: 49140 * MIB,
        mem_used: 20311 * MIB,
      },
    ],
    [
      'power [Not Supported]',
      'NVIDIA GeForce GTX 1080, 0, 35, [Not Supported], 8192, 1\n',
      {
        name: 'NVIDIA GeForce GTX 1080',
        util_pct: 0,
        temp_c: 35,
        power_w: null,
        mem_total: 8192 * MIB,
        mem_used: MIB,
      },
    ],
    [
      'two GPUs: the first one is shown',
      'NVIDIA H100 80GB HBM3, 10, 40, 70.1, 81559, 1024\nNVIDIA H100 80GB HBM3, 90, 60, 600.2, 81559, 80000\n',
      {
        name: 'NVIDIA H100 80GB HBM3',
        util_pct: 10,
        temp_c: 40,
        power_w: 70.1,
        mem_total: 81559 * MIB,
        mem_used: 1024 * MIB,
      },
    ],
    ['empty (no nvidia-smi)', '', null],
    ['no devices', 'No devices were found\n', null],
    [
      'driver down',
      "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.\n",
      null,
    ],
    ['too few fields', 'NVIDIA GB10, 3, 41\n', null],
    ['all fields unknown', '[N/A], [N/A], [N/A], [N/A], [N/A], [N/A]', null],
  ])('%s', (_name, input, expected) => {
    expect(parseNvidiaSmiGpu(input)).toEqual(expected);
  });
});
