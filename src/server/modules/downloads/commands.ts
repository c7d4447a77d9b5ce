// The remote commands of a download, built with `sh` from a validated repo id. The HF token is
// never part of a command: the remote shell reads one line from stdin (send `<token>\n`, or an
// empty line for none) into HF_TOKEN and exports it only when set, so it lives in the CLI's
// environment alone — not in `ps`, the sshd's command log or shell history.
import { joinCommands, raw, sh, type ShellCommand } from '../../platform/remote/sh.js';

/** First stdout line of a download: which CLI runs (`hf`, or `huggingface-cli` where hf is missing). */
export const CLI_MARKER = '@spark-control cli ';

const READ_TOKEN = raw(
  'IFS= read -r HF_TOKEN || true; if [ -n "$HF_TOKEN" ]; then export HF_TOKEN; else unset HF_TOKEN; fi',
);

/**
 * `hf download <repo>`, falling back to `huggingface-cli download <repo>`; exit 127 with a clear
 * line when neither is installed. `exec` makes the CLI the channel's process, so a cancel's
 * SIGKILL reaches it directly.
 */
export function downloadCommand(repo: string): ShellCommand {
  const pick = raw(
    [
      'if command -v hf >/dev/null 2>&1; then cli=hf',
      'elif command -v huggingface-cli >/dev/null 2>&1; then cli=huggingface-cli',
      'else echo \'Neither hf nor huggingface-cli is installed: pip install -U "huggingface_hub[cli]"\' >&2; exit 127; fi',
    ].join('; '),
  );
  const announce = raw(`echo "${CLI_MARKER}$cli"`);
  return joinCommands([READ_TOKEN, pick, announce, sh`exec "$cli" download ${repo}`], '; ');
}

/** Free bytes of the filesystem holding the HF cache (or its nearest existing parent), for a disk-full message. */
export function freeSpaceCommand(): ShellCommand {
  return raw(
    'd="$HOME"/.cache/huggingface/hub; while [ ! -d "$d" ]; do d=$(dirname "$d"); done; df -Pk "$d" | awk \'NR==2 {print $4 * 1024}\'',
  );
}
