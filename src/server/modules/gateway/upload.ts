// Multipart uploads (POST /v1/audio/transcriptions) are received whole before the upstream is
// called (platform/http/spool.ts): a client that sends slowly or stalls holds a slot of the
// upload gate and a spool, never an upstream connection. The bytes, boundary and all, go upstream
// unparsed with their Content-Type and the received length. A declared Content-Length over the
// limit is refused before reading; a body that grows past it is refused at the limit.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/http/errors.js';
import { resetSpoolDir, Spool, SpoolTooLarge } from '../../platform/http/spool.js';
import { INPUT_LIMITS, type InputLimits } from '../../platform/http/limits.js';
import { UploadGate } from '../../platform/http/upload-gate.js';
import { boundaryOf, scanMultipart } from './form-scan.js';

const streams = new WeakMap<FastifyRequest, Readable>();

export const uploadTooLarge = (limitMb: number): AppError =>
  new AppError(
    'PAYLOAD_TOO_LARGE',
    `The upload is larger than the gateway's limit of ${limitMb} MB (gateway.max_upload_mb).`,
    { headers: { connection: 'close' } },
  );

/** Lets multipart bodies through the scope's parsers untouched (the stream is read by the route). */
export function acceptMultipart(app: FastifyInstance): void {
  app.addContentTypeParser('multipart/form-data', (req, payload, done) => {
    streams.set(req, payload);
    done(null, undefined);
  });
}

export interface UploadPolicy {
  gate: UploadGate;
  /** Temp files go here (under the data directory). */
  spoolDir: string;
  /** Uploads up to this size stay in memory. */
  memoryBytes: number;
}

/** The app's upload policy: spool files in `DATA_DIR/uploads`, emptied at start-up. */
export function uploadPolicy(limits: InputLimits, dataDir: string): UploadPolicy {
  const spoolDir = join(dataDir, 'uploads');
  resetSpoolDir(spoolDir);
  return {
    gate: new UploadGate(limits.uploadsPerClient, limits.uploadsTotal),
    spoolDir,
    memoryBytes: limits.memorySpoolBytes,
  };
}

/** The production limits with a spool under the OS temp dir (the app passes one under DATA_DIR). */
export const defaultUploadPolicy = (): UploadPolicy => ({
  gate: new UploadGate(INPUT_LIMITS.uploadsPerClient, INPUT_LIMITS.uploadsTotal),
  spoolDir: join(tmpdir(), 'spark-control-uploads'),
  memoryBytes: INPUT_LIMITS.memorySpoolBytes,
});

export interface ReceivedUpload {
  /** The received bytes: the buffer, or a fresh stream over the spool file on each call. */
  body(): Buffer | Readable;
  contentType: string;
  contentLength: number;
}

/**
 * The request's whole multipart body. Takes an upload slot first (429 / 503), refuses a declared
 * length over the limit (413) before reading; the spool is removed when the response closes.
 */
export async function receiveUpload(
  req: FastifyRequest,
  reply: FastifyReply,
  o: UploadPolicy & { limitMb: number },
): Promise<ReceivedUpload> {
  const src = streams.get(req);
  const contentType = req.headers['content-type'];
  if (!src || !contentType) {
    throw new AppError('BAD_REQUEST', 'The request body must be multipart/form-data with a `file` field.');
  }
  const limitBytes = Math.round(o.limitMb * 1024 * 1024);
  const declared = req.headers['content-length'];
  if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > limitBytes)
    throw uploadTooLarge(o.limitMb);
  const release = o.gate.acquire(req.ip);
  const spool = new Spool({ dir: o.spoolDir, memoryBytes: o.memoryBytes, limitBytes });
  const res = reply.raw;
  const done = () => {
    release();
    // The response is already gone; a file we could not delete is logged (start-up empties the dir).
    spool.remove().catch((err: unknown) => req.log.warn({ err }, 'could not remove an upload spool file'));
  };
  if (res.destroyed) done();
  else res.once('close', done);
  try {
    await spool.receive(src);
  } catch (err) {
    if (!(err instanceof SpoolTooLarge)) throw err;
    // Discard the rest so the client can read its 413 (the connection is closed after it).
    src.resume();
    throw uploadTooLarge(o.limitMb);
  }
  return { body: () => spool.body(), contentType, contentLength: spool.size };
}

const badForm = (message: string, param: string | null = null) =>
  new AppError('BAD_REQUEST', message, { details: { param } });

/**
 * Checks a transcription upload before Parakeet sees it, so a client gets OpenAI's 400 instead of
 * FastAPI's 422 or an empty answer: the body must be multipart with a non-empty `file` part, and
 * `stream: true` is refused — Parakeet answers a whole transcript at once, and a client asking for
 * a stream would read an empty one.
 */
export async function checkTranscriptionForm(up: ReceivedUpload): Promise<void> {
  const boundary = boundaryOf(up.contentType);
  if (!boundary) throw badForm('The request body must be multipart/form-data with a `file` field.');
  const scan = await scanMultipart(up.body(), boundary, new Set(['stream']));
  if (!scan) {
    throw badForm(
      'The request body is not valid multipart/form-data (the parts or their boundary are malformed).',
    );
  }
  const file = scan.parts.find((p) => p.name === 'file');
  if (!file) {
    throw badForm('The request has no `file`: send the audio as the multipart field `file`.', 'file');
  }
  if (file.size === 0) throw badForm('The uploaded `file` is empty.', 'file');
  if (/^\s*(true|1)\s*$/i.test(scan.fields.get('stream') ?? '')) {
    throw badForm(
      'stream: true is not supported for transcriptions by this gateway (Parakeet returns the whole ' +
        'transcript at once); leave `stream` out or set it to false.',
      'stream',
    );
  }
}
