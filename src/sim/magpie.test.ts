import { describe, expect, it } from 'vitest';
import { MAGPIE_LOCALES } from './speech/voices.js';
import { eventually, formData, refused, runOk, twoNodeCluster } from './testing.js';
import { parseWav } from './wav.js';

const cluster = twoNodeCluster({ speed: 0.02 });
const magpie = (path: string): string => `${cluster.tc.sim.speech.magpie.url}${path}`;
const synthesize = (fields: Record<string, string>): Promise<Response> =>
  fetch(magpie('/v1/audio/synthesize'), { method: 'POST', body: formData(fields) });
const transcribe = (fields: Record<string, string | Blob>): Promise<Response> =>
  fetch(`${cluster.tc.sim.speech.parakeet.url}/v1/audio/transcriptions`, {
    method: 'POST',
    body: formData(fields),
  });

describe('fake Magpie', () => {
  it('lists 60+ voices under one comma-joined locale key and is ready', async () => {
    expect(await (await fetch(magpie('/v1/health/ready'))).json()).toEqual({ status: 'ready' });
    const body = await (await fetch(magpie('/v1/audio/list_voices'))).json();
    expect(Object.keys(body)).toEqual([MAGPIE_LOCALES.join(',')]);
    expect(Object.keys(body)[0]).toBe('en-US,es-US,fr-FR,de-DE,zh-CN,vi-VN,it-IT,hi-IN,ja-JP');
    const voices: string[] = Object.values<{ voices: string[] }>(body)[0]!.voices;
    expect(voices.length).toBeGreaterThanOrEqual(60);
    expect(voices).toContain('Magpie-Multilingual.EN-US.Aria');
    expect(voices).toContain('Magpie-Multilingual.EN-US.Aria.Calm');
    for (const v of voices)
      expect(v).toMatch(/^Magpie-Multilingual\.[A-Z]{2}-[A-Z]{2}\.[A-Za-z]+(\.[A-Za-z]+)?$/);
  });

  it('synthesizes a real PCM16 mono WAV whose length follows the text', async () => {
    const short = await synthesize({
      text: 'Hi there.',
      language: 'en-US',
      voice: 'Magpie-Multilingual.EN-US.Aria',
    });
    expect(short.status).toBe(200);
    expect(short.headers.get('content-type')).toBe('audio/wav');
    const a = Buffer.from(await short.arrayBuffer());
    const wa = parseWav(a);
    if (typeof wa === 'string') throw new Error(wa);
    expect(a.toString('ascii', 0, 4)).toBe('RIFF');
    expect(a.readUInt32LE(4)).toBe(a.length - 8);
    expect(wa).toMatchObject({ format: 1, channels: 1, sampleRate: 22050, bitsPerSample: 16 });
    expect(wa.duration).toBeCloseTo(9 * 0.07, 2);
    expect(wa.data.some((b) => b !== 0)).toBe(true);

    const long = await synthesize({
      text: 'A much longer sentence, spoken slowly by the simulated voice.',
      voice: 'Magpie-Multilingual.DE-DE.Leo.Calm',
      language: 'de-DE',
      sample_rate_hz: '16000',
      encoding: 'LINEAR_PCM',
    });
    const wb = parseWav(Buffer.from(await long.arrayBuffer()));
    if (typeof wb === 'string') throw new Error(wb);
    expect(wb.sampleRate).toBe(16000);
    expect(wb.data.length).toBeGreaterThan(wa.data.length);
  });

  it('answers 400 like the NIM: JSON body, unknown voice or language', async () => {
    const json = await fetch(magpie('/v1/audio/synthesize'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'hello', voice: 'Magpie-Multilingual.EN-US.Aria' }),
    });
    expect(json.status).toBe(400);
    expect(await json.text()).toContain('Bad Request, empty text input');
    const voice = await synthesize({ text: 'hello', voice: 'Magpie-Multilingual.EN-US.Nobody' });
    expect(voice.status).toBe(400);
    expect((await voice.json()).error).toContain('voice_name=Magpie-Multilingual.EN-US.Nobody');
    const lang = await synthesize({ text: 'hello', language: 'xx-XX' });
    expect((await lang.json()).error).toContain('Unavailable model requested');
  });

  it('answers 500 while magpieFail is on (set over the control API)', async () => {
    const set = (on: boolean): Promise<Response> =>
      fetch(`${cluster.tc.sim.controlUrl}/speech/magpie/fail`, {
        method: 'POST',
        body: JSON.stringify({ on }),
      });
    expect((await set(true)).status).toBe(200);
    expect((await synthesize({ text: 'hello' })).status).toBe(500);
    expect((await fetch(magpie('/v1/health/ready'))).status).toBe(200);
    await set(false);
    expect((await synthesize({ text: 'hello' })).status).toBe(200);
  });

  it('speaks what Parakeet then hears (the speech loopback)', async () => {
    const phrase = 'The quick brown fox jumps over the lazy dog.';
    const wav = await (await synthesize({ text: phrase })).blob();
    expect(await (await transcribe({ file: wav })).json()).toEqual({ text: phrase });
  });

  it('stops with its container: connection refused, then not ready until loaded again', async () => {
    await runOk(cluster.second, 'docker stop magpie-tts');
    expect(await refused(magpie('/v1/health/ready'))).toBe(true);
    await runOk(cluster.second, 'docker start magpie-tts');
    const first = await fetch(magpie('/v1/health/ready'));
    expect([200, 503]).toContain(first.status);
    await eventually(async () => (await fetch(magpie('/v1/health/ready'))).status === 200);
    const smi = await runOk(
      cluster.second,
      'nvidia-smi --query-compute-apps=process_name --format=csv,noheader',
    );
    expect(smi).toContain('tritonserver');
  });
});
