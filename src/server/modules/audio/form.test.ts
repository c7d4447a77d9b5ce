import { describe, expect, it } from 'vitest';
import { caughtAppError } from '../../../../test/helpers/unit.js';
import { parseTranscribeForm } from './form.js';

describe('parseTranscribeForm', () => {
  it('reads the fields with their defaults', () => {
    expect(parseTranscribeForm({})).toEqual({ format: 'json' });
    expect(
      parseTranscribeForm({
        language: 'en-US',
        min_speakers: '2',
        max_speakers: ' 3 ',
        response_format: 'SRT',
      }),
    ).toEqual({ language: 'en-US', minSpeakers: 2, maxSpeakers: 3, format: 'srt' });
    expect(parseTranscribeForm({ language: 'auto' }).language).toBeUndefined();
  });

  it.each([
    [{ min_speakers: '4', max_speakers: '2' }, /min_speakers.*greater.*max_speakers/],
    [{ min_speakers: '0' }, /min_speakers.*1 to 32/],
    [{ max_speakers: '2.5' }, /max_speakers/],
    [{ response_format: 'docx' }, /json, srt, vtt, text/],
    [{ language: 'en; rm -rf' }, /language/],
  ])('refuses %j with a 400 naming the field', (fields, message) => {
    const err = caughtAppError(() => parseTranscribeForm(fields));
    expect(err.status).toBe(400);
    expect(err.message).toMatch(message);
  });
});
