import { describe, expect, it } from 'vitest';
import { addTiming, buildFailure, phaseOfBuildLine } from './phases.js';

describe('phaseOfBuildLine', () => {
  it.each([
    ['Building vLLM from source', 'building'],
    ['Building image with command: docker build -t vllm-node --build-arg VLLM_REF=main .', 'building'],
    ["Copying image 'vllm-node' to 1 host(s): 192.0.2.12", 'copying'],
    ['  Copying image vllm-node', 'copying'],
    ['#5 [builder 3/6] RUN git clone https://github.com/triton-lang/triton.git', null],
    ['Loading image into spark@192.0.2.12...', null],
    ['Copy to 192.0.2.12 completed in 00:00:08', null],
    ['Docker Build:  00:12:01', null],
    ['echo Building image with command', null],
    ['', null],
  ])('%j → %s', (line, phase) => {
    expect(phaseOfBuildLine(line)).toBe(phase);
  });
});

describe('buildFailure', () => {
  it("keeps docker's own error line over the lines after it", () => {
    const lines = [
      '#5 [builder 3/6] RUN git clone https://github.com/triton-lang/triton.git',
      'ERROR: failed to solve: process "/bin/sh -c pip wheel ." did not complete successfully: exit code: 1',
      'Cleaning up temporary image /tmp/vllm_image.x',
      '',
    ];
    expect(buildFailure(lines, 1)).toBe(
      'build-and-copy.sh failed (exit 1): ERROR: failed to solve: process "/bin/sh -c pip wheel ." did not complete successfully: exit code: 1',
    );
  });
  it('falls back to the last line, or says there was none', () => {
    expect(buildFailure(['one', 'two  '], 2)).toBe('build-and-copy.sh failed (exit 2): two');
    expect(buildFailure([], null)).toBe('build-and-copy.sh failed (exit killed): no output');
  });
});

describe('addTiming', () => {
  it('adds the seconds spent to the phase being left, to a tenth', () => {
    const t = addTiming({ pulling: 1.5 }, 'pulling', 10_000, 12_340);
    expect(t).toEqual({ pulling: 3.8 });
    expect(addTiming(t, 'building', 5000, 4000)).toEqual({ pulling: 3.8, building: 0 });
  });
});
