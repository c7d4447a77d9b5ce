import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pcm16Wav } from '../wav.js';
import { meetingScript, writeMeetingWav } from './meeting-audio.js';
import { parakeetHandler } from './parakeet.js';
import { cutWav } from './wav-cut.js';

let server: Server;
let url = '';
let wedged = false;
const logged: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'sim-diar-'));

beforeAll(async () => {
  const handler = parakeetHandler({
    speed: 0,
    wedged: () => wedged,
    heard: () => undefined,
    log: (lines) => logged.push(...lines),
  });
  server = createServer((req, res) => void handler(req, res)); // the handler answers every request itself
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const post = (path: string, file: Buffer | null, name = 'a.wav', extra: Record<string, string> = {}) => {
  const fd = new FormData();
  if (file) fd.append('file', new Blob([new Uint8Array(file)]), name);
  for (const [k, v] of Object.entries(extra)) fd.append(k, v);
  return fetch(`${url}${path}`, { method: 'POST', body: fd });
};

describe('fake Parakeet diarizer routes', () => {
  it('answers /v1/audio/diarize and -chunk in the overlay shapes, from the audio', async () => {
    const path = join(dir, 'm.wav');
    const tl = await writeMeetingWav(path, meetingScript(2, 3).slice(0, 4));
    const wav = await cutWav(path, 0, Math.round(tl.duration_s * 16000));
    const plain = await (await post('/v1/audio/diarize', wav)).json();
    expect(Object.keys(plain)).toEqual(['duration', 'segments', 'speakers_detected', 'models']);
    expect(plain.models).toEqual({ diarization: 'nvidia/diar_sortformer_4spk-v1' });
    expect(plain.speakers_detected).toEqual(['Speaker_0', 'Speaker_1']);
    expect(plain.segments.map((s: { speaker: string }) => s.speaker)).toEqual(
      tl.turns.map((t) => `Speaker_${t.speaker}`),
    );
    expect(Object.keys(plain.segments[0])).toEqual(['start_s', 'end_s', 'speaker', 'confidence']);
    const chunk = await (await post('/v1/audio/diarize-chunk', wav)).json();
    expect(Object.keys(chunk)).toEqual([
      'duration',
      'segments',
      'speakers_detected',
      'models',
      'fingerprints',
    ]);
    expect(chunk.models).toEqual({
      diarization: 'nvidia/diar_sortformer_4spk-v1',
      embedding: 'nvidia/speakerverification_en_titanet_large',
    });
    expect(Object.keys(chunk.fingerprints)).toEqual(['Speaker_0', 'Speaker_1']);
    expect(chunk.fingerprints.Speaker_0).toHaveLength(192);

    const words = await (
      await post('/v1/audio/transcriptions', wav, 'a.wav', { response_format: 'verbose_json' })
    ).json();
    expect(words.text).toBe(tl.words.map((w) => w.word).join(' '));
    const srt = await (
      await post('/v1/audio/transcriptions', wav, 'a.wav', { response_format: 'srt' })
    ).text();
    expect(srt).toContain(tl.words[0]?.word);
  });

  it('hears nobody in silence and one speaker in a plain tone', async () => {
    const silence = pcm16Wav(new Int16Array(16000), 16000);
    const none = await (await post('/v1/audio/diarize-chunk', silence)).json();
    expect(none).toMatchObject({ duration: 1, segments: [], speakers_detected: [], fingerprints: {} });
    const tone = pcm16Wav(
      Int16Array.from({ length: 32000 }, (_, i) =>
        Math.round(3000 * Math.sin((2 * Math.PI * 220 * i) / 16000)),
      ),
      16000,
    );
    const one = await (await post('/v1/audio/diarize-chunk', tone)).json();
    expect(one.speakers_detected).toEqual(['Speaker_0']);
    expect(one.segments).toEqual([{ start_s: 0, end_s: 2, speaker: 'Speaker_0', confidence: 0.9 }]);
    // The tone is no meeting: transcription keeps the passage it always gave such audio.
    const text = await (await post('/v1/audio/transcriptions', tone)).json();
    expect(text.text.split(' ')).toHaveLength(5);
  });

  it("refuses what FastAPI and the overlay's audio_input refuse", async () => {
    const missing = await post('/v1/audio/diarize', null, 'x', { model: 'x' });
    expect(missing.status).toBe(422);
    expect((await missing.json()).detail[0]).toMatchObject({ loc: ['body', 'file'], msg: 'Field required' });
    const empty = await post('/v1/audio/diarize-chunk', Buffer.alloc(0));
    expect([empty.status, await empty.json()]).toEqual([400, { detail: 'empty audio file' }]);
    const junk = await post('/v1/audio/diarize-chunk', Buffer.from('not audio at all'), 'notes.txt');
    expect(junk.status).toBe(400);
    expect((await junk.json()).detail).toBe(
      "Could not read audio file 'notes.txt': notes.txt: Invalid data found when processing input",
    );
    const riff = await post('/v1/audio/diarize', Buffer.from('RIFF\0\0\0\0WAVEfmt '), 'cut.wav');
    expect([riff.status, (await riff.json()).detail]).toEqual([
      400,
      "Could not read audio file 'cut.wav': no fmt chunk",
    ]);
    expect((await fetch(`${url}/v1/audio/diarize`)).status).toBe(405);
  });

  it('fails like a wedged GPU while the wedge fault is on', async () => {
    wedged = true;
    try {
      const wav = pcm16Wav(new Int16Array(8000), 16000);
      for (const path of ['/v1/audio/diarize', '/v1/audio/diarize-chunk']) {
        const res = await post(path, wav);
        expect(res.status).toBe(500);
        expect((await res.json()).detail).toMatch(
          /^Diarization failed: RuntimeError: CUDA error: CUBLAS_STATUS_EXECUTION_FAILED/,
        );
      }
      expect(logged.join('\n')).toContain('CUBLAS_STATUS_EXECUTION_FAILED');
    } finally {
      wedged = false;
    }
  });
});
