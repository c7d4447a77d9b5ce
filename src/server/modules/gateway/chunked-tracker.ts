// Follows an HTTP/1.1 chunked body (RFC 9112 §7.1) as it arrives, without copying or decoding
// it, for the splice relay (splice-relay.ts): vLLM's chunk framing is already valid framing for
// our client, so the bytes are passed on as they are, and only the size lines are read, to know
// where the body ends (the connection can then carry the next request) and whether it broke off.
//
// What `feed` returns is always a sequence of whole chunks, so the client's framing is valid
// after every read whatever happens next: a run of chunks complete in one read goes out as the
// same bytes (a read holding exactly whole chunks — the usual case, one SSE event per chunk per
// read — is returned as is, not even sliced); a chunk split across reads goes out as pieces,
// each framed as a chunk of its own (the same payload bytes, other boundaries). The last chunk
// (`0\r\n`) and any trailer are never returned: the relay ends the client's response itself.
import { frameChunk } from './stream-relay.js';

const enum State {
  Size,
  Ext,
  SizeLf,
  Data,
  DataCr,
  DataLf,
  TrailerLineStart,
  TrailerLine,
  TrailerLf,
  TrailerEndLf,
  Done,
  Failed,
}

const CR = 0x0d;
const LF = 0x0a;
/** A chunk no bigger than 2³² − 1 bytes: eight hex digits. */
const MAX_SIZE_DIGITS = 8;
/** Chunk extensions and trailer lines are skipped; a line longer than this is not HTTP. */
const MAX_LINE = 4096;

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x66) return l - 0x61 + 10;
  return -1;
}

export class ChunkedTracker {
  private state = State.Size;
  private size = 0;
  private digits = 0;
  private remaining = 0;
  private lineLength = 0;
  /** Bytes that followed the end of the body in the read that ended it (the socket is then not reusable). */
  extra = 0;
  /** Why the framing was refused, once it was. */
  failure: string | null = null;
  /** What the current read passes on so far: the first piece, then (from the second on) all of them. */
  private out: Buffer | null = null;
  private outMore: Buffer[] | null = null;

  /** The body's last chunk and trailer were read: the response is complete. */
  get done(): boolean {
    return this.state === State.Done;
  }

  get failed(): boolean {
    return this.state === State.Failed;
  }

  /** No chunk is half read: an error event can follow what `feed` returned so far. */
  get atBoundary(): boolean {
    return this.state === State.Size && this.digits === 0;
  }

  /**
   * Reads one arrival of bytes; returns the whole chunks to pass on (null: none yet). After a
   * malformed size line `failed` is true and what came before it is still returned.
   */
  feed(buf: Buffer): Buffer | null {
    const n = buf.length;
    // The current chunk's header began in this read at `chunkStart` (-1: in an earlier one, so
    // its payload goes out framed anew); [runFrom, runTo) is a run of whole chunks passed as is.
    // What goes out is gathered in `out`/`outMore` (fields, not a local array and a closure: this
    // runs once per read of every stream, and the usual read allocates nothing).
    let chunkStart = this.state === State.Size && this.digits === 0 ? 0 : -1;
    let dataStart = 0;
    let runFrom = -1;
    let runTo = -1;
    let i = 0;
    loop: while (i < n) {
      const c = buf[i]!;
      switch (this.state) {
        case State.Size: {
          if (this.digits === 0 && chunkStart < 0) chunkStart = i;
          const v = hexValue(c);
          if (v >= 0) {
            if (++this.digits > MAX_SIZE_DIGITS) {
              this.fail('a chunk size longer than 8 digits');
              break loop;
            }
            this.size = this.size * 16 + v;
          } else if (this.digits === 0) {
            this.fail('a chunk size line without a size');
            break loop;
          } else if (c === CR) this.state = State.SizeLf;
          else if (c === 0x3b || c === 0x20 || c === 0x09) {
            this.state = State.Ext;
            this.lineLength = 0;
          } else {
            this.fail('a chunk size line with a stray character');
            break loop;
          }
          i++;
          break;
        }
        case State.Ext:
          if (c === CR) this.state = State.SizeLf;
          else if (++this.lineLength > MAX_LINE) {
            this.fail('a chunk extension too long');
            break loop;
          }
          i++;
          break;
        case State.SizeLf:
          if (c !== LF) {
            this.fail('a chunk size line not ended by CRLF');
            break loop;
          }
          i++;
          if (this.size === 0) {
            // The last chunk: what ran before it goes out, the rest is the relay's to write.
            this.flushRun(buf, runFrom, runTo);
            runFrom = -1;
            chunkStart = -1;
            this.state = State.TrailerLineStart;
          } else {
            this.remaining = this.size;
            dataStart = i;
            this.state = State.Data;
          }
          break;
        case State.Data: {
          const take = Math.min(this.remaining, n - i);
          if (chunkStart < 0) this.emit(frameChunk(buf.subarray(i, i + take)));
          i += take;
          this.remaining -= take;
          if (this.remaining === 0) this.state = State.DataCr;
          break;
        }
        case State.DataCr:
          if (c !== CR) {
            this.fail('a chunk longer than its size');
            break loop;
          }
          this.state = State.DataLf;
          i++;
          break;
        case State.DataLf:
          if (c !== LF) {
            this.fail('a chunk not ended by CRLF');
            break loop;
          }
          i++;
          if (chunkStart >= 0) {
            if (runFrom < 0) runFrom = chunkStart;
            runTo = i;
          }
          chunkStart = -1;
          this.size = 0;
          this.digits = 0;
          this.state = State.Size;
          break;
        case State.TrailerLineStart:
          this.lineLength = 0;
          this.state = c === CR ? State.TrailerEndLf : State.TrailerLine;
          i++;
          break;
        case State.TrailerLine:
          if (c === CR) this.state = State.TrailerLf;
          else if (++this.lineLength > MAX_LINE) {
            this.fail('a trailer line too long');
            break loop;
          }
          i++;
          break;
        case State.TrailerLf:
          if (c !== LF) {
            this.fail('a trailer line not ended by CRLF');
            break loop;
          }
          this.state = State.TrailerLineStart;
          i++;
          break;
        case State.TrailerEndLf:
          if (c !== LF) {
            this.fail('a body not ended by CRLF');
            break loop;
          }
          i++;
          this.state = State.Done;
          this.extra = n - i;
          break loop;
        default:
          // Done or Failed: nothing more belongs to this body.
          this.extra += n - i;
          break loop;
      }
    }
    // A chunk whose header is in this read but whose payload goes on: what arrived goes out now,
    // framed as a chunk of its own; the rest follows framed the same way.
    if (chunkStart >= 0 && this.state >= State.Data && this.state <= State.DataLf) {
      this.flushRun(buf, runFrom, runTo);
      const end = this.state === State.Data ? n : dataStart + this.size;
      if (end > dataStart) this.emit(frameChunk(buf.subarray(dataStart, end)));
    } else this.flushRun(buf, runFrom, runTo);
    return this.takeOut();
  }

  private emit(piece: Buffer): void {
    if (this.out === null) this.out = piece;
    else if (this.outMore === null) this.outMore = [this.out, piece];
    else this.outMore.push(piece);
  }

  /** Passes on the run of whole chunks [from, to) of `buf`, if there is one (all of it as is). */
  private flushRun(buf: Buffer, from: number, to: number): void {
    if (from >= 0) this.emit(from === 0 && to === buf.length ? buf : buf.subarray(from, to));
  }

  private takeOut(): Buffer | null {
    const out = this.outMore === null ? this.out : Buffer.concat(this.outMore);
    this.out = null;
    this.outMore = null;
    return out;
  }

  /** The whole chunks before the fault are still passed on (the loop stops, the run is flushed). */
  private fail(why: string): void {
    this.state = State.Failed;
    this.failure = why;
  }
}
