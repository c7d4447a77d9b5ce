import { describe, expect, it } from 'vitest';
import { classifyProbe, deathReason, lastWords } from './engine-liveness.js';

const top = (rows: string[]) => ({
  code: 0,
  stdout: ['PID                 COMMAND', ...rows].join('\n') + '\n',
  stderr: '',
});

describe('classifyProbe (docker top <c> -eo pid,args)', () => {
  it('is alive only with a vllm serve process (python or the vllm entry point), not a shell running one', () => {
    expect(
      classifyProbe(
        top(['7  sleep infinity', '88  /usr/bin/python3 /usr/local/bin/vllm serve org/m --port 8000']),
      ),
    ).toEqual({
      kind: 'alive',
      pid: 88,
    });
    expect(classifyProbe(top(['9  vllm serve org/m']))).toMatchObject({ kind: 'alive' });
    expect(
      classifyProbe(top(['7  sleep infinity', '12  bash -c vllm serve org/m >> /proc/1/fd/1 2>&1'])),
    ).toEqual({
      kind: 'no_process',
    });
    expect(classifyProbe(top(['7  sleep infinity', '13  [vllm] <defunct>']))).toEqual({ kind: 'no_process' });
    expect(
      classifyProbe(top(['7  sleep infinity', '14  python3 -m vllm.entrypoints.openai.api_server'])),
    ).toEqual({
      kind: 'no_process',
    });
  });

  it('says stopped only on docker’s definite answers; anything else is unknown', () => {
    const stopped = {
      code: 1,
      stdout: 'Error response from daemon: container 3f2a is not running\n',
      stderr: '',
    };
    expect(classifyProbe(stopped).kind).toBe('container_stopped');
    expect(
      classifyProbe({
        code: 1,
        stdout: 'Error response from daemon: No such container: vllm_node\n',
        stderr: '',
      }).kind,
    ).toBe('container_stopped');
    const daemon =
      'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?';
    expect(classifyProbe({ code: 1, stdout: `${daemon}\n`, stderr: '' })).toEqual({
      kind: 'unknown',
      detail: daemon,
    });
    expect(classifyProbe({ code: null, stdout: '', stderr: '' }).kind).toBe('unknown');
  });
});

describe('lastWords', () => {
  it('prefers the last error line near the end, without vLLM’s prefixes or the generic wrapper', () => {
    const lines = [
      '(APIServer pid=12) INFO 10-01 12:00:00 [api_server.py:1] starting',
      '(EngineCore_DP0 pid=40) ERROR 10-01 12:00:03 [core.py:700] ValueError: Invalid repository ID or local directory specified: /x',
      '(EngineCore_DP0 pid=40) RuntimeError: Engine core initialization failed. See root cause above.',
      '',
    ];
    expect(lastWords(lines)).toBe('ValueError: Invalid repository ID or local directory specified: /x');
  });

  it('falls back to the last lines as they are when nothing looks like an error', () => {
    expect(lastWords(['a', 'b', 'c', 'the flux capacitor melted', ''])).toBe(
      'b | c | the flux capacitor melted',
    );
    expect(lastWords([])).toBe('');
  });

  it('builds the reason from what the probe saw', () => {
    expect(deathReason({ kind: 'container_stopped', detail: '' }, 'vllm_node', ['x'])).toBe(
      'The vllm_node container stopped while the model was loading: x',
    );
    expect(deathReason({ kind: 'no_process' }, 'vllm_node', [])).toBe(
      'vLLM exited while the model was loading (no vllm serve process in vllm_node)',
    );
  });
});
