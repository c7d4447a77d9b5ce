// The lab form's speaker bounds, checked before sending (the server checks them again: 400).

export type SpeakerBounds =
  { ok: true; min: number | null; max: number | null } | { ok: false; error: string };

const MAX_SPEAKERS = 32;

function parseCount(text: string, what: string): number | null | string {
  const t = text.trim();
  if (t === '') return null;
  if (!/^\d+$/.test(t)) return `${what} must be a whole number.`;
  const n = Number(t);
  if (n < 1 || n > MAX_SPEAKERS) return `${what} must be between 1 and ${MAX_SPEAKERS}.`;
  return n;
}

/** Empty fields mean "any"; a minimum above the maximum is refused. */
export function parseSpeakerBounds(minText: string, maxText: string): SpeakerBounds {
  const min = parseCount(minText, 'Min speakers');
  if (typeof min === 'string') return { ok: false, error: min };
  const max = parseCount(maxText, 'Max speakers');
  if (typeof max === 'string') return { ok: false, error: max };
  if (min !== null && max !== null && min > max)
    return { ok: false, error: `Min speakers (${min}) is more than max speakers (${max}).` };
  return { ok: true, min, max };
}

/** Why a speaker name would be refused (the server's rule: 1–64 characters, no control characters, not a `Speaker_N` label), or null. */
export function speakerNameProblem(name: string): string | null {
  const t = name.trim();
  if (t === '') return 'A name is needed.';
  if ([...t].length > 64) return 'A name has at most 64 characters.';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(t)) return 'A name cannot contain control characters.';
  if (/^speaker[_ ]?\d+$/i.test(t)) return 'That looks like an unnamed speaker label; choose a real name.';
  return null;
}
