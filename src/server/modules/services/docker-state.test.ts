import { describe, expect, it } from 'vitest';
import { dockerStateOf, inspectCommand, parseInspect } from './docker-state.js';

const state = (o: Record<string, unknown>) =>
  JSON.stringify({
    Status: 'running',
    Running: true,
    Paused: false,
    Restarting: false,
    OOMKilled: false,
    Dead: false,
    Pid: 4242,
    ExitCode: 0,
    Error: '',
    StartedAt: '2026-12-01T10:00:00.123456789Z',
    FinishedAt: '0001-01-01T00:00:00Z',
    ...o,
  });

describe('dockerStateOf', () => {
  it.each([
    [{ Status: 'running' }, 'running'],
    [{ Status: 'exited' }, 'exited'],
    [{ Status: 'restarting', Restarting: true }, 'restarting'],
    [{ Status: 'running', Restarting: true }, 'restarting'],
    [{ Status: 'paused', Paused: true }, 'paused'],
    [{ Status: 'running', Paused: true }, 'paused'],
    [{ Status: 'created' }, 'exited'],
    [{ Status: 'dead' }, 'exited'],
    [{ Status: 'exploded' }, 'unknown'],
    [{}, 'unknown'],
  ])('%j → %s', (s, want) => {
    expect(dockerStateOf(s)).toBe(want);
  });
});

describe('parseInspect', () => {
  it('reads each line, marks the ones docker does not know as missing', () => {
    const r = parseInspect(['parakeet-asr', 'magpie-tts', 'gone'], {
      code: 1,
      stdout: `/parakeet-asr 3 ${state({})}\n/magpie-tts 0 ${state({ Status: 'exited', Running: false, StartedAt: '0001-01-01T00:00:00Z' })}\n`,
      stderr: 'Error: No such object: gone\n',
    });
    expect(r.get('parakeet-asr')).toEqual({
      state: 'running',
      restart_count: 3,
      started_at: '2026-12-01T10:00:00.123456789Z',
      error: null,
    });
    expect(r.get('magpie-tts')).toMatchObject({ state: 'exited', restart_count: 0, started_at: null });
    expect(r.get('gone')).toEqual({ state: 'missing', restart_count: null, started_at: null, error: null });
  });

  it('older CLIs say "No such container"', () => {
    const r = parseInspect(['x'], { code: 1, stdout: '', stderr: 'Error: No such container: x\n' });
    expect(r.get('x')?.state).toBe('missing');
  });

  it('a dead daemon or cut-off output is unknown with docker’s words, never missing', () => {
    const r = parseInspect(['a', 'b'], {
      code: 1,
      stdout: '',
      stderr:
        'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n',
    });
    expect(r.get('a')).toMatchObject({ state: 'unknown', error: expect.stringContaining('Cannot connect') });
    const cut = parseInspect(['a'], { code: null, stdout: `/a 1 {"Status":"runn`, stderr: '' });
    expect(cut.get('a')).toMatchObject({ state: 'unknown', error: expect.stringContaining('no answer') });
  });

  it('ignores lines that are not inspect lines (a banner, a warning)', () => {
    const r = parseInspect(['a'], { code: 0, stdout: `WARNING: something\n/a 0 ${state({})}\n`, stderr: '' });
    expect(r.get('a')?.state).toBe('running');
  });
});

describe('inspectCommand', () => {
  it('quotes the format and refuses hostile container names before any shell', () => {
    expect(inspectCommand(['parakeet-asr']).text).toBe(
      "docker inspect --format '{{.Name}} {{.RestartCount}} {{json .State}}' parakeet-asr",
    );
    expect(() => inspectCommand(['x; rm -rf ~'])).toThrow(/container/);
  });
});
