// The text fields of a transcribe-with-speakers form, checked before any GPU work: every bad
// value is a 400 that names the field and what it accepts.
import type { TranscriptFormat } from '../../../common/audio-api.js';
import { AppError } from '../../platform/http/errors.js';
import { TRANSCRIPT_FORMATS } from './core/formats.js';

export interface TranscribeForm {
  language?: string;
  minSpeakers?: number;
  maxSpeakers?: number;
  format: TranscriptFormat;
}

/** Sortformer finds at most 4 speakers per chunk; a long recording may have more. */
export const MAX_SPEAKERS = 32;

const bad = (message: string) => new AppError('BAD_REQUEST', message);

function count(fields: Record<string, string>, name: string): number | undefined {
  const raw = fields[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d{1,3}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_SPEAKERS)
    throw bad(
      `\`${name}\` must be a whole number from 1 to ${MAX_SPEAKERS} (got ${JSON.stringify(raw.slice(0, 20))}).`,
    );
  return Number(raw);
}

/** A transcript format by name; 400 naming the accepted ones otherwise. */
export function transcriptFormat(raw: string | undefined): TranscriptFormat {
  const v = raw?.trim().toLowerCase() || 'json';
  if ((TRANSCRIPT_FORMATS as readonly string[]).includes(v)) return v as TranscriptFormat;
  throw bad(
    `\`response_format\` must be one of ${TRANSCRIPT_FORMATS.join(', ')} (got ${JSON.stringify(v.slice(0, 20))}).`,
  );
}

export function parseTranscribeForm(fields: Record<string, string>): TranscribeForm {
  const language = fields.language?.trim();
  if (
    language &&
    language.toLowerCase() !== 'auto' &&
    !/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8}){0,2}$/.test(language)
  )
    throw bad(
      `\`language\` must be a language code such as en or en-US (got ${JSON.stringify(language.slice(0, 20))}).`,
    );
  const minSpeakers = count(fields, 'min_speakers');
  const maxSpeakers = count(fields, 'max_speakers');
  if (minSpeakers !== undefined && maxSpeakers !== undefined && minSpeakers > maxSpeakers)
    throw bad(
      `\`min_speakers\` (${minSpeakers}) must not be greater than \`max_speakers\` (${maxSpeakers}).`,
    );
  return {
    language: language && language.toLowerCase() !== 'auto' ? language : undefined,
    minSpeakers,
    maxSpeakers,
    format: transcriptFormat(fields.response_format),
  };
}
