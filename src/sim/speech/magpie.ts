// The fake Magpie TTS Multilingual NIM in the `magpie-tts` container: NVIDIA's HTTP API, i.e.
// multipart /v1/audio/synthesize returning a real WAV (PCM16 mono at sample_rate_hz), the voice
// catalog at /v1/audio/list_voices and /v1/health/ready. A JSON body carries no form fields, so
// the NIM sees no text: 400 "Bad Request, empty text input", as the real one answers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sleep } from '../fsutil.js';
import { accessLine, type HttpHandler, readBody, sendJson } from '../http-listener.js';
import { multipartBoundary, parseMultipart } from '../multipart.js';
import { pcm16Wav, speechLikeSamples } from '../wav.js';
import { fnv1a } from './transcript.js';
import { defaultVoice, listVoices, MAGPIE_VOICES, servedLocale } from './voices.js';

export const MAGPIE_DEFAULT_RATE = 22050;
const MAX_BODY = 4 * 1024 * 1024;

export interface MagpieDeps {
  speed: number;
  /** The magpieFail fault: synthesis answers 500. */
  failing(): boolean;
  /** False while the NIM is still loading after a (re)start: readiness and synthesis answer 503. */
  ready(): boolean;
  /** Remembers what the PCM bytes say, so the simulated Parakeet can "hear" it (speech loopback). */
  remember(pcm: Buffer, text: string): void;
  log(lines: string[]): void;
}

type Reply = { status: number; body: unknown } | { status: 200; wav: Buffer };

const error = (status: number, message: string): Reply => ({ status, body: { error: message } });

export function magpieHandler(d: MagpieDeps): HttpHandler {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const r = await route(d, req, path);
    if ('wav' in r) {
      res.writeHead(200, { 'content-type': 'audio/wav', 'content-length': r.wav.length }).end(r.wav);
    } else sendJson(res, r.status, r.body);
    d.log([accessLine(req, path, r.status, res.statusMessage)]);
  };
}

async function route(d: MagpieDeps, req: IncomingMessage, path: string): Promise<Reply> {
  const get = req.method === 'GET';
  const notReady = error(503, 'Service Unavailable: the NIM is still initializing');
  switch (path) {
    case '/v1/health/live':
      return get ? { status: 200, body: { status: 'live' } } : error(405, 'Method Not Allowed');
    case '/v1/health/ready':
      if (!get) return error(405, 'Method Not Allowed');
      return d.ready()
        ? { status: 200, body: { status: 'ready' } }
        : { status: 503, body: { status: 'not ready' } };
    case '/v1/audio/list_voices':
      if (!get) return error(405, 'Method Not Allowed');
      return d.ready() ? { status: 200, body: listVoices() } : notReady;
    case '/v1/audio/synthesize':
      if (req.method !== 'POST') return error(405, 'Method Not Allowed');
      return d.ready() ? synthesize(d, req) : notReady;
    default:
      return error(404, 'Not Found');
  }
}

async function synthesize(d: MagpieDeps, req: IncomingMessage): Promise<Reply> {
  const raw = await readBody(req, MAX_BODY);
  if (raw === undefined) return error(413, 'Request Entity Too Large');
  const boundary = multipartBoundary(req.headers['content-type']);
  const form = boundary ? parseMultipart(raw, boundary) : null;
  const text = form?.get('text') ?? '';
  if (!form || text.trim() === '') return error(400, 'Bad Request, empty text input');

  const language = form.get('language') || 'en-US';
  const locale = servedLocale(language);
  if (!locale) {
    return error(
      400,
      `Unavailable model requested given these parameters: language_code=${language}; type=offline;`,
    );
  }
  const voice = form.get('voice') || defaultVoice(locale);
  if (!MAGPIE_VOICES.includes(voice)) {
    return error(
      400,
      `Unavailable model requested given these parameters: language_code=${language}; type=offline; voice_name=${voice}`,
    );
  }
  const encoding = form.get('encoding') || 'LINEAR_PCM';
  if (encoding !== 'LINEAR_PCM') {
    return error(
      400,
      `Unsupported encoding '${encoding}': /v1/audio/synthesize returns LINEAR_PCM (WAV) only`,
    );
  }
  const rateField = form.get('sample_rate_hz');
  const rate = rateField ? Number(rateField) : MAGPIE_DEFAULT_RATE;
  if (!Number.isInteger(rate) || rate < 8000 || rate > 48000) {
    return error(400, `Invalid sample_rate_hz '${rateField ?? ''}': expected an integer from 8000 to 48000`);
  }

  await sleep((40 + text.length * 3) * d.speed);
  if (d.failing()) {
    d.log(['ERROR: Inference failed for model magpie_tts_multilingual: cudaErrorUnknown: unknown error']);
    return error(500, 'Internal Server Error: inference failed (cudaErrorUnknown: unknown error)');
  }
  const samples = speechLikeSamples(text, rate, 140 + (fnv1a(voice) % 120));
  const wav = pcm16Wav(samples, rate);
  d.remember(wav.subarray(44), text);
  return { status: 200, wav };
}
