// Input rules shared by the coordination services and their route schemas. The services check
// again because the swap module and tests call them directly, without the HTTP schema in front.
import { AppError } from '../../platform/http/errors.js';

export const HOLDER_PATTERN = '^[A-Za-z0-9 ._@:-]{1,64}$';
const HOLDER_RE = new RegExp(HOLDER_PATTERN);
export const MAX_TTL_S = 86_400;
export const MAX_REASON = 200;

// Everything here ends up on the dashboard and in log lines, where control characters would
// break the layout or forge extra lines.
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_EXCEPT_NEWLINE_RE = /[\u0000-\u0008\u000b-\u001f\u007f]/;

export function checkHolder(holder: unknown, field = 'holder'): string {
  if (typeof holder !== 'string' || !HOLDER_RE.test(holder) || holder.trim() === '')
    throw new AppError(
      'INVALID_INPUT',
      `"${field}" must be 1–64 characters of letters, digits, spaces and . _ @ : - (not only spaces).`,
    );
  return holder;
}

/** Optional free text: undefined/null/blank become null; too long or control characters → 400. */
export function optionalText(
  value: unknown,
  field: string,
  max: number,
  opts: { multiline?: boolean } = {},
): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new AppError('INVALID_INPUT', `"${field}" must be a string.`);
  const text = value.trim();
  if (text === '') return null;
  if (text.length > max)
    throw new AppError(
      'INVALID_INPUT',
      `"${field}" is ${text.length} characters long; at most ${max} allowed.`,
    );
  if ((opts.multiline ? CONTROL_EXCEPT_NEWLINE_RE : CONTROL_RE).test(text))
    throw new AppError('INVALID_INPUT', `"${field}" must not contain control characters.`);
  return text;
}

export function requiredText(value: unknown, field: string, max: number): string {
  const text = optionalText(value, field, max);
  if (text === null) throw new AppError('INVALID_INPUT', `"${field}" is required and must not be blank.`);
  return text;
}
