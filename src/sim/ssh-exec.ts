// Runs SSH session requests in a real bash, the way sshd does without a pty: `exec` → `bash -c
// <command>`, `shell` → bash reading commands from stdin. Each command gets its own process group
// so a signal request, a closed channel or a node going down kills everything it started.
import { spawn } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import type { ServerChannel, Session } from 'ssh2';

/** Every process group a node started, so faults and stop() can kill them all. */
export class ProcessGroups {
  private readonly pgids = new Set<number>();

  add(pgid: number): void {
    this.pgids.add(pgid);
  }

  /** Signals one group; false when it no longer exists. */
  signal(pgid: number, sig: NodeJS.Signals | 0): boolean {
    try {
      process.kill(-pgid, sig);
      return true;
    } catch {
      this.pgids.delete(pgid);
      return false;
    }
  }

  killAll(): void {
    for (const pgid of [...this.pgids]) this.signal(pgid, 'SIGKILL');
  }

  /**
   * Groups that still have a running (non-zombie) process. Background jobs outlive their bash, as
   * over real SSH; killed ones may linger as zombies until init reaps them, which kill(0) can't tell.
   */
  alive(): number[] {
    const live = new Set<number>();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        // /proc/<pid>/stat: "pid (comm) state ppid pgrp …"; comm may contain spaces, so split after ')'.
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (state !== 'Z' && this.pgids.has(Number(pgrp))) live.add(Number(pgrp));
      } catch {
        // the process exited while we looked
      }
    }
    return [...live];
  }
}

export interface SessionContext {
  env: Record<string, string>;
  cwd: string;
  groups: ProcessGroups;
  /** Resolves when the node is willing to answer (latency and hang faults live here). */
  gate: () => Promise<void>;
  /** Every command that ran (past the gate) is appended here as `{"ts", "command"}` (sshd's audit log). */
  execLog?: string;
}

export function handleSession(session: Session, ctx: SessionContext): void {
  const extraEnv: Record<string, string> = {};
  let pgid: number | undefined;

  session.on('env', (accept, _reject, info) => {
    extraEnv[info.key] = info.val;
    accept?.();
  });
  session.on('pty', (_accept, reject) => reject?.());
  session.on('subsystem', (_accept, reject) => reject?.());
  session.on('sftp', (_accept, reject) => reject?.());
  session.on('signal', (accept, _reject, info) => {
    accept?.();
    const name = `SIG${info.name.replace(/^SIG/, '')}` as NodeJS.Signals;
    if (pgid !== undefined) ctx.groups.signal(pgid, name);
  });

  // Accept at once (a client may send EOF right after exec, e.g. `ssh host cmd </dev/null`, and
  // ssh2 refuses late accepts), then hold the command at the node's gate (latency, hang).
  const run = (accept: () => ServerChannel | undefined, args: string[]): void => {
    const channel = accept();
    if (!channel) return;
    let closed = false;
    channel.once('close', () => (closed = true));
    ctx.gate().then(
      () => {
        if (closed) return;
        if (ctx.execLog && args[1] !== undefined) logExec(ctx.execLog, args[1]);
        pgid = runInBash(channel, args, { ...ctx.env, ...extraEnv }, ctx);
      },
      () => channel.destroy(),
    );
  };

  session.on('exec', (accept, _reject, info) => run(accept, ['-c', info.command]));
  session.on('shell', (accept) => run(accept, []));
}

function logExec(file: string, command: string): void {
  try {
    appendFileSync(file, `${JSON.stringify({ ts: new Date().toISOString(), command })}\n`);
  } catch {
    // the simulation is stopping and its state directory is gone
  }
}

function runInBash(
  channel: ServerChannel,
  args: string[],
  env: Record<string, string>,
  ctx: SessionContext,
): number | undefined {
  const child = spawn('/bin/bash', args, { cwd: ctx.cwd, env, detached: true, stdio: 'pipe' });
  const pgid = child.pid;
  if (pgid !== undefined) ctx.groups.add(pgid);
  let exited = false;

  child.stdout.pipe(channel, { end: false });
  child.stderr.pipe(channel.stderr, { end: false });
  channel.pipe(child.stdin);
  child.stdin.on('error', () => {}); // the command may exit without reading its stdin (EPIPE)
  channel.on('error', () => {});

  child.on('error', (err) => {
    exited = true;
    channel.stderr.write(`bash: ${err.message}\n`);
    finish(127, null);
  });
  child.on('close', (code, signal) => {
    exited = true;
    // Forget the group once it is empty (signal 0 fails and drops it), so a later PID reuse can
    // never make a fault kill a process that isn't ours. Background jobs keep it registered.
    if (pgid !== undefined) ctx.groups.signal(pgid, 0);
    finish(code, signal);
  });
  channel.on('close', () => {
    child.stdout.unpipe(channel);
    child.stderr.unpipe(channel.stderr);
    if (exited || pgid === undefined) return;
    // The client hung up (or sent nothing more): stop the command like a hung-up terminal would.
    ctx.groups.signal(pgid, 'SIGTERM');
    setTimeout(() => ctx.groups.signal(pgid, 'SIGKILL'), 1000).unref();
  });

  let finished = false;
  function finish(code: number | null, signal: NodeJS.Signals | null): void {
    if (finished) return;
    finished = true;
    try {
      if (signal) channel.exit(signal.replace(/^SIG/, ''), false, '');
      else channel.exit(code ?? 0);
      channel.end();
    } catch {
      // channel already closed by the client
    }
  }
  return pgid;
}
