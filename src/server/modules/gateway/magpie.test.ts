import { Response } from 'undici';
import { describe, expect, it } from 'vitest';
import { caughtAppError } from '../../../../test/helpers/unit.js';
import {
  flattenVoices,
  languageOf,
  MAX_VOICES,
  speechRequest,
  synthesizeForm,
  VoiceCatalog,
} from './magpie.js';
import { multipartBoundary, parseMultipart } from '../../../sim/multipart.js';
import { embeddingsBase } from './sources.js';

const VOICE = 'Magpie-Multilingual.EN-US.Mia';

const message = (fn: () => unknown): string => caughtAppError(fn).message;

describe('magpie helpers', () => {
  it('derives the language from the voice name', () => {
    expect(languageOf(VOICE)).toBe('en-US');
    expect(languageOf('Magpie-Multilingual.ZH-CN.Siwei.Calm')).toBe('zh-CN');
    expect(languageOf('alloy')).toBeNull();
  });

  it('checks OpenAI speech requests, mp3 and speed 1 by default', () => {
    expect(speechRequest({ input: 'hi', voice: VOICE, response_format: 'wav' })).toEqual({
      input: 'hi',
      voice: VOICE,
      format: 'wav',
      speed: 1,
      streamFormat: null,
    });
    expect(speechRequest({ input: 'hi', voice: 'alloy' })).toMatchObject({ format: 'mp3', speed: 1 });
    expect(
      speechRequest({
        input: 'hi',
        voice: { id: VOICE },
        response_format: 'opus',
        speed: 2,
        stream_format: 'sse',
      }),
    ).toMatchObject({ voice: VOICE, format: 'opus', speed: 2, streamFormat: 'sse' });
    expect(message(() => speechRequest({ input: 'hi', voice: VOICE, response_format: 'ogg' }))).toContain(
      'mp3, opus, aac, flac, wav, pcm',
    );
    expect(message(() => speechRequest({ input: 'hi', voice: VOICE, stream_format: 'chunks' }))).toContain(
      'stream_format',
    );
    expect(message(() => speechRequest({ input: 'x'.repeat(4097), voice: VOICE }))).toContain('4096');
    expect(message(() => speechRequest({ input: 'hi', response_format: 'wav' }))).toContain(
      '/v1/audio/voices',
    );
    for (const speed of [9, 0.1, Number.NaN, '2'])
      expect(message(() => speechRequest({ input: 'hi', voice: VOICE, speed }))).toContain('speed');
  });

  it('flattens the list_voices answer', () => {
    const body = { 'en-US,es-US': { voices: [VOICE, 'Magpie-Multilingual.ES-US.Diego'] }, other: 1 };
    expect(flattenVoices(body)).toEqual([VOICE, 'Magpie-Multilingual.ES-US.Diego']);
    expect(flattenVoices(null)).toEqual([]);
  });

  it('sends text fields as multipart that a form reader gets back byte for byte', async () => {
    // Text a hand-built body would have to escape: CR/LF, a delimiter-like line, quotes, non-ASCII.
    const text = 'hé\r\n--boundary--\r\nContent-Disposition: form-data; name="voice"\r\n\r\n"x"';
    // undici's Response encodes a body exactly as undici's request() sends it.
    const encoded = new Response(synthesizeForm({ text, voice: VOICE, sample_rate_hz: '22050' }));
    const type = encoded.headers.get('content-type') ?? '';
    const boundary = multipartBoundary(type);
    expect(boundary).not.toBeNull();
    const form = parseMultipart(Buffer.from(await encoded.arrayBuffer()), boundary ?? '');
    expect(form?.parts.map((p) => p.name)).toEqual(['text', 'voice', 'sample_rate_hz']);
    expect(form?.get('text')).toBe(text);
    expect(form?.get('voice')).toBe(VOICE);
  });

  it('caches the voice list and keeps the last one when a refresh fails', async () => {
    let now = 0;
    let calls = 0;
    let fail = false;
    const cat = new VoiceCatalog({
      maxAgeMs: 1000,
      now: () => now,
      fetch: async () => {
        calls += 1;
        if (fail) throw new Error('down');
        return [VOICE];
      },
    });
    expect(await cat.voices()).toEqual([VOICE]);
    expect(await cat.voices()).toEqual([VOICE]);
    expect(calls).toBe(1);
    now = 2000;
    fail = true;
    expect(await cat.voices()).toEqual([VOICE]);
    expect(calls).toBe(2);
    await expect(
      new VoiceCatalog({ fetch: () => Promise.reject(new Error('down')) }).voices(),
    ).rejects.toThrow();
  });

  it('reads the embeddings base loosely', () => {
    expect(embeddingsBase('http://127.0.0.1:8001/v1/')).toBe('http://127.0.0.1:8001');
    expect(embeddingsBase(null)).toBeNull();
  });
});

describe('voice list bound', () => {
  it('lists at most MAX_VOICES voices, whatever Magpie answers', () => {
    const voices = Array.from({ length: 2_000 }, (_, i) => `Magpie-Multilingual.EN-US.V${i}`);
    expect(flattenVoices({ en: { voices } })).toHaveLength(MAX_VOICES);
  });
});
