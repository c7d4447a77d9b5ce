// Speech to text through the gateway as real clients call it: the official `openai` package in
// every response format OpenAI documents (json, text, verbose_json, srt, vtt) and the Vercel AI
// SDK's transcription model, against the simulator's Parakeet over real HTTP.
import { createOpenAI } from '@ai-sdk/openai';
import { experimental_transcribe as transcribe } from 'ai';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCluster, type TestCluster } from '../helpers/harness.js';
import { pcmWav } from '../helpers/wav.js';

const MODEL = 'parakeet-tdt';

describe('transcription through real clients', () => {
  let c: TestCluster;
  let client: OpenAI;
  const wav = pcmWav(2.5);
  const file = () => toFile(wav, 'tone.wav', { type: 'audio/wav' });

  beforeAll(async () => {
    c = await startTestCluster();
    client = new OpenAI({ baseURL: `${c.url}/v1`, apiKey: 'x', maxRetries: 0 });
  });
  afterAll(async () => c?.close());

  it('answers json and text with the same transcript', async () => {
    const json = await client.audio.transcriptions.create({ file: await file(), model: MODEL });
    const text = await client.audio.transcriptions.create({
      file: await file(),
      model: MODEL,
      response_format: 'text',
    });
    expect(json.text.length).toBeGreaterThan(0);
    expect(String(text).trim()).toBe(json.text.trim());
  });

  it('answers verbose_json with the duration, segments and words', async () => {
    const v = await client.audio.transcriptions.create({
      file: await file(),
      model: MODEL,
      response_format: 'verbose_json',
      timestamp_granularities: ['word', 'segment'],
    });
    expect(v.duration).toBeCloseTo(2.5, 1);
    expect(v.segments?.length).toBeGreaterThan(0);
    expect(v.segments?.at(-1)?.end).toBeLessThanOrEqual(2.5 + 1e-6);
    expect(v.words?.every((w) => w.end >= w.start)).toBe(true);
  });

  it('answers srt and vtt as subtitle files a player reads', async () => {
    const srt = String(
      await client.audio.transcriptions.create({ file: await file(), model: MODEL, response_format: 'srt' }),
    );
    expect(srt).toMatch(/^1\r?\n\d{2}:\d{2}:\d{2},\d{3} --> \d{2}:\d{2}:\d{2},\d{3}\r?\n\S/);
    const vtt = String(
      await client.audio.transcriptions.create({ file: await file(), model: MODEL, response_format: 'vtt' }),
    );
    expect(vtt).toMatch(/^WEBVTT\r?\n\r?\n/);
    expect(vtt).toMatch(/\d{2}:\d{2}:\d{2}\.\d{3} --> \d{2}:\d{2}:\d{2}\.\d{3}/);
  });

  it('works through the Vercel AI SDK transcription model', async () => {
    const provider = createOpenAI({ baseURL: `${c.url}/v1`, apiKey: 'x' });
    const result = await transcribe({ model: provider.transcription(MODEL), audio: wav, maxRetries: 0 });
    expect(result.text.length).toBeGreaterThan(0);
    // The SDK reads verbose_json's duration when the server gives it; a number or absent, never NaN.
    if (result.durationInSeconds !== undefined) expect(result.durationInSeconds).toBeCloseTo(2.5, 1);
  });
});
