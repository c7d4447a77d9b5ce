import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultOverlayDir, loadOverlay, sha256 } from './overlay.js';

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'overlay-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the shipped overlay', () => {
  it('is every top-level .py of overlays/parakeet with its sha256, tests and bytecode left home', () => {
    const files = loadOverlay(defaultOverlayDir());
    expect(files.map((f) => f.name)).toEqual([
      'audio_input.py',
      'diarize_core.py',
      'diarize_routes.py',
      'diarizer.py',
      'main.py',
      'transcript_format.py',
      'wav_windows.py',
    ]);
    const main = files.find((f) => f.name === 'main.py')!;
    expect(main.sha256).toBe(sha256(readFileSync(join(defaultOverlayDir(), 'main.py'))));
  });

  it('skips directories and other files, and refuses names that could not travel safely', () => {
    const d = tempDir();
    writeFileSync(join(d, 'b.py'), 'x = 1\n');
    writeFileSync(join(d, 'a.py'), 'y = 2\n');
    writeFileSync(join(d, 'notes.txt'), 'n');
    mkdirSync(join(d, 'sub.py'));
    expect(loadOverlay(d).map((f) => f.name)).toEqual(['a.py', 'b.py']);
    writeFileSync(join(d, "it's.py"), '');
    expect(() => loadOverlay(d)).toThrow(/not allowed/);
    expect(() => loadOverlay(tempDir())).toThrow(/no overlay files/);
  });
});
