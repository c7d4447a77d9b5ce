// Vitest setup file: each test file gets its own temp root (TMPDIR, which os.tmpdir() reads on every
// call), removed with everything in it when the file's tests end — so no test, present or future,
// can leave temp directories behind.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

let root: string | null = null;
const previous = process.env.TMPDIR;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'sc-vitest-'));
  process.env.TMPDIR = root;
});

afterAll(() => {
  if (previous === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = previous;
  if (root) rmSync(root, { recursive: true, force: true });
  root = null;
});
