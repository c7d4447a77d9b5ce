// Phase detection from build-and-copy.sh's own output (SPEC §13: Pulling / Building the vLLM
// container / Copying to peer Sparks) and the failure line a build leaves. Pure, table-tested.
import type { UpdatePhase } from '../../../common/updates-api.js';

/** The phase a line of build-and-copy.sh starts, or null when it starts none. */
export function phaseOfBuildLine(line: string): Extract<UpdatePhase, 'building' | 'copying'> | null {
  const l = line.trim();
  if (/^Building image with command\b/.test(l) || /^Building vLLM from source\b/.test(l)) return 'building';
  if (/^Copying image\b/.test(l)) return 'copying';
  return null;
}

/** What the dashboard shows for each phase. */
export const PHASE_TITLES: Record<UpdatePhase, string> = {
  preparing: 'Preparing: keeping the current image for a rollback',
  pulling: 'Pulling',
  building: 'Building the vLLM container',
  copying: 'Copying to peer Sparks',
  smoke_test: 'Smoke test: launching the chosen model with the new image',
  restoring: 'Restoring the model that was loaded before',
  rolling_back: 'Rolling back to the previous launcher and image',
  done: 'Done',
};

const ERROR_LINE = /(^|\s)(ERROR|Error|error)\b|failed|Failed|No space left|Cannot connect/;

/**
 * Why build-and-copy.sh failed, from its last lines: the last line that reads like an error
 * (docker's `ERROR: failed to solve: …`, `Copy to X failed.`), else the last non-empty line.
 */
export function buildFailure(lines: string[], code: number | null): string {
  const clean = lines.map((l) => l.trim()).filter((l) => l !== '');
  const err = [...clean].reverse().find((l) => ERROR_LINE.test(l));
  const last = err ?? clean.at(-1) ?? 'no output';
  return `build-and-copy.sh failed (exit ${code ?? 'killed'}): ${last.slice(0, 400)}`;
}

/** Seconds per phase, adding the time since `enteredAt` to the phase being left. */
export function addTiming(
  timings: Partial<Record<UpdatePhase, number>>,
  phase: UpdatePhase,
  enteredAt: number,
  now: number,
): Partial<Record<UpdatePhase, number>> {
  const s = Math.max(0, (now - enteredAt) / 1000);
  return { ...timings, [phase]: Math.round(((timings[phase] ?? 0) + s) * 10) / 10 };
}
