import { describe, expect, it } from 'vitest';
import { displayArgs, visibleSegments, visibleText } from './visibleText.js';

describe('visibleText', () => {
  it('leaves printable text alone, unicode included', () => {
    expect(visibleText('vllm serve org/m --x "a b" héllo 😀 中文')).toBe(
      'vllm serve org/m --x "a b" héllo 😀 中文',
    );
    expect(visibleSegments('plain')).toEqual([{ text: 'plain', hidden: false }]);
    expect(visibleSegments('')).toEqual([{ text: '', hidden: false }]);
  });

  it("shows the issue's C1 characters and other invisible ones as escapes", () => {
    expect(visibleText("--x $'\u0085;touch canary;#'")).toBe("--x $'\\u0085;touch canary;#'");
    expect(visibleText('a\u009bb\u0000c\u007fd\te')).toBe('a\\u009bb\\u0000c\\u007fd\\u0009e');
    expect(visibleText('a\u200bb\u202ec\ufeffd\u2028e\u00a0f')).toBe(
      'a\\u200bb\\u202ec\\ufeffd\\u2028e\\u00a0f',
    );
    expect(visibleText('tag\u{e0041}')).toBe('tag\\u{e0041}');
    expect(visibleText('lone\ud800')).toBe('lone\\ud800');
  });

  it('marks each escape as hidden with its code point, between printable runs', () => {
    expect(visibleSegments('a\u0085b')).toEqual([
      { text: 'a', hidden: false },
      { text: '\\u0085', hidden: true, code: 'U+0085' },
      { text: 'b', hidden: false },
    ]);
  });

  it('keeps newlines in multi-line text (logs) and escapes them in one-line commands', () => {
    expect(visibleText('a\nb')).toBe('a\\u000ab');
    expect(visibleText('a\nb\u0085', true)).toBe('a\nb\\u0085');
  });
});

describe('displayArgs', () => {
  it('quotes args with spaces so the words stay apart', () => {
    expect(displayArgs(['--max-model-len', '8192', '--hf-overrides', '{"a": 1}', ''])).toBe(
      '--max-model-len 8192 --hf-overrides "{\\"a\\": 1}" ""',
    );
  });
});
