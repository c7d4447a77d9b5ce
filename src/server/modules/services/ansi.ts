// Container logs are shown as text: Node's own `stripVTControlCharacters` removes colour codes,
// cursor moves and OSC sequences; the C0 control characters a terminal would act on (bell, NUL,
// backspace…) go too, except tab. A lone `\r` (progress bars) already ended the line in the
// transport's splitter.
import { stripVTControlCharacters } from 'node:util';

const isControl = (code: number): boolean => (code < 0x20 && code !== 0x09) || code === 0x7f;

export function stripAnsi(line: string): string {
  const text = stripVTControlCharacters(line);
  let out = '';
  for (const ch of text) if (!isControl(ch.codePointAt(0) ?? 0)) out += ch;
  return out;
}
