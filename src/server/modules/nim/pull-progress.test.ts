import { describe, expect, it } from 'vitest';
import { parseSize, PullProgress } from './pull-progress.js';

describe('parseSize', () => {
  it('reads docker HumanSize units', () => {
    expect(parseSize('12.3MB')).toBe(12_300_000);
    expect(parseSize('1.21GB')).toBeCloseTo(1_210_000_000);
    expect(parseSize('512B')).toBe(512);
    expect(parseSize('45kB')).toBe(45_000);
    expect(parseSize('lots')).toBeNull();
  });
});

describe('PullProgress', () => {
  it('counts layer stages when no bars come (docker without a terminal)', () => {
    const p = new PullProgress();
    expect(p.fraction()).toBeNull();
    expect(p.feed('latest: Pulling from nim/nvidia/parakeet-1-1b-ctc-en-us')).toBe('log');
    for (const id of ['aaaaaaaaaaaa', 'bbbbbbbbbbbb']) p.feed(`${id}: Pulling fs layer`);
    expect(p.fraction()).toBe(0);
    p.feed('aaaaaaaaaaaa: Download complete');
    expect(p.fraction()).toBeCloseTo(0.4);
    p.feed('aaaaaaaaaaaa: Pull complete');
    p.feed('bbbbbbbbbbbb: Verifying Checksum');
    expect(p.fraction()).toBeCloseTo(0.9);
    p.feed('bbbbbbbbbbbb: Pull complete');
    expect(p.fraction()).toBe(1);
    expect(p.counts()).toEqual({ layers: 2, complete: 2 });
  });

  it('weights layers by the sizes the bars give, and does not log the bars', () => {
    const p = new PullProgress();
    p.feed('aaaaaaaaaaaa: Pulling fs layer');
    p.feed('bbbbbbbbbbbb: Pulling fs layer');
    expect(p.feed('aaaaaaaaaaaa: Downloading [==>        ]  100MB/1GB')).toBe('progress');
    expect(p.feed('bbbbbbbbbbbb: Downloading [=========> ]  9kB/10kB')).toBe('progress');
    // a: 0.8 × 0.1 of 1 GB; b: 0.8 × 0.9 of 10 kB → dominated by the big layer.
    expect(p.fraction()).toBeCloseTo((0.08 * 1e9 + 0.72 * 1e4) / (1e9 + 1e4), 5);
    p.feed('aaaaaaaaaaaa: Extracting [=====>     ]  500MB/1GB');
    expect(p.fraction()).toBeGreaterThan(0.85);
  });

  it('strips terminal escapes and carriage returns of a TTY pull', () => {
    const p = new PullProgress();
    p.feed('cccccccccccc: Pulling fs layer');
    expect(p.feed('\u001b[1A\u001b[2K\rcccccccccccc: Downloading [=>   ]  1.5MB/3MB\r')).toBe('progress');
    expect(p.fraction()).toBeCloseTo(0.4);
  });

  it('logs Digest and Status lines and never goes backwards on a late status', () => {
    const p = new PullProgress();
    p.feed('dddddddddddd: Pull complete');
    p.feed('dddddddddddd: Downloading');
    expect(p.fraction()).toBe(1);
    expect(p.feed('Digest: sha256:abc')).toBe('log');
    expect(p.feed('Status: Downloaded newer image for nvcr.io/nim/nvidia/x:latest')).toBe('log');
  });
});
