import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runShellSandboxed } from '../../../../test/helpers/unit.js';
import { AppError } from '../http/errors.js';
import { homePath, joinCommands, pathArg, quote, raw, sh, type ShellCommand } from './sh.js';

// Strings that are dangerous to a shell, mixed with arbitrary unicode (NUL excluded: it cannot be an
// argv byte at all and is rejected separately).
const nasty = fc.constantFrom(
  "'",
  '"',
  '$(',
  ')',
  '`',
  '\\',
  '\n',
  '\r',
  '\t',
  ' ',
  '*',
  '?',
  '~',
  '-',
  '--',
  '$HOME',
  '${IFS}',
  '!',
  ';',
  '&&',
  '|',
  '>',
  '<',
  '#',
  '{',
  '}',
  '[',
  ']',
  '=',
  '%',
  "'\\''",
  '\\n',
  'é',
  '🚀',
  '\u00a0',
);
const piece = fc.oneof(nasty, fc.string({ unit: 'binary', maxLength: 4 }));
const word = fc.array(piece, { maxLength: 8 }).map((p) => p.join('').replaceAll('\0', ''));
const argv = fc.array(word, { minLength: 1, maxLength: 5 });

const MARK = '@case';

/** Runs many commands in one bash; each prints a marker then its argv, NUL-terminated. */
function runBatch(cmds: ShellCommand[]): Buffer {
  const script = cmds.map((c, i) => `printf '%s\\0' ${MARK}${i}; ${c.text}`).join('\n');
  const r = runShellSandboxed(script, { env: { LC_ALL: 'C.UTF-8' } });
  expect(r.stderr.toString()).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

/** Splits the batch output back into one argv per case, using the known arg counts. */
function parseBatch(out: Buffer, counts: number[]): Buffer[][] {
  const fields: Buffer[] = [];
  let start = 0;
  for (let i = out.indexOf(0); i !== -1; i = out.indexOf(0, start)) {
    fields.push(out.subarray(start, i));
    start = i + 1;
  }
  expect(start).toBe(out.length);
  let pos = 0;
  return counts.map((n, i) => {
    expect(fields[pos]?.toString()).toBe(`${MARK}${i}`);
    const got = fields.slice(pos + 1, pos + 1 + n);
    pos += 1 + n;
    return got;
  });
}

function expectRoundTrip(cases: { cmd: ShellCommand; want: string[] }[]): void {
  const got = parseBatch(
    runBatch(cases.map((c) => c.cmd)),
    cases.map((c) => c.want.length),
  );
  cases.forEach((c, i) => {
    expect(got[i]?.map((b) => b.toString('hex'))).toEqual(c.want.map((w) => Buffer.from(w).toString('hex')));
  });
}

describe('sh', () => {
  it('quotes strings, passes commands and raw fragments through', () => {
    expect(sh`docker restart ${'my box'}`.text).toBe(`docker restart 'my box'`);
    expect(sh`echo ${"it's"}`.text).toBe(`echo 'it'\\''s'`);
    expect(sh`a ${sh`b ${'c d'}`} ${raw('| wc -l')}`.text).toBe(`a b 'c d' | wc -l`);
    expect(sh`x ${['a', 'b c', sh`$HOME`]}`.text).toBe(`x a 'b c' $HOME`);
    expect(sh`x ${[]}y`.text).toBe('x y');
    expect(sh`sleep ${1.5} ${-2} ${10n}`.text).toBe('sleep 1.5 -2 10');
    expect(quote('')).toBe("''");
    expect(String(sh`ls`)).toBe('ls');
  });

  it('rejects NUL, non-finite numbers and unsupported values', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof AppError ? e.code : 'other';
      }
      return 'none';
    };
    expect(code(() => sh`echo ${'a\0b'}`)).toBe('INVALID_INPUT');
    expect(code(() => sh`echo ${['ok', '\0']}`)).toBe('INVALID_INPUT');
    expect(code(() => raw('x\0'))).toBe('INVALID_INPUT');
    expect(code(() => sh`sleep ${Number.NaN}`)).toBe('INVALID_INPUT');
    expect(code(() => sh`sleep ${Infinity}`)).toBe('INVALID_INPUT');
    expect(code(() => sh`echo ${undefined as unknown as string}`)).toBe('INTERNAL');
    expect(code(() => sh`echo ${{ text: 'rm -rf /' } as unknown as ShellCommand}`)).toBe('INTERNAL');
    const badEscape = Object.assign([undefined], { raw: ['\\3'] }) as unknown as TemplateStringsArray;
    expect(code(() => sh(badEscape))).toBe('INTERNAL');
  });

  it('builds home paths with "$HOME", never a quoted ~', () => {
    expect(homePath('spark-vllm-docker').text).toBe(`"$HOME"/spark-vllm-docker`);
    expect(homePath('~/.cache/huggingface/').text).toBe(`"$HOME"/.cache/huggingface`);
    expect(pathArg('~/models').text).toBe(`"$HOME"/models`);
    expect(pathArg('~').text).toBe('"$HOME"');
    expect(pathArg('/data/x').text).toBe(`/data/x`);
    expect(pathArg('/data/my model').text).toBe(`'/data/my model'`);
    for (const bad of ['../etc', '/etc', '~', 'a/../b', 'a b', '$(id)', 'a//b', '']) {
      expect(() => homePath(bad), bad).toThrow(AppError);
    }
    const out = runShellSandboxed(sh`printf %s ${homePath('~/x.y')}`.text, { home: '/tmp/h o' });
    expect(out.stdout.toString()).toBe('/tmp/h o/x.y');
  });

  it('joins commands with a fixed separator', () => {
    expect(joinCommands([sh`a`, sh`b ${'c'}`]).text).toBe(`a && b c`);
    expect(joinCommands([sh`a`, sh`b`], '; ').text).toBe('a; b');
    expect(joinCommands([]).text).toBe(':');
  });
});

// Generous timeouts: these spawn a few hundred bash processes, which is slow on a loaded CI box.
describe('sh round trip through a real bash', () => {
  it('hand-picked hostile words', () => {
    const words = [
      "'",
      "''",
      '"$(id)"',
      '`id`',
      '\\',
      '\n',
      '*',
      '~',
      '~/x',
      '-rf',
      '--',
      ' ',
      '',
      '$HOME',
      '!!',
    ];
    expectRoundTrip([{ cmd: sh`printf '%s\\0' ${words}`, want: words }]);
  });

  it('any argv survives quoting (10 batches of 200 commands)', () => {
    fc.assert(
      fc.property(fc.array(argv, { minLength: 200, maxLength: 200 }), (batch) => {
        expectRoundTrip(batch.map((args) => ({ cmd: sh`printf '%s\\0' ${args}`, want: args })));
      }),
      { numRuns: 10 },
    );
  }, 30_000);

  it('composition: sh inside sh, arrays next to words, and a command quoted into bash -c', () => {
    const mixed = fc.tuple(word, word, fc.array(word, { maxLength: 4 }), word);
    fc.assert(
      fc.property(fc.array(mixed, { minLength: 60, maxLength: 60 }), (batch) => {
        expectRoundTrip(
          batch.flatMap(([a, b, arr, c]) => {
            const inner = sh`${a} ${arr}`;
            const printArgs = sh`printf '%s\\0' ${[a, b]}`;
            return [
              { cmd: sh`printf '%s\\0' ${inner} ${b}`, want: [a, ...arr, b] },
              { cmd: sh`printf '%s\\0' ${arr} ${c} ${arr}`, want: [...arr, c, ...arr] },
              // Nested shells: the inner command travels as one quoted word, as with `bash -c`/ssh.
              { cmd: sh`bash -c ${printArgs.text}`, want: [a, b] },
              { cmd: sh`bash -c ${sh`bash -c ${printArgs.text}`.text}`, want: [a, b] },
            ];
          }),
        );
      }),
      { numRuns: 5 },
    );
  }, 30_000);
});
