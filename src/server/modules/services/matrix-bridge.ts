// The matrix-bridge bot (SPEC §7): Update = `git fetch && git reset --hard origin/<branch> &&
// docker compose up -d --build` in ~/matrix-bridge, run as MATRIX_BRIDGE_USER over SSH (the
// original logged in as that user directly; no sudo — the speech Spark has no passwordless sudo).
// It fails loudly before touching anything when the clone is missing or has local changes.
import type { AppConfig } from '../../config/types.js';
import { AppError, isAppError } from '../../platform/http/errors.js';
import type { JobRunnerApi } from '../../platform/jobs/types.js';
import { homePath, joinCommands, sh, type ShellCommand } from '../../platform/remote/sh.js';
import type { NodeTransport } from '../../platform/remote/transport.js';
import { validateGitBranch } from '../../platform/remote/validators.js';
import { stripAnsi } from './ansi.js';
import { readRecentLogs, type RecentLogs } from './log-stream.js';
import { MATRIX_BRIDGE, matrixBridgeDef, type ServiceDef, type ServiceRegistry } from './registry.js';
import { containerLock, type ServicesSnapshot } from './snapshot.js';

export const UPDATE_CAP_MS = 25 * 60_000;
/** Exit codes of our own checks, far from git's (1, 128) and compose's (1). */
export const EXIT_NO_CLONE = 93;
export const EXIT_DIRTY = 94;
const MARK = 'spark-control:';

export function updateCommand(branch: string): ShellCommand {
  const ref = `origin/${validateGitBranch(branch)}`;
  return joinCommands(
    [
      sh`cd ${homePath('matrix-bridge')} 2>/dev/null && git rev-parse --is-inside-work-tree >/dev/null 2>&1 || { echo ${`${MARK} ~/matrix-bridge is missing or not a git clone`}; exit ${EXIT_NO_CLONE}; }`,
      sh`dirty=$(git status --porcelain) || exit ${EXIT_NO_CLONE}`,
      sh`if [ -n "$dirty" ]; then echo ${`${MARK} ~/matrix-bridge has uncommitted changes:`}; printf '%s\\n' "$dirty"; exit ${EXIT_DIRTY}; fi`,
      sh`echo ${'-- git fetch'} && git fetch && echo ${`-- git reset --hard ${ref}`} && git reset --hard ${ref} && echo ${'-- docker compose up -d --build'} && docker compose up -d --build`,
    ],
    '\n',
  );
}

/** The failure message from the update's output and exit code (pure, tested). */
export function updateFailure(code: number | null, lines: string[], node: string, user: string): string {
  if (code === EXIT_NO_CLONE)
    return `~/matrix-bridge of ${user} on ${node} is missing or not a git clone; clone the bot's repository there first.`;
  if (code === EXIT_DIRTY) {
    const at = lines.findIndex((l) => l.includes(`${MARK} ~/matrix-bridge has uncommitted changes`));
    const files = lines
      .slice(at + 1)
      .map((l) => l.trim())
      .filter(Boolean)
      .slice(0, 20);
    return `~/matrix-bridge of ${user} on ${node} has uncommitted changes (${files.join(', ')}); commit or discard them, then update again.`;
  }
  const last =
    lines
      .map((l) => l.trim())
      .filter(Boolean)
      .at(-1) ?? 'no output';
  return `Update failed (exit ${code ?? 'killed'}): ${last}`;
}

/**
 * The failure of an update the cap stopped (pure, tested). The transport's own timeout message
 * named an internal pool entry and "1500000 ms"; the owner needs the 25-minute cap and the node.
 */
export function capFailure(capMs: number, lines: string[], node: string): string {
  const cap =
    capMs % 60_000 === 0 ? `${capMs / 60_000} min` : capMs % 1000 === 0 ? `${capMs / 1000} s` : `${capMs} ms`;
  const last = lines
    .map((l) => l.trim())
    .filter(Boolean)
    .at(-1);
  return `The update ran longer than its ${cap} cap and was stopped on ${node}${last ? ` (last output: ${last})` : ''}.`;
}

/**
 * The SSH target that runs as the bridge user: the node itself when it is the node's SSH user,
 * else a second pool entry for (host, bridge user) added by `bridgeSshNodes`.
 */
export function bridgeTransportNode(
  config: Pick<AppConfig, 'nodes' | 'matrix_bridge_user'>,
  node: string,
): string {
  const n = config.nodes.find((x) => x.name === node);
  if (!n || !config.matrix_bridge_user || n.user === config.matrix_bridge_user) return node;
  return `${node}~${config.matrix_bridge_user}`;
}

/** Extra SSH pool entries (main.ts) so Update can log in as the bridge user on the bot's node. */
export function bridgeSshNodes(
  config: Pick<AppConfig, 'nodes' | 'vllm' | 'matrix_bridge' | 'matrix_bridge_user'>,
): { name: string; host: string; port: number; user: string }[] {
  const bridgeNode = matrixBridgeDef(config)?.node;
  const n = config.nodes.find((x) => x.name === bridgeNode);
  if (!n || !config.matrix_bridge_user || n.user === config.matrix_bridge_user) return [];
  return [
    {
      name: bridgeTransportNode(config, n.name),
      host: n.host,
      port: n.ssh_port,
      user: config.matrix_bridge_user,
    },
  ];
}

export interface BridgeDeps {
  config: Pick<AppConfig, 'nodes' | 'matrix_bridge' | 'matrix_bridge_user'>;
  registry: ServiceRegistry;
  snapshot: ServicesSnapshot;
  runner: JobRunnerApi;
  transport: NodeTransport;
  nodeDown: (node: string) => string | null;
  /** How long an update may run before it is killed (default UPDATE_CAP_MS; tests shorten it). */
  updateCapMs?: number;
}

export class MatrixBridge {
  constructor(private readonly d: BridgeDeps) {}

  private def(): ServiceDef {
    const def = this.d.registry.get(MATRIX_BRIDGE);
    if (!def || def.kind !== 'bot' || !this.d.config.matrix_bridge_user)
      throw new AppError('NOT_FOUND', 'The matrix-bridge bot is not configured (set MATRIX_BRIDGE_USER).');
    return def;
  }

  update(): { job_id: string } {
    const def = this.def();
    const user = this.d.config.matrix_bridge_user ?? '';
    const down = this.d.nodeDown(def.node);
    if (down) throw new AppError('CONFLICT', `Cannot update matrix-bridge: ${down}; nothing was attempted.`);
    const branch = this.d.config.matrix_bridge.branch;
    const cmd = updateCommand(branch);
    const target = bridgeTransportNode(this.d.config, def.node);
    const job = this.d.runner.start({
      kind: 'matrix-bridge-update',
      locks: [containerLock(def)],
      title: 'an update of matrix-bridge',
      meta: { service: def.name, node: def.node, user, branch },
      run: async (ctx) => {
        ctx.setPhase('checking ~/matrix-bridge');
        ctx.log(
          `$ cd ~/matrix-bridge && git fetch && git reset --hard origin/${branch} && docker compose up -d --build   (as ${user} on ${def.node})`,
        );
        const lines: string[] = [];
        const capMs = this.d.updateCapMs ?? UPDATE_CAP_MS;
        const r = await this.d.transport
          .stream(
            target,
            cmd,
            (raw) => {
              const line = stripAnsi(raw);
              lines.push(line);
              if (lines.length > 400) lines.shift();
              if (line.startsWith('-- ')) ctx.setPhase(line.slice(3));
              ctx.log(line);
            },
            { signal: ctx.signal, timeoutMs: capMs },
          )
          .catch(async (err: unknown) => {
            // The transport's timeout closed the channel, which kills the remote command; a cancel
            // (ctx.signal) is not a timeout and keeps its own reason.
            if (!isAppError(err) || err.code !== 'TIMEOUT' || ctx.signal.aborted) throw err;
            await this.d.snapshot.refresh(def.node);
            throw new AppError('TIMEOUT', capFailure(capMs, lines, def.node));
          });
        await this.d.snapshot.refresh(def.node);
        if (r.code !== 0) throw new AppError('UPSTREAM_ERROR', updateFailure(r.code, lines, def.node, user));
        const now = this.d.snapshot.one(def.name);
        ctx.log(`matrix-bridge: docker says ${now?.docker_state ?? 'unknown'}`);
        ctx.setPhase('done');
      },
    });
    return { job_id: job.id };
  }

  async logs(tail: number): Promise<RecentLogs> {
    const def = this.def();
    const down = this.d.nodeDown(def.node);
    if (down) throw new AppError('NODE_UNREACHABLE', `Cannot read matrix-bridge's logs: ${down}`);
    return readRecentLogs(this.d.transport, def, tail);
  }
}
