import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { EXIT, exitCodeForCommanderError, exitCodeForStatus, redact } from './exit-codes.js';
import { checkToken, parseBaseUrl } from './http.js';
import { parseSeconds } from './commands/lock.js';
import { buildProgram } from './program.js';
import { captureIo } from './test-io.js';

/** Parses argv without a process: commander's errors come back instead of exiting. */
async function parseError(args: string[]): Promise<number> {
  const program = buildProgram('0.0.0', captureIo());
  try {
    await program.parseAsync(['node', 'spark-control', ...args]);
  } catch (e) {
    if (e instanceof CommanderError) return exitCodeForCommanderError(e.code);
    throw e;
  }
  throw new Error('expected a parse error');
}

describe('exit codes', () => {
  it('maps HTTP statuses to what a script branches on', () => {
    expect(exitCodeForStatus(401)).toBe(EXIT.UNAUTHORIZED);
    expect(exitCodeForStatus(403)).toBe(EXIT.UNAUTHORIZED);
    expect(exitCodeForStatus(409)).toBe(EXIT.REFUSED);
    expect(exitCodeForStatus(400)).toBe(EXIT.USAGE);
    expect(exitCodeForStatus(404)).toBe(EXIT.REJECTED);
    expect(exitCodeForStatus(429)).toBe(EXIT.REJECTED);
    expect(exitCodeForStatus(500)).toBe(EXIT.SERVER_ERROR);
    expect(exitCodeForStatus(503)).toBe(EXIT.SERVER_ERROR);
  });

  it('treats help and version as success and every other parse problem as a usage error', async () => {
    expect(await parseError(['--help'])).toBe(EXIT.OK);
    expect(await parseError(['lock', 'acquire', '--help'])).toBe(EXIT.OK);
    expect(await parseError(['--version'])).toBe(EXIT.OK);
    expect(await parseError(['status', '--bogus'])).toBe(EXIT.USAGE);
    expect(await parseError(['frobnicate'])).toBe(EXIT.USAGE);
    expect(await parseError(['swap'])).toBe(EXIT.USAGE);
    expect(await parseError(['lock', 'acquire', '--holder', 'x'])).toBe(EXIT.USAGE);
    expect(await parseError(['lock', 'acquire', '--holder', 'x', '--ttl', '1.5'])).toBe(EXIT.USAGE);
    expect(await parseError(['lock', 'release'])).toBe(EXIT.USAGE);
    expect(await parseError(['swap', 'Not A Key'])).toBe(EXIT.USAGE);
    expect(await parseError(['validate', 'x/y'])).toBe(EXIT.USAGE);
    expect(await parseError(['download', 'just-a-name', '--nodes', 'spark1'])).toBe(EXIT.USAGE);
    expect(await parseError(['download', 'org/name'])).toBe(EXIT.USAGE);
    expect(await parseError(['download', 'org/name', '--nodes', 'spark1;id'])).toBe(EXIT.USAGE);
    expect(await parseError(['schedules', 'add', '--name', 'x'])).toBe(EXIT.USAGE);
    expect(await parseError(['schedules', 'rm'])).toBe(EXIT.USAGE);
    expect(await parseError(['events', '--limit', '0'])).toBe(EXIT.USAGE);
    expect(await parseError(['logs'])).toBe(EXIT.USAGE);
  });

  it('accepts only whole positive seconds for --ttl', () => {
    expect(parseSeconds('3600')).toBe(3600);
    for (const bad of ['0', '-1', '1e3', 'abc', '', ' 5', '9999999999'])
      expect(() => parseSeconds(bad)).toThrow();
  });
});

describe('url and token checks', () => {
  it('normalizes the base URL and refuses other schemes and credentials', () => {
    expect(parseBaseUrl('http://127.0.0.1:9999/')).toBe('http://127.0.0.1:9999');
    expect(parseBaseUrl('https://spark1.local/control/')).toBe('https://spark1.local/control');
    for (const bad of ['127.0.0.1:9999', 'ftp://spark1.local', 'http://u:p@spark1.local', 'nope'])
      expect(() => parseBaseUrl(bad)).toThrow(expect.objectContaining({ exitCode: EXIT.USAGE }));
  });

  it('refuses a token that cannot go in a header without echoing it', () => {
    expect(checkToken(undefined)).toBeUndefined();
    expect(checkToken('')).toBeUndefined();
    expect(checkToken('abc-DEF_123.xyz~')).toBe('abc-DEF_123.xyz~');
    for (const bad of ['has space-secret', 'line\nbreak-secret', 'tab\tsecret', 'é-secret']) {
      let message = '';
      try {
        checkToken(bad);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/cannot be sent in a header/);
      expect(message).not.toContain('secret');
    }
  });

  it('redacts every occurrence of the token', () => {
    expect(redact('a TOK b TOK', 'TOK')).toBe('a *** b ***');
    expect(redact('nothing here', undefined)).toBe('nothing here');
  });
});
