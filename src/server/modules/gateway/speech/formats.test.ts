import { describe, expect, it } from 'vitest';
import { AppError } from '../../../platform/http/errors.js';
import { CONTENT_TYPES, planSpeech, SPEECH_FORMATS, type SpeechFormat } from './formats.js';

const refused = (format: SpeechFormat, speed = 1) => {
  try {
    planSpeech(format, speed, false);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return (e as AppError).message;
  }
  return null;
};

describe('speech format plan', () => {
  it('uses ffmpeg for every format when present, except plain wav which is passed through', () => {
    for (const f of SPEECH_FORMATS) {
      const p = planSpeech(f, 1, true);
      expect(p.encoder).toBe(f === 'wav' ? 'wav' : 'ffmpeg');
      expect(p.contentType).toBe(CONTENT_TYPES[f]);
    }
    expect(planSpeech('wav', 1.5, true)).toMatchObject({ encoder: 'ffmpeg', speedApplied: true });
    expect(planSpeech('mp3', 1, true).speedApplied).toBe(false);
  });

  it('makes mp3, wav and pcm without ffmpeg, with speed ignored', () => {
    expect(planSpeech('mp3', 2, false)).toMatchObject({ encoder: 'lame', speedApplied: false });
    expect(planSpeech('wav', 2, false)).toMatchObject({ encoder: 'wav', speedApplied: false });
    expect(planSpeech('pcm', 1, false)).toMatchObject({ encoder: 'pcm', contentType: 'audio/pcm' });
  });

  it('refuses opus, aac and flac without ffmpeg, naming what to install', () => {
    for (const f of ['opus', 'aac', 'flac'] as const) {
      const m = refused(f);
      expect(m).toContain('apt-get install ffmpeg');
      expect(m).toContain(`"${f}"`);
    }
    expect(refused('mp3')).toBeNull();
  });

  it("answers OpenAI's content types", () => {
    expect(CONTENT_TYPES).toEqual({
      mp3: 'audio/mpeg',
      opus: 'audio/opus',
      aac: 'audio/aac',
      flac: 'audio/flac',
      wav: 'audio/wav',
      pcm: 'audio/pcm',
    });
  });
});
