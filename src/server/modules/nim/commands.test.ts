// The built commands run through real bash: the argv docker would receive, and the key nowhere.
import { describe, expect, it } from 'vitest';
import { runShellSandboxed } from '../../../../test/helpers/unit.js';
import { cacheCommand, containerEnv, loginCommand, mountArg, runCommand } from './commands.js';
import type { ValidInstall } from './validate.js';

const v: ValidInstall = {
  image: 'nvcr.io/nim/nvidia/parakeet-1-1b-ctc-en-us:latest',
  container: 'asr-nim',
  port: 9001,
  volume: { kind: 'path', value: '~/.cache/nim' },
  env: [['NIM_TAGS_SELECTOR', "name=x,mode=ofl it's"]],
  node: 'spark2',
  register: true,
  kind: 'asr',
};

describe('NIM commands', () => {
  it('logs in with the key on stdin only', () => {
    expect(loginCommand().text).toBe("docker login nvcr.io -u '$oauthtoken' --password-stdin");
  });

  it('mounts named volumes and home paths on the NIM cache', () => {
    expect(mountArg({ kind: 'named', value: 'nim-cache' }).text).toBe('nim-cache:/opt/nim/.cache');
    expect(mountArg(v.volume).text).toBe('"$HOME"/.cache/nim:/opt/nim/.cache');
    expect(cacheCommand(v).text).toContain(
      'docker run --rm --user 0:0 --entrypoint chown -v "$HOME"/.cache/nim:/opt/nim/.cache',
    );
  });

  it('publishes the port the NIM listens on', () => {
    expect(containerEnv({ env: [['NIM_HTTP_API_PORT', '9001']], port: 9001 })).toEqual([
      'NIM_HTTP_API_PORT=9001',
    ]);
  });

  it('docker run gets NGC_API_KEY from the environment, read from stdin: never in its argv or the command', () => {
    const key = "nvapi-TEST-key-$(id)-'quoted'";
    const cmd = runCommand(v);
    expect(cmd.text).not.toContain('nvapi');
    // A stand-in `docker` that prints its argv and the NGC_API_KEY it inherited.
    const stub = `docker() { printf 'ARG<%s>\\n' "$@"; printf 'ENV<%s>\\n' "$NGC_API_KEY"; }`;
    // The here-document stands in for the SSH channel's stdin.
    const script = `${stub}\n{ ${cmd.text.replace('exec docker', 'docker')}; } <<'__KEY__'\n${key}\n__KEY__\n`;
    const r = runShellSandboxed(script);
    const stdout = r.stdout.toString();
    const args = stdout.split('\n').filter((l) => l.startsWith('ARG<'));
    expect(args).toContain('ARG<-e>');
    expect(args).toContain('ARG<NGC_API_KEY>');
    expect(args).toContain("ARG<NIM_TAGS_SELECTOR=name=x,mode=ofl it's>");
    expect(args).toContain('ARG<9001:9001>');
    expect(args.join('\n')).not.toContain('nvapi');
    expect(stdout).toContain(`ENV<${key}>`);
  });
});
