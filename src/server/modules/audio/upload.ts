// Audio uploads of any length for /api/audio/*: the multipart `file` part streams to a fresh temp
// directory (mode 0700, the file 0600) as it arrives, never whole in memory. A declared
// Content-Length over the limit is refused before a byte is read, a body that grows past it at the
// limit. Whoever receives an upload owns its directory and calls `cleanup()` whatever happens; a
// failure while receiving removes it here.
import { mkdirSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/http/errors.js';
import { boundaryOf } from '../gateway/form-scan.js';
import { extractMultipartFile, MultipartMalformed, MultipartTooLarge } from './multipart-file.js';

export interface AudioUpload {
  /** `path` is ours (a fixed name in the temp dir); `filename` is what the client called it. */
  file: { path: string; filename: string; bytes: number };
  /** The text fields of the form (first occurrence of each), cut to a few KB. */
  fields: Record<string, string>;
  /** The temp directory the file is in; work files (decoded audio, chunks) may go there too. */
  dir: string;
  /** Removes the temp directory and everything in it; safe to call more than once. */
  cleanup(): Promise<void>;
}

export interface AudioUploadOptions {
  maxBytes: number;
  /** Where temp directories are made; the OS temp dir unless the module says otherwise. */
  dir?: string;
}

const streams = new WeakMap<FastifyRequest, Readable>();

/** Lets multipart bodies reach the routes of this scope unread (receiveAudioUpload reads them). */
export function acceptAudioMultipart(scope: FastifyInstance): void {
  scope.addContentTypeParser('multipart/form-data', (req, payload, done) => {
    streams.set(req, payload);
    done(null, undefined);
  });
}

/** The default temp root (under the OS temp dir) when the module gives none. */
export const DEFAULT_AUDIO_TMP = join(tmpdir(), 'spark-control-audio');

/** Empties (or creates) the audio temp root: directories left by a crash go at start-up. */
export function resetAudioTmp(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

const megabytes = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

export const audioTooLarge = (maxBytes: number): AppError =>
  new AppError(
    'PAYLOAD_TOO_LARGE',
    `The upload is larger than the audio limit of ${megabytes(maxBytes)} MB (audio.max_upload_mb).`,
    { headers: { connection: 'close' } },
  );

const NOT_MULTIPART = 'The request body must be multipart/form-data with the audio in a `file` field.';

export async function receiveAudioUpload(req: FastifyRequest, o: AudioUploadOptions): Promise<AudioUpload> {
  const src = streams.get(req);
  const boundary = boundaryOf(req.headers['content-type'] ?? '');
  if (!src || !boundary) throw new AppError('BAD_REQUEST', NOT_MULTIPART);
  const declared = req.headers['content-length'];
  if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > o.maxBytes)
    throw audioTooLarge(o.maxBytes);

  const root = o.dir ?? DEFAULT_AUDIO_TMP;
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const dir = await mkdtemp(join(root, 'up-'));
  let removal: Promise<void> | null = null;
  const cleanup = () => (removal ??= rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'input');
  try {
    const form = await extractMultipartFile(
      src.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>,
      boundary,
      path,
      o.maxBytes,
    );
    if (!form.file)
      throw new AppError(
        'BAD_REQUEST',
        'The request has no `file`: send the audio as the multipart field `file`.',
      );
    if (form.file.bytes === 0) throw new AppError('BAD_REQUEST', 'The uploaded `file` is empty.');
    return {
      file: { path, filename: form.file.filename, bytes: form.file.bytes },
      fields: form.fields,
      dir,
      cleanup,
    };
  } catch (err) {
    await cleanup();
    if (err instanceof MultipartTooLarge) {
      // Discard the rest so the client can read its 413 (the connection is closed after it).
      src.resume();
      throw audioTooLarge(o.maxBytes);
    }
    if (err instanceof MultipartMalformed) {
      src.resume();
      throw new AppError('BAD_REQUEST', `The request body is not valid multipart/form-data: ${err.message}.`);
    }
    throw err;
  }
}
