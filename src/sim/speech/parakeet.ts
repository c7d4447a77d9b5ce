// The fake Parakeet: the seed's FastAPI app around NeMo Parakeet (not NVIDIA's ASR NIM), as it runs
// in the `parakeet-asr` container. OpenAI-style /v1/audio/transcriptions (json, text, verbose_json
// with words and segments, srt, vtt), the overlay's /v1/audio/diarize and /v1/audio/diarize-chunk
// (parakeet-diarize.ts) and /health listing the loaded models. Simulated meeting audio
// (meeting-audio.ts) is transcribed from its samples. The duration comes
// from the upload's WAV header; compressed uploads (the app decodes them with ffmpeg) are
// estimated from their size; anything else is refused with 400 as soundfile refuses it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sleep } from '../fsutil.js';
import { accessLine, type HttpHandler, readBody, sendJson } from '../http-listener.js';
import { multipartBoundary, parseMultipart } from '../multipart.js';
import { estimateCompressed, isSilent, parseWav } from '../wav.js';
import { hearWav } from './hear.js';
import { diarizeUpload } from './parakeet-diarize.js';
import { CUBLAS_ERROR, PARAKEET_MODELS } from './parakeet-facts.js';
import { fnv1a, languageName, recognise, recogniseHeard, type Segment } from './transcript.js';

export { CUBLAS_ERROR, PARAKEET_MODELS } from './parakeet-facts.js';

const MAX_UPLOAD = 200 * 1024 * 1024;
const FORMATS = ['json', 'text', 'verbose_json', 'srt', 'vtt'];

export interface ParakeetDeps {
  speed: number;
  /** The CUDA-wedge fault: every transcription fails until the container restarts. */
  wedged(): boolean;
  /** The text of audio the simulated Magpie synthesised (keyed by its PCM bytes), if any. */
  heard(pcm: Buffer): string | undefined;
  /** Lines for the container's stdout (`docker logs parakeet-asr`). */
  log(lines: string[]): void;
}

type Reply = { status: number; body: unknown; text?: string; type?: string };

const detail = (status: number, message: unknown): Reply => ({ status, body: { detail: message } });

/** FastAPI's 422 when a required form field is absent. */
const missingFile = (): Reply =>
  detail(422, [{ type: 'missing', loc: ['body', 'file'], msg: 'Field required', input: null }]);

export function parakeetHandler(d: ParakeetDeps): HttpHandler {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const r = await route(d, req, path);
    if (r.text !== undefined) {
      res.writeHead(r.status, { 'content-type': r.type ?? 'text/plain; charset=utf-8' }).end(r.text);
    } else sendJson(res, r.status, r.body);
    d.log([accessLine(req, path, r.status, res.statusMessage)]);
  };
}

async function route(d: ParakeetDeps, req: IncomingMessage, path: string): Promise<Reply> {
  if (path === '/health') {
    return req.method === 'GET'
      ? { status: 200, body: { status: 'ok', models: PARAKEET_MODELS } }
      : detail(405, 'Method Not Allowed');
  }
  const diarize = path === '/v1/audio/diarize' || path === '/v1/audio/diarize-chunk';
  if (path !== '/v1/audio/transcriptions' && !diarize) return detail(404, 'Not Found');
  if (req.method !== 'POST') return detail(405, 'Method Not Allowed');

  const boundary = multipartBoundary(req.headers['content-type']);
  const raw = await readBody(req, MAX_UPLOAD);
  if (raw === undefined) return detail(413, `File too large (max ${MAX_UPLOAD / 1024 / 1024} MB)`);
  const form = boundary ? parseMultipart(raw, boundary) : null;
  if (boundary && !form) return detail(400, 'There was an error parsing the body');
  const file = form?.file('file');
  if (!form || !file) return missingFile();
  if (diarize) return diarizeUpload(d, file, path.endsWith('-chunk'));

  const format = form.get('response_format') ?? 'json';
  if (!FORMATS.includes(format)) {
    return detail(400, `Unsupported response_format '${format}'. Use one of: ${FORMATS.join(', ')}.`);
  }
  const wav = parseWav(file.data);
  const compressed = typeof wav === 'string' ? estimateCompressed(file.data) : null;
  if (typeof wav === 'string' && !compressed) {
    return detail(400, `Could not read audio file '${file.filename ?? 'file'}': Format not recognised.`);
  }
  const duration = typeof wav === 'string' ? (compressed?.duration ?? 0) : wav.duration;
  await sleep((80 + duration * 15) * d.speed);
  if (d.wedged()) {
    d.log([`[NeMo E] Transcription failed: RuntimeError: ${CUBLAS_ERROR}`]);
    return detail(500, `Transcription failed: RuntimeError: ${CUBLAS_ERROR}`);
  }

  const pcm = typeof wav === 'string' ? file.data : wav.data;
  const silent = typeof wav !== 'string' && isSilent(wav);
  const seed = fnv1a(pcm.subarray(0, 4096)) + pcm.length;
  const known = d.heard(pcm);
  // Simulated meeting audio says its own words; anything else gets the passage (or silence).
  const meeting = known === undefined && typeof wav !== 'string' ? await hearWav(wav) : null;
  const { text, words, segments } =
    meeting && meeting.words.length > 0
      ? recogniseHeard(meeting.words)
      : recognise(duration, seed, known, silent);
  const round = Math.round(duration * 1000) / 1000;
  switch (format) {
    case 'text':
      return { status: 200, body: null, text };
    case 'srt':
    case 'vtt':
      return { status: 200, body: null, text: subtitles(segments, format) };
    case 'verbose_json': {
      const wanted = [...form.getAll('timestamp_granularities[]'), ...form.getAll('timestamp_granularities')];
      // Without timestamp_granularities the seed's app returns both words and segments.
      const all = wanted.length === 0;
      return {
        status: 200,
        body: {
          task: 'transcribe',
          language: languageName(form.get('language')),
          duration: round,
          text,
          ...(all || wanted.includes('word') ? { words } : {}),
          ...(all || wanted.includes('segment') ? { segments } : {}),
        },
      };
    }
    default:
      return { status: 200, body: { text } };
  }
}

function subtitles(segments: Segment[], format: 'srt' | 'vtt'): string {
  const stamp = (s: number): string => {
    const ms = Math.round(s * 1000);
    const hh = String(Math.floor(ms / 3_600_000)).padStart(2, '0');
    const mm = String(Math.floor(ms / 60_000) % 60).padStart(2, '0');
    const ss = String(Math.floor(ms / 1000) % 60).padStart(2, '0');
    return `${hh}:${mm}:${ss}${format === 'srt' ? ',' : '.'}${String(ms % 1000).padStart(3, '0')}`;
  };
  const cues = segments.map(
    (s, i) =>
      `${format === 'srt' ? `${i + 1}\n` : ''}${stamp(s.start)} --> ${stamp(s.end)}\n${s.text.trim()}\n`,
  );
  return format === 'srt' ? cues.join('\n') : `WEBVTT\n\n${cues.join('\n')}`;
}
