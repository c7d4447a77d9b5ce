// Multipart uploads (POST /v1/audio/transcriptions) are never parsed or buffered: the client's
// bytes, boundary and all, flow to the upstream as they arrive, counted on the way. A declared
// Content-Length over the limit is refused before reading; a chunked upload that grows past it is
// cut off at the limit (the upstream request is aborted) and answered 413 too.
import type { IncomingMessage } from 'node:http';
import { Transform, type TransformCallback } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/http/errors.js';

const streams = new WeakMap<FastifyRequest, IncomingMessage>();

/** Raised inside the counting stream; the relay turns it into the client's 413. */
export class UploadTooLarge extends Error {
  constructor() {
    super('the upload grew past the gateway limit');
    this.name = 'UploadTooLarge';
  }
}

/** True when a failed upstream request failed because the upload grew past the limit. */
export function isUploadTooLarge(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 4; depth++) {
    if (e instanceof UploadTooLarge) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

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

/** Counts bytes as they pass and fails the stream once they exceed `limit`. */
export class ByteLimit extends Transform {
  bytes = 0;

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) cb(new UploadTooLarge());
    else cb(null, chunk);
  }
}

export interface Upload {
  body: ByteLimit;
  contentType: string;
  /** The client's declared length, passed on so the upstream sees a plain (non-chunked) upload. */
  contentLength: number | null;
}

/** The request's multipart body as a size-checked stream; throws 400 / 413 before reading. */
export function limitedUpload(req: FastifyRequest, limitMb: number): Upload {
  const src = streams.get(req);
  const contentType = req.headers['content-type'];
  if (!src || !contentType) {
    throw new AppError('BAD_REQUEST', 'The request body must be multipart/form-data with a `file` field.');
  }
  const limit = Math.round(limitMb * 1024 * 1024);
  const declared = req.headers['content-length'];
  const contentLength = declared !== undefined && /^\d+$/.test(declared) ? Number(declared) : null;
  if (contentLength !== null && contentLength > limit) throw uploadTooLarge(limitMb);
  const body = new ByteLimit(limit);
  src.once('error', (e) => body.destroy(e));
  body.once('error', () => {
    // Stop feeding the upstream and discard the rest, so the client can read its 413 (the
    // connection is closed after it).
    src.unpipe(body);
    src.resume();
  });
  src.pipe(body);
  return { body, contentType, contentLength };
}

/** The default transcription upload limit (MB): an hour of 16 kHz WAV is about 115 MB. */
export const DEFAULT_UPLOAD_MB = 200;

/**
 * `gateway.max_upload_mb` when the configuration carries one (a positive number), else 200 MB.
 * Read loosely so the gateway works before the config schema knows the key.
 */
export function uploadLimitMb(config: { gateway: { max_upload_mb?: number } }): number {
  const v = config.gateway.max_upload_mb;
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : DEFAULT_UPLOAD_MB;
}
