// The fake NVIDIA ASR NIM (Parakeet 1.1B CTC en-US) HTTP API, as NVIDIA documents it: port 9000
// (NIM_HTTP_API_PORT), `GET /v1/health/ready`, `GET /v1/models`, and multipart
// `POST /v1/audio/transcriptions` with `file`, `language` (BCP-47, required unless `model` is
// given), `model`, `response_format` = json (`{"text"}`) | text only — word timestamps are gRPC-only
// there, so nothing else is offered. Errors are JSON `{"error": "…"}` like the Magpie NIM's.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sleep } from '../fsutil.js';
import { accessLine, type HttpHandler, readBody, sendJson } from '../http-listener.js';
import { multipartBoundary, parseMultipart } from '../multipart.js';
import { estimateCompressed, isSilent, parseWav } from '../wav.js';
import { CUBLAS_ERROR } from './parakeet-facts.js';
import { fnv1a, recognise } from './transcript.js';

export const NIM_ASR_MODEL = 'parakeet-1-1b-ctc-en-us';
/** The locales the en-US CTC model serves. */
const LANGUAGES = ['en-US'];
const FORMATS = ['json', 'text'];
const MAX_UPLOAD = 200 * 1024 * 1024;

export interface NimAsrDeps {
  speed: number;
  /** False while the NIM is still loading after a (re)start: readiness and inference answer 503. */
  ready(): boolean;
  /** The CUDA-wedge fault: every transcription fails until the container restarts. */
  wedged(): boolean;
  heard(pcm: Buffer): string | undefined;
  log(lines: string[]): void;
}

type Reply = { status: number; body: unknown; text?: string };

const error = (status: number, message: string): Reply => ({ status, body: { error: message } });

export function nimAsrHandler(d: NimAsrDeps): HttpHandler {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const r = await route(d, req, path);
    if (r.text !== undefined)
      res.writeHead(r.status, { 'content-type': 'text/plain; charset=utf-8' }).end(r.text);
    else sendJson(res, r.status, r.body);
    d.log([accessLine(req, path, r.status, res.statusMessage)]);
  };
}

async function route(d: NimAsrDeps, req: IncomingMessage, path: string): Promise<Reply> {
  if (path === '/v1/health/live') return { status: 200, body: { status: 'live' } };
  if (path === '/v1/health/ready') {
    return d.ready()
      ? { status: 200, body: { status: 'ready' } }
      : { status: 503, body: { status: 'not ready' } };
  }
  if (path === '/v1/models') {
    return {
      status: 200,
      body: {
        object: 'list',
        data: [{ id: NIM_ASR_MODEL, object: 'model', created: 0, owned_by: 'nvidia' }],
      },
    };
  }
  if (path !== '/v1/audio/transcriptions') return error(404, 'Not Found');
  if (req.method !== 'POST') return error(405, 'Method Not Allowed');
  if (!d.ready()) return error(503, 'Service is not ready yet: the model is still loading');

  const boundary = multipartBoundary(req.headers['content-type']);
  const raw = await readBody(req, MAX_UPLOAD);
  if (raw === undefined) return error(413, 'Request body too large');
  const form = boundary ? parseMultipart(raw, boundary) : null;
  const file = form?.file('file');
  if (!form || !file) return error(400, 'Bad Request, no audio file provided in field "file"');
  const language = form.get('language');
  const model = form.get('model');
  if (!language && !model) return error(400, 'Bad Request, either "language" or "model" must be provided');
  if (model && model !== NIM_ASR_MODEL) return error(400, `Unavailable model requested: model=${model}`);
  if (language && !LANGUAGES.includes(language))
    return error(
      400,
      `Unavailable model requested given these parameters: language_code=${language}; type=offline`,
    );
  const format = form.get('response_format') ?? 'json';
  if (!FORMATS.includes(format))
    return error(400, `Unsupported response_format '${format}'; supported: ${FORMATS.join(', ')}`);

  const wav = parseWav(file.data);
  const compressed = typeof wav === 'string' ? estimateCompressed(file.data) : null;
  if (typeof wav === 'string' && !compressed) return error(400, 'Bad Request, unsupported audio format');
  const duration = typeof wav === 'string' ? (compressed?.duration ?? 0) : wav.duration;
  await sleep((60 + duration * 10) * d.speed);
  if (d.wedged()) {
    d.log([`E riva-asr: inference failed: ${CUBLAS_ERROR}`]);
    return error(500, `Inference failed: ${CUBLAS_ERROR}`);
  }
  const pcm = typeof wav === 'string' ? file.data : wav.data;
  const silent = typeof wav !== 'string' && isSilent(wav);
  const seed = fnv1a(pcm.subarray(0, 4096)) + pcm.length;
  const { text } = recognise(duration, seed, d.heard(pcm), silent);
  return format === 'text' ? { status: 200, body: null, text } : { status: 200, body: { text } };
}
