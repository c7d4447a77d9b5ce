import { describe, expect, it } from 'vitest';
import { parseLine, parseTqdmSize, RateMeter, RepoProgress } from './progress.js';

describe('parseTqdmSize', () => {
  it.each([
    ['598M', 598e6],
    ['4.97GB', 4.97e9],
    ['239', 239],
    ['12.3kB', 12_300],
    ['1.00', 1],
    ['0.00B', 0],
    ['2.1 TB', 2.1e12],
    ['1.5GiB', 1.5e9],
    ['MB', null],
    ['12x', null],
    ['', null],
  ])('%s → %s', (text, bytes) => expect(parseTqdmSize(text)).toBe(bytes));
});

describe('parseLine (real-CLI-like lines)', () => {
  it.each([
    [
      'model-00001-of-00004.safetensors:  12%|█▏        | 598M/4.97G [00:05<00:36, 119MB/s]',
      { kind: 'file', bar: { file: 'model-00001-of-00004.safetensors', done: 598e6, total: 4.97e9 } },
    ],
    [
      'model.safetensors: 100%|██████████| 2.05GB/2.05GB [00:17<00:00, 119MB/s]',
      { kind: 'file', bar: { file: 'model.safetensors', done: 2.05e9, total: 2.05e9 } },
    ],
    [
      'tokenizer.json:   0%|          | 0.00/11.4M [00:00<?, ?B/s]',
      { kind: 'file', bar: { file: 'tokenizer.json', done: 0, total: 11.4e6 } },
    ],
    [
      'config.json: 100%|██████████| 1.53k/1.53k [00:00<00:00, 10.2MB/s]',
      { kind: 'file', bar: { file: 'config.json', done: 1530, total: 1530 } },
    ],
    ['Fetching 9 files:  33%|███▎      | 3/9 [00:02<00:04, 1.40it/s]', { kind: 'files', done: 3, total: 9 }],
    // a bar with the bracket cut off (a partial line flushed at exit)
    [
      'model.safetensors:  50%|█████     | 1.02G/2.05G',
      { kind: 'file', bar: { file: 'model.safetensors', done: 1.02e9, total: 2.05e9 } },
    ],
    // colour escapes from a CLI that thinks it has a terminal
    [
      '\u001b[Amodel.safetensors:  10%|█         | 205M/2.05G [00:02<00:18, 100MB/s]',
      { kind: 'file', bar: { file: 'model.safetensors', done: 205e6, total: 2.05e9 } },
    ],
    [
      'OSError: [Errno 28] No space left on device',
      { kind: 'other', text: 'OSError: [Errno 28] No space left on device' },
    ],
    [
      '/home/u/.cache/huggingface/hub/models--a--b/snapshots/abc',
      { kind: 'other', text: '/home/u/.cache/huggingface/hub/models--a--b/snapshots/abc' },
    ],
    ['weird: 12%|bar| lots/more', { kind: 'other', text: 'weird: 12%|bar| lots/more' }],
  ])('%s', (line, parsed) => expect(parseLine(line)).toEqual(parsed));
});

describe('RepoProgress', () => {
  it('sums the latest bar of each file; unknown total until a bar is seen', () => {
    const p = new RepoProgress();
    expect(p.feed('Fetching 3 files:   0%|          | 0/3 [00:00<?, ?it/s]').kind).toBe('files');
    expect(p.total()).toBeNull();
    p.feed('a.safetensors:  10%|█         | 500M/5.00G [00:05<00:45, 100MB/s]');
    p.feed('b.safetensors:   0%|          | 0.00/3.00G [00:00<?, ?B/s]');
    p.feed('a.safetensors:  20%|██        | 1.00G/5.00G [00:10<00:40, 100MB/s]');
    expect(p.bytes()).toBe(1e9);
    expect(p.total()).toBe(8e9);
    expect(p.filesTotal).toBe(3);
    expect(p.feed('Traceback (most recent call last):').kind).toBe('other');
  });
});

describe('RateMeter', () => {
  it('rate over the window and the ETA it implies; null until it can tell', () => {
    const m = new RateMeter(10_000);
    expect(m.rate()).toBeNull();
    m.add(0, 1e9); // resumed: bytes that were already there do not count as speed
    expect(m.eta(2e9)).toBeNull();
    m.add(1000, 1.1e9);
    expect(m.rate()).toBe(1e8);
    expect(m.eta(2e9)).toBe(9);
    expect(m.eta(1.11e9)).toBe(1); // 0.1 s left is not "0 s left" while bytes remain
    expect(m.eta(1.1e9)).toBe(0);
    expect(m.eta(null)).toBeNull();
    m.add(20_000, 1.2e9); // the first samples leave the window
    expect(m.rate()).toBeCloseTo(1e8 / 19, 0);
    m.add(30_001, 1.2e9);
    expect(m.rate()).toBe(0);
    expect(m.eta(2e9)).toBeNull();
  });
});
