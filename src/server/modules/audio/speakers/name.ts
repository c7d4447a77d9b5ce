// The rules for an enrolled speaker's name, checked at the API boundary. A name ends up as the
// `speaker` of transcript blocks, in SRT/VTT cues and on the dashboard, so it is one readable line:
// trimmed, 1–64 characters, no control, format (bidi overrides, zero-width) or line/paragraph
// separators, and never a `Speaker_N` label, which would be confused with an unnamed voice.
import { AppError } from '../../../platform/http/errors.js';

export const NAME_MAX_CHARS = 64;

const FORBIDDEN = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
const UNNAMED_LABEL = /^speaker[_ ]?\d+$/i;

/** The trimmed name, or a 400 saying what is wrong with it. */
export function validateSpeakerName(raw: unknown): string {
  if (typeof raw !== 'string') throw badName('`name` must be a string (the speaker’s name).');
  const name = raw.normalize('NFC').trim();
  if (name === '') throw badName('`name` is empty: give the speaker a name of 1–64 characters.');
  const chars = [...name].length;
  if (chars > NAME_MAX_CHARS)
    throw badName(`\`name\` is ${chars} characters long; at most ${NAME_MAX_CHARS} are allowed.`);
  const bad = FORBIDDEN.exec(name);
  if (bad) {
    const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    throw badName(`\`name\` contains a control or invisible character (U+${code}); use plain text.`);
  }
  if (UNNAMED_LABEL.test(name))
    throw badName(`\`name\` "${name}" looks like an unnamed speaker label (Speaker_N); choose a real name.`);
  return name;
}

/** Two names that differ only in case (or Unicode form) are one name in the library. */
export const nameKey = (name: string): string => name.normalize('NFC').toLowerCase();

const badName = (message: string) => new AppError('INVALID_INPUT', message, { details: { param: 'name' } });
