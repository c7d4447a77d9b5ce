// Receives a whole upload before anything is sent upstream, so a slow or stalled client never
// holds an upstream connection: in memory up to a small size, beyond it in a temp file (mode
// 0600, a random name in the spool directory). `remove()` deletes the file whatever state the
// spool is in, and is safe to call more than once; the route calls it when the response closes.
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdirSync, rmSync, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';

/** Raised when the upload grows past `limitBytes`. */
export class SpoolTooLarge extends Error {
  constructor() {
    super('the upload grew past the limit');
    this.name = 'SpoolTooLarge';
  }
}

export interface SpoolOptions {
  dir: string;
  /** Held in memory up to this many bytes. */
  memoryBytes: number;
  limitBytes: number;
}

/** Empties (or creates) the spool directory: files left by a crash are removed at start-up. */
export function resetSpoolDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

export class Spool {
  size = 0;
  private chunks: Buffer[] = [];
  private file: WriteStream | null = null;
  private path: string | null = null;
  private removed = false;
  private removal: Promise<void> | null = null;

  constructor(private readonly o: SpoolOptions) {}

  /** Where the body lives on disk (null while it fits in memory). */
  get filePath(): string | null {
    return this.path;
  }

  /**
   * Reads `src` to its end; throws SpoolTooLarge, or the stream's own error (timeout, abort). `src`
   * is left undestroyed on SpoolTooLarge, so the caller can drain it and still answer the client.
   */
  async receive(src: Readable): Promise<void> {
    for await (const chunk of src.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      if (this.removed) throw new Error('the upload was abandoned');
      this.size += chunk.length;
      if (this.size > this.o.limitBytes) throw new SpoolTooLarge();
      if (!this.file && this.size <= this.o.memoryBytes) {
        this.chunks.push(chunk);
        continue;
      }
      const file = this.file ?? this.open();
      const pending = this.chunks;
      this.chunks = [];
      for (const c of pending) file.write(c);
      if (file.errored) throw file.errored;
      if (!file.write(chunk)) await once(file, 'drain');
    }
    if (this.removed) throw new Error('the upload was abandoned');
    if (this.file) {
      this.file.end();
      await finished(this.file);
    }
  }

  /** The received body: the buffer, or a stream over the temp file. */
  body(): Buffer | Readable {
    if (!this.path) return Buffer.concat(this.chunks, this.size);
    return createReadStream(this.path);
  }

  /** Deletes the temp file (after its stream closed, so a file still opening is removed too). */
  remove(): Promise<void> {
    this.removed = true;
    this.chunks = [];
    this.removal ??= (async () => {
      const file = this.file;
      if (file && !file.closed) {
        const closed = once(file, 'close').catch(() => undefined);
        file.destroy();
        await closed;
      }
      if (this.path) await rm(this.path, { force: true });
    })();
    return this.removal;
  }

  private open(): WriteStream {
    mkdirSync(this.o.dir, { recursive: true, mode: 0o700 });
    this.path = join(this.o.dir, `upload-${randomUUID()}`);
    this.file = createWriteStream(this.path, { flags: 'wx', mode: 0o600 });
    // Errors (disk full) surface through write/drain in `receive`; keep them from being unhandled.
    this.file.on('error', () => undefined);
    return this.file;
  }
}
