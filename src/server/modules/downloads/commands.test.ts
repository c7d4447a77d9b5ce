// The download command in real bash: which CLI it picks, the argv that CLI gets, and the token
// reaching it through the environment only (sent on stdin, as the transport does).
import { describe, expect, it } from 'vitest';
import { runShellSandboxed } from '../../../../test/helpers/unit.js';
import { CLI_MARKER, downloadCommand } from './commands.js';

const FAKE = (name: string) =>
  `cat > "$HOME/bin/${name}" <<'FAKE'\n#!/bin/bash\necho "${name} argc=$# argv=$*| token=\${HF_TOKEN-<unset>}"\nFAKE\nchmod +x "$HOME/bin/${name}"`;

/** `token` is sent as one line on stdin, as the job does ('' = none). */
function run(clis: string[], repo: string, token: string) {
  const cmd = downloadCommand(repo).text;
  const setup = ['mkdir -p "$HOME/bin"', ...clis.map(FAKE)].join('\n');
  // the command goes through a quoted heredoc, untouched, as the remote sshd would receive it
  const r = runShellSandboxed(
    `${setup}\ncat > "$HOME/cmd.sh" <<'SPARK_CMD'\n${cmd}\nSPARK_CMD\nprintf '%s\\n' ${JSON.stringify(token)} | PATH="$HOME/bin" /bin/bash "$HOME/cmd.sh"`,
  );
  return { status: r.status, out: r.stdout.toString(), err: r.stderr.toString(), cmd };
}

describe('downloadCommand', () => {
  it('runs hf with the repo as one argument and the token from stdin in HF_TOKEN', () => {
    const r = run(['hf', 'huggingface-cli'], 'Qwen/Qwen3-0.6B', 'hf_tok123');
    expect(r.status, r.err).toBe(0);
    expect(r.out).toBe(`${CLI_MARKER}hf\nhf argc=2 argv=download Qwen/Qwen3-0.6B| token=hf_tok123\n`);
    expect(r.cmd).not.toContain('hf_tok123');
  });

  it('falls back to huggingface-cli; no token → HF_TOKEN unset', () => {
    const r = run(['huggingface-cli'], 'org/name', '');
    expect(r.out).toBe(
      `${CLI_MARKER}huggingface-cli\nhuggingface-cli argc=2 argv=download org/name| token=<unset>\n`,
    );
  });

  it('neither installed → exit 127 with how to install; a hostile repo stays one argument', () => {
    const none = run([], 'org/name', 'x');
    expect(none.status).toBe(127);
    expect(none.err).toContain('Neither hf nor huggingface-cli is installed');
    const hostile = run(['hf'], "org/x'; touch pwned; '$(id)", '');
    expect(hostile.out).toContain("hf argc=2 argv=download org/x'; touch pwned; '$(id)| token=<unset>");
  });
});
