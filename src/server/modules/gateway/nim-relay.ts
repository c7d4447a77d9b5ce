// One transcription through an NVIDIA ASR NIM: the upload is parsed (undici's multipart reader),
// re-sent with the fields the NIM understands (file, language, response_format=json — a client's
// `model` such as whisper-1 would name a NIM-internal model and fail), and the answer is shaped
// into the client's format (nim-transcription.ts). Unlike the Parakeet app's relay, this answer is
// built here, so the 5xx hook and the 503 + Retry-After of SPEC §9 apply the same way.
import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { FormData, Response } from 'undici';
import { AppError } from '../../platform/http/errors.js';
import { nimErrorText, nimLanguage, shapeNimAnswer, transcriptionFormat } from './nim-transcription.js';
import type { Upstream } from './proxy.js';
import type { ReceivedUpload } from './upload.js';

export interface NimRelayDeps {
  upstream: Upstream;
  /** A 5xx from the NIM (not its 503 while loading): the app probes the service. */
  onFailure(): void;
  unavailable(what: string): AppError;
}

async function bytesOf(body: Buffer | Readable): Promise<Buffer> {
  if (Buffer.isBuffer(body)) return body;
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const field = (form: FormData, name: string): string | undefined => {
  const v = form.get(name);
  return typeof v === 'string' ? v : undefined;
};

export async function transcribeWithNim(
  reply: FastifyReply,
  up: ReceivedUpload,
  base: string,
  d: NimRelayDeps,
): Promise<void> {
  let form: FormData;
  try {
    const body = await bytesOf(up.body());
    form = await new Response(new Uint8Array(body), {
      headers: { 'content-type': up.contentType },
    }).formData();
  } catch {
    throw new AppError('BAD_REQUEST', 'The request body is not valid multipart/form-data.', {
      details: { param: null },
    });
  }
  const file = form.get('file');
  if (file === null || typeof file === 'string')
    throw new AppError(
      'BAD_REQUEST',
      'The request has no `file`: send the audio as the multipart field `file`.',
      {
        details: { param: 'file' },
      },
    );
  const format = transcriptionFormat(field(form, 'response_format'));
  const language = nimLanguage(field(form, 'language'));
  const granularities = [
    ...form.getAll('timestamp_granularities[]'),
    ...form.getAll('timestamp_granularities'),
  ]
    .filter((g): g is string => typeof g === 'string')
    .map((g) => g.trim());

  const out = new FormData();
  out.append('file', file, file.name || 'audio.wav');
  out.append('language', language);
  out.append('response_format', 'json');
  const res = await d.upstream.post(`${base}/v1/audio/transcriptions`, out, { service: 'parakeet' });
  if (res.status === 503) throw d.unavailable('Speech recognition');
  if (res.status >= 500) {
    d.onFailure();
    throw d.unavailable('Speech recognition');
  }
  if (res.status !== 200) {
    const code = res.status === 413 ? 'PAYLOAD_TOO_LARGE' : res.status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST';
    throw new AppError(
      code,
      `Speech recognition (NVIDIA ASR NIM) refused the request: ${nimErrorText(res.body)}`,
      {
        details: { param: null },
      },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(res.body.toString('utf8'));
  } catch {
    throw new AppError(
      'UPSTREAM_ERROR',
      'Speech recognition (NVIDIA ASR NIM) answered something that is not JSON.',
    );
  }
  const shaped = shapeNimAnswer(format, json, {
    language,
    granularities,
    what: 'this speech service (an NVIDIA ASR NIM)',
  });
  if (shaped.kind === 'json') await reply.send(shaped.body);
  else await reply.type(shaped.contentType).send(shaped.text);
}
