// The launcher's capabilities, read once per launcher version (issue 12 item 7). Every get() asks
// the head which commit the checkout is at (one cheap SSH exec) and runs `./launch-cluster.sh
// --help` only when that changed, so a swap pays ~one exec for the check and an update (or a
// rollback, or the owner's own `git pull`) is noticed on the next swap without being told.
//
// The version key is the commit plus the hash of launch-cluster.sh as it is on disk: a local edit
// does not move HEAD but can change what the script accepts. Concurrent get() calls share one
// read; a read that fails is never cached (the next get() asks again) and leaves current() as it
// was, the last capabilities seen.
import type { LauncherCapabilities } from '../../../common/updates-api.js';
import { AppError, isAppError } from '../../platform/http/errors.js';
import { pathArg, sh, type ShellCommand } from '../../platform/remote/sh.js';
import type { NodeTransport } from '../../platform/remote/transport.js';
import { validatePath } from '../../platform/remote/validators.js';
import { launcherCapabilities } from './capabilities.js';

export interface LauncherCapabilityCacheDeps {
  transport: Pick<NodeTransport, 'exec'>;
  /** The head node (where the launcher runs); null when no vLLM node is configured. */
  head: string | null;
  /** `vllm.launcher_dir` (validated here again, as every value sent to a shell is). */
  launcherDir: string;
  timeoutMs?: number;
}

const SCRIPT = 'launch-cluster.sh';

/** Prints the commit, then the blob hash of the script as it is on disk. */
export function versionCommand(launcherDir: string): ShellCommand {
  const dir = pathArg(validatePath(launcherDir, 'launcher_dir'));
  return sh`git -C ${dir} rev-parse HEAD && git -C ${dir} hash-object -- ${SCRIPT}`;
}

/** The usage text (it exits 1 after printing it, as upstream's does). */
export function helpCommand(launcherDir: string): ShellCommand {
  return sh`cd ${pathArg(validatePath(launcherDir, 'launcher_dir'))} && ./${SCRIPT} --help 2>&1`;
}

const lastLine = (s: string): string =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .at(-1) ?? '';

export class LauncherCapabilityCache {
  private caps: LauncherCapabilities | null = null;
  private version: string | null = null;
  private reading: Promise<LauncherCapabilities> | null = null;

  constructor(private readonly d: LauncherCapabilityCacheDeps) {}

  /** The head node the launcher is read on. */
  get node(): string | null {
    return this.d.head;
  }

  /** The capabilities last read (null before the first successful read). Never waits. */
  current(): LauncherCapabilities | null {
    return this.caps;
  }

  /** The capabilities of the launcher as it is now; throws an AppError saying why it can't tell. */
  get(): Promise<LauncherCapabilities> {
    this.reading ??= this.read().finally(() => {
      this.reading = null;
    });
    return this.reading;
  }

  private async read(): Promise<LauncherCapabilities> {
    const head = this.d.head;
    if (!head) throw new AppError('CONFLICT', 'No vLLM node is configured, so there is no launcher to read');
    const v = await this.exec(
      head,
      versionCommand(this.d.launcherDir),
      'ask which launcher version is checked out',
    );
    const [commit = '', blob = ''] = v.stdout.trim().split('\n');
    if (v.code !== 0 || !/^[0-9a-f]{40,64}$/.test(commit) || !/^[0-9a-f]{40,64}$/.test(blob)) {
      const why = lastLine(v.stderr) || lastLine(v.stdout) || `exit code ${String(v.code)}`;
      throw new AppError(
        'SERVICE_UNAVAILABLE',
        `Cannot read the launcher in ${this.d.launcherDir} on ${head}: ${why} (is vllm.launcher_dir a checkout of spark-vllm-docker?)`,
      );
    }
    const version = `${commit}:${blob}`;
    if (this.caps && this.version === version) return this.caps;
    const help = await this.exec(head, helpCommand(this.d.launcherDir), "read the launcher's options");
    const caps = launcherCapabilities(commit, help.stdout);
    if (!caps) {
      throw new AppError(
        'SERVICE_UNAVAILABLE',
        `The launcher on ${head} (commit ${commit.slice(0, 7)}) printed no usage for --help: ${lastLine(help.stdout) || `exit code ${String(help.code)}`}`,
      );
    }
    this.caps = caps;
    this.version = version;
    return caps;
  }

  private async exec(head: string, cmd: ShellCommand, what: string) {
    try {
      return await this.d.transport.exec(head, cmd, { timeoutMs: this.d.timeoutMs ?? 20_000 });
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new AppError(isAppError(e) ? e.code : 'SERVICE_UNAVAILABLE', `Cannot ${what} on ${head}: ${why}`);
    }
  }
}
