import { randomBytes } from 'node:crypto';

/** Job ids travel in URLs and messages; callers choosing their own (a swap id) must match this. */
export const JOB_ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$';

/** Time-ordered and short enough to read in a message: `lz3k9a1c-9f2e11ab`. */
export function newJobId(): string {
  return `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}
