import { describe, expect, it } from 'vitest';
import {
  connect,
  eventually,
  formData,
  refused,
  runOk,
  startTestCluster,
  twoNodeCluster,
} from './testing.js';
import { pcm16Wav } from './wav.js';

const cluster = twoNodeCluster({ speed: 0.02 });
const parakeet = (path: string): string => `${cluster.tc.sim.speech.parakeet.url}${path}`;

/** `seconds` of a 220 Hz tone (or of digital silence) as a 16 kHz PCM16 WAV. */
const wavBlob = (seconds: number, rate = 16000, silent = false): Blob => {
  const samples = Int16Array.from({ length: rate * seconds }, (_, i) =>
    silent ? 0 : Math.round(3000 * Math.sin((2 * Math.PI * 220 * i) / rate)),
  );
  return new Blob([new Uint8Array(pcm16Wav(samples, rate))], { type: 'audio/wav' });
};
const transcribe = (fields: Record<string, string | Blob>): Promise<Response> =>
  fetch(parakeet('/v1/audio/transcriptions'), { method: 'POST', body: formData(fields) });

describe('fake Parakeet', () => {
  it('runs in parakeet-asr on the second node and reports its models on /health', async () => {
    expect(cluster.tc.sim.speech.parakeet).toMatchObject({ node: 'spark2', container: 'parakeet-asr' });
    const res = await fetch(parakeet('/health'));
    expect(await res.json()).toEqual({
      status: 'ok',
      models: {
        asr: 'nvidia/parakeet-tdt-0.6b-v2',
        diarization: 'nvidia/diar_sortformer_4spk-v1',
        embedding: 'nvidia/speakerverification_en_titanet_large',
      },
    });
  });

  it('transcribes a WAV as json, text and verbose_json with words timed within the duration', async () => {
    const audio = wavBlob(4);
    const json = await (await transcribe({ file: audio, model: 'parakeet' })).json();
    expect(Object.keys(json)).toEqual(['text']);
    expect(json.text.split(' ').length).toBe(10); // ~2.5 words per second
    const text = await transcribe({ file: audio, response_format: 'text' });
    expect(text.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await text.text()).toBe(json.text); // deterministic for the same audio

    const verbose = await (
      await transcribe({ file: audio, response_format: 'verbose_json', language: 'en' })
    ).json();
    expect(verbose).toMatchObject({ task: 'transcribe', language: 'english', duration: 4, text: json.text });
    expect(verbose.words).toHaveLength(10);
    for (const w of verbose.words) {
      expect(w.word).not.toMatch(/^\s/); // no leading spaces, like the Spark-hosted build
      expect(w.start).toBeGreaterThanOrEqual(0);
      expect(w.end).toBeGreaterThan(w.start);
      expect(w.end).toBeLessThanOrEqual(4);
    }
    expect(verbose.segments[0]).toMatchObject({
      id: 0,
      seek: 0,
      temperature: 0,
      text: expect.stringMatching(/^ /),
    });
    expect(Object.keys(verbose.segments[0])).toEqual([
      'id',
      'seek',
      'start',
      'end',
      'text',
      'tokens',
      'temperature',
      'avg_logprob',
      'compression_ratio',
      'no_speech_prob',
    ]);
    const words = await (
      await transcribe({ file: audio, response_format: 'verbose_json', 'timestamp_granularities[]': 'word' })
    ).json();
    expect(words.words).toHaveLength(10);
    expect(words.segments).toBeUndefined();
  });

  it('hears nothing in silence, estimates compressed uploads and refuses bad input', async () => {
    expect(await (await transcribe({ file: wavBlob(1, 16000, true) })).json()).toEqual({ text: '' });
    const mp3 = new Blob([Buffer.concat([Buffer.from('ID3'), Buffer.alloc(64_000 - 3)])]);
    const est = await (await transcribe({ file: mp3, response_format: 'verbose_json' })).json();
    expect(est.duration).toBeCloseTo(4, 1); // 64 kB at 128 kbit/s
    const junk = await transcribe({ file: new Blob([Buffer.from('definitely not audio')]) });
    expect(junk.status).toBe(400);
    expect((await junk.json()).detail).toContain('Format not recognised');
    const missing = await fetch(parakeet('/v1/audio/transcriptions'), { method: 'POST', body: '{}' });
    expect(missing.status).toBe(422);
    expect((await missing.json()).detail[0]).toMatchObject({ loc: ['body', 'file'], msg: 'Field required' });
  });

  it('wedges with CUBLAS until docker restart parakeet-asr, /health staying 200', async () => {
    cluster.tc.sim.faults.parakeetWedge(true);
    const failed = await transcribe({ file: wavBlob(1) });
    expect(failed.status).toBe(500);
    expect(await failed.text()).toContain('CUBLAS_STATUS_EXECUTION_FAILED');
    expect((await fetch(parakeet('/health'))).status).toBe(200);
    expect((await transcribe({ file: wavBlob(1) })).status).toBe(500);

    expect(await runOk(cluster.second, 'docker restart parakeet-asr')).toBe('parakeet-asr\n');
    await eventually(async () => (await transcribe({ file: wavBlob(1) }).catch(() => null))?.status === 200);
    const logs = await runOk(cluster.second, 'docker logs parakeet-asr 2>&1');
    expect(logs).toContain('CUBLAS_STATUS_EXECUTION_FAILED');
    expect(logs).toContain('"POST /v1/audio/transcriptions HTTP/1.1" 200 OK');
  });

  it('refuses connections while its container is stopped', async () => {
    await runOk(cluster.second, 'docker stop parakeet-asr');
    expect(await refused(parakeet('/health'))).toBe(true);
    expect(
      await runOk(cluster.second, 'nvidia-smi --query-compute-apps=process_name --format=csv,noheader'),
    ).not.toContain('python3');
    await runOk(cluster.second, 'docker start parakeet-asr');
    await eventually(async () => (await fetch(parakeet('/health')).catch(() => null))?.status === 200);
  });

  it('comes back when docker run recreates parakeet-asr from its image', async () => {
    await runOk(cluster.second, 'docker rm -f parakeet-asr');
    expect(await refused(parakeet('/health'))).toBe(true);
    await runOk(cluster.second, 'docker run -d --name parakeet-asr --gpus all -p 8000:8000 parakeet-asr');
    await eventually(async () => (await fetch(parakeet('/health')).catch(() => null))?.status === 200);
    const apps = await runOk(
      cluster.second,
      'nvidia-smi --query-compute-apps=process_name --format=csv,noheader',
    );
    expect(apps).toContain('python3');
  });
});

describe('a one-node cluster', () => {
  it('runs the speech containers on the only node', async () => {
    const solo = await startTestCluster({ nodes: ['solo'], speed: 0.02 });
    try {
      expect(solo.sim.speech.parakeet).toMatchObject({ node: 'solo', container: 'parakeet-asr' });
      expect(solo.sim.speech.magpie).toMatchObject({ node: 'solo', container: 'magpie-tts' });
      expect((await fetch(`${solo.sim.speech.parakeet.url}/health`)).status).toBe(200);
      const { client } = await connect(solo.sim.nodes[0]!, solo.privateKey);
      const apps = await runOk(client, 'nvidia-smi --query-compute-apps=process_name --format=csv,noheader');
      client.end();
      expect(apps.split('\n').filter(Boolean).sort()).toEqual([
        'VLLM::EngineCore',
        'python3',
        'tritonserver',
      ]);
    } finally {
      await solo.dispose();
    }
  });
});
