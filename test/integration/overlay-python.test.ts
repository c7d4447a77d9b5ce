// The Parakeet overlay's Python unit tests (overlays/parakeet/tests, stdlib unittest against a small
// fake of NeMo's API) run as part of `npm test`, with the system's python3 and a clean environment.
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';

const OVERLAY = join(import.meta.dirname, '..', '..', 'overlays', 'parakeet');

test('the overlay Python unit tests pass under python3', () => {
  const r = spawnSync('python3', ['-m', 'unittest', 'discover', '-s', 'tests', '-t', '.', '-v'], {
    cwd: OVERLAY,
    // No bytecode next to the shipped files: the speech-models module hashes that directory.
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', PYTHONDONTWRITEBYTECODE: '1', TMPDIR: tmpdir() },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const report = `${r.stdout}${r.stderr}`;
  expect(r.error, report).toBeUndefined();
  expect(r.status, report).toBe(0);
  const ran = Number(/Ran (\d+) tests?/.exec(report)?.[1] ?? 0);
  expect(ran).toBeGreaterThanOrEqual(20);
  expect(report).toMatch(/\nOK\s*$/);
  // The adapter is exercised against the fake NeMo, not skipped.
  expect(report).toMatch(/test_chunk_fingerprints_come_from_each_speakers_own_audio .* ok/);
});
