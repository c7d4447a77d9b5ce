// Input rules for reports (SPEC §3). The service checks again after the route schema because the
// gateway and deep health call it directly, without HTTP in front.
import { AppError } from '../../platform/http/errors.js';

export const NAME_PATTERN = '^[A-Za-z0-9._-]{1,64}$';
const NAME_RE = new RegExp(NAME_PATTERN);
export const MAX_ERROR = 500;
/** A day: anything longer is not a latency. */
export const MAX_MS = 86_400_000;

// Errors end up on the dashboard and in log lines, where control characters would break the
// layout; another app's multi-line error is kept, on one line.
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u001f\u007f]+/g;

export function checkName(value: unknown, field: string): string {
  if (typeof value !== 'string' || !NAME_RE.test(value))
    throw new AppError(
      'INVALID_INPUT',
      `"${field}" must be 1–64 characters of letters, digits and . _ - (e.g. "parakeet").`,
    );
  return value;
}

export function checkError(value: unknown, field = 'error'): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new AppError('INVALID_INPUT', `"${field}" must be a string.`);
  if (value.length > MAX_ERROR)
    throw new AppError(
      'INVALID_INPUT',
      `"${field}" is ${value.length} characters long; at most ${MAX_ERROR} allowed.`,
    );
  const text = value.replace(CONTROL_RE, ' ').trim();
  return text === '' ? null : text;
}

export function checkMs(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_MS)
    throw new AppError('INVALID_INPUT', `"ms" must be a number of milliseconds from 0 to ${MAX_MS}.`);
  return value;
}

/** The body's subject, under whichever name it came: `service`, `subject` or the legacy `spark`. */
export function subjectOf(body: { service?: unknown; subject?: unknown; spark?: unknown }): string {
  const given = (['service', 'subject', 'spark'] as const).filter((k) => body[k] !== undefined);
  if (given.length === 0) throw new AppError('INVALID_INPUT', '"service" is required (e.g. "parakeet").');
  const names = new Set(given.map((k) => body[k]));
  if (names.size > 1)
    throw new AppError(
      'INVALID_INPUT',
      `${given.map((k) => `"${k}"`).join(' and ')} name different subjects.`,
    );
  return checkName(body[given[0]!], given[0]!);
}
