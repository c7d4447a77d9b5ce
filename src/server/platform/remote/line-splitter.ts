// Turns a byte stream into lines as the bytes arrive: UTF-8 characters split across chunks are
// reassembled, a partial line waits for its end, and flush() emits what is left when the stream ends.
// `\r` alone also ends a line, so progress bars (tqdm, `hf download`) show up while they update.
import { StringDecoder } from 'node:string_decoder';

/** Longest line kept in memory; a longer run of bytes without a newline is emitted in pieces. */
const MAX_LINE = 256 * 1024;

export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';
  /** The previous chunk ended in `\r`: a `\n` starting the next one belongs to the same line break. */
  private skipLF = false;

  constructor(private readonly emit: (line: string) => void) {}

  push(chunk: Buffer | string): void {
    this.feed(typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
  }

  flush(): void {
    this.feed(this.decoder.end());
    if (this.partial !== '') {
      const line = this.partial;
      this.partial = '';
      this.emit(line);
    }
  }

  private feed(text: string): void {
    if (text === '') return;
    if (this.skipLF) {
      this.skipLF = false;
      if (text.startsWith('\n')) text = text.slice(1);
    }
    const re = /\r\n|\r|\n/g;
    let last = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const line = this.partial + text.slice(last, m.index);
      this.partial = '';
      last = re.lastIndex;
      this.emit(line);
    }
    this.skipLF = text.endsWith('\r');
    this.partial += text.slice(last);
    while (this.partial.length > MAX_LINE) {
      const piece = this.partial.slice(0, MAX_LINE);
      this.partial = this.partial.slice(MAX_LINE);
      this.emit(piece);
    }
  }
}
