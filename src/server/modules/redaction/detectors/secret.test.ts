import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KEYWORD_SPELLINGS, findAssigned, findAssignedByScan, findSecrets } from './secret.js';
import { classTransitions, looksRandom, looksRandomRun, shannonEntropy } from './secret-random.js';
import { matched } from './test-util.js';

const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
const PEM =
  '-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n-----END RSA PRIVATE KEY-----';

describe('findSecrets', () => {
  it.each([
    ['openai', 'key sk-abcdefghijklmnopqrstuvwxyz012345 ok', 'sk-abcdefghijklmnopqrstuvwxyz012345'],
    ['openai project', 'sk-proj-AbCdEfGhIjKlMnOpQrStUv0123_45-x', 'sk-proj-AbCdEfGhIjKlMnOpQrStUv0123_45-x'],
    ['github', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789'],
    ['github oauth', 'gho_abcdefghijklmnopqrstuvwxyz0123456789', 'gho_abcdefghijklmnopqrstuvwxyz0123456789'],
    ['github pat', `github_pat_11ABCDEFG0${'a'.repeat(60)}`, `github_pat_11ABCDEFG0${'a'.repeat(60)}`],
    ['slack', 'xoxb-1234567890-0987654321-abcdefghij', 'xoxb-1234567890-0987654321-abcdefghij'],
    ['slack user', 'xoxp-1234567890-abcdef', 'xoxp-1234567890-abcdef'],
    ['aws', 'id=AKIAIOSFODNN7EXAMPLE;', 'AKIAIOSFODNN7EXAMPLE'],
    ['google', 'AIzaSyA-1234567890abcdefghijklmnopqrstu', 'AIzaSyA-1234567890abcdefghijklmnopqrstu'],
    [
      'hugging face',
      'HF_TOKEN hf_abcdefghijklmnopqrstuvwxyzABCDEFGH',
      'hf_abcdefghijklmnopqrstuvwxyzABCDEFGH',
    ],
    ['gitlab', 'glpat-abcdefghij0123456789', 'glpat-abcdefghij0123456789'],
    ['jwt', `token ${JWT}.`, JWT],
    ['bearer', 'Authorization: Bearer abc.def-ghi_jkl~mno+pqr/stu=', 'abc.def-ghi_jkl~mno+pqr/stu='],
    ['assignment', 'password = "hunter2hunter2!"', 'hunter2hunter2!'],
    ['json field', '"client_secret": "Xy-9_abcdefg"', 'Xy-9_abcdefg'],
    ['pem', `key:\n${PEM}\nend`, PEM],
    // The assignment regex runs only where a keyword ends before a quote, blanks and ':'/'=':
    ['upper-case keyword, blanks', "PASSWORD\t =  'Tr0ub4dor&3x'", 'Tr0ub4dor&3x'],
    ['dashed keyword, quoted', "{'client-secret':'cs_live_9a8b7c6d'}", 'cs_live_9a8b7c6d'],
    ['keyword at text start', 'pwd=Q2w3e4r5t6', 'Q2w3e4r5t6'],
    ['access token, quote then blank', '"access_token" :"at.1a2b3c4d5e"', 'at.1a2b3c4d5e'],
    ['api key with colon, no space', 'apikey:Zq81-Lm02-Xx', 'Zq81-Lm02-Xx'],
    // Known shapes start after a '/' or '+' inside a longer token, found on the token walk:
    [
      'shape after a slash',
      'https://h.example/ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
    ],
    ['shape after a plus', 'x+AKIAIOSFODNN7EXAMPLE', 'AKIAIOSFODNN7EXAMPLE'],
    ['entropy', 'tok Zx8Qw2Lm9Rt4Yp7Ks1Vb6Nc3Hd5Jf0 end', 'Zx8Qw2Lm9Rt4Yp7Ks1Vb6Nc3Hd5Jf0'],
  ])('finds %s', (_why, text, want) => {
    expect(matched(findSecrets, text)).toContain(want);
  });

  it.each([
    ['git SHA', 'commit 3f786850e387550fdab836ed7e6dc881de23001b'],
    ['sha256', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['uuid', '123e4567-e89b-12d3-a456-426614174000'],
    ['path', 'src/server/modules/redaction/detectors/index.ts'],
    ['identifier', 'handleSubmitFormButtonClick and getElementsByClassName'],
    ['prose assignment', 'the password: required field'],
    ['keyword inside a longer word', 'mytoken=abcdefgh1234 and subsecret: zzzzzzzz9'],
    ['shape literal inside a word', 'xghp_abcdefghijklmnopqrstuvwxyz0123456789'],
    ['task- is not sk-', 'task-abcdefghijklmnopqrstuvwxyz012345'],
    ['short', 'sk-short'],
    ['package name', '@typescript-eslint/no-floating-promises'],
    ['long path', '/usr/X11R6/knavishly_absentmindedly_nor'],
    ['compact IBAN (no lower case)', 'GB82WEST12345698765432ABCDEF'],
  ])('leaves %s', (_why, text) => {
    expect(findSecrets(text)).toEqual([]);
  });

  it('entropy: uniform strings score log2 of their alphabet', () => {
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
    expect(looksRandom('aB3'.repeat(10))).toBe(false); // entropy log2(3)
    expect(classTransitions('abcDEF')).toBeCloseTo(1 / 5);
  });

  it.each(KEYWORD_SPELLINGS)('the assignment keyword %s is found in any case and quoting', (kw) => {
    const upper = kw.toUpperCase();
    const mixed = kw.charAt(0).toUpperCase() + kw.slice(1);
    for (const [text, want] of [
      [`${kw}=Zq81Lm02Xx`, 'Zq81Lm02Xx'],
      [`x "${upper}" : "Aa.1Bb.2Cc"`, 'Aa.1Bb.2Cc'],
      [`${mixed}:\t'Kk-7Yy-8Zz'`, 'Kk-7Yy-8Zz'],
    ] as const) {
      expect(matched(findAssigned, text)).toEqual([want]);
      expect(findAssigned(text)).toEqual(findAssignedByScan(text));
    }
  });

  it('assignments: trying ASSIGNED only where a keyword can end finds what its scan finds', () => {
    // Texts made of keyword pieces, quotes, blanks, separators and value characters.
    const piece = fc.constantFrom(
      ...KEYWORD_SPELLINGS,
      ...KEYWORD_SPELLINGS.map((k) => k.toUpperCase()),
      'Api_Key',
      'TOKEN',
      'pwd',
      'my',
      'x',
      'Sub',
      '"',
      "'",
      ' ',
      '\t',
      ':',
      '=',
      ',',
      ';',
      '\n',
      'Zq81Lm02',
      'abcdefgh',
      'A1b2C3d4e5',
      '::',
      '==',
      '_',
      '-',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), (parts) => {
        const text = parts.join('');
        expect(findAssigned(text)).toEqual(findAssignedByScan(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('looksRandomRun judges a run in place exactly as looksRandom judges its slice', () => {
    const tokenChar = fc.constantFrom(...'aZ09fF-_+/=.~xQ7'.split(''), 'b', 'C', '3', 'k');
    const token = fc.oneof(
      fc.array(tokenChar, { minLength: 20, maxLength: 40 }).map((a) => a.join('')),
      fc.stringMatching(/^(?:\/|~\/|\.\/|\.\.\/)?[A-Za-z0-9+/_-]{22,40}={0,2}$/),
      fc.stringMatching(/^[0-9a-f-]{24,40}$/),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 3 }), token, fc.string({ maxLength: 3 }), (pre, tok, post) => {
        const text = pre + tok + post;
        const end = pre.length + tok.length;
        expect(looksRandomRun(text, pre.length, end)).toBe(looksRandom(tok));
      }),
      { numRuns: 5000 },
    );
  });
});
