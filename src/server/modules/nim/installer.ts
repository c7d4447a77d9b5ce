// One NIM install as a job: login → pull → cache → run → ready → register, each remote step
// cancellable (the transport kills the remote command when the job's signal aborts). Every line
// logged — remote output included — passes the redactor first. A failed or cancelled install
// removes the container it created; a control-plane shutdown leaves things as the log says (the
// job is then marked interrupted on the next start, which has no recovery for this kind).
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceKind, SpeechApi } from '../../../common/services-api.js';
import { AppError, isAppError } from '../../platform/http/errors.js';
import { JobShutdown, type JobContext } from '../../platform/jobs/types.js';
import type { ShellCommand } from '../../platform/remote/sh.js';
import type { NodeTransport } from '../../platform/remote/transport.js';
import {
  cacheCommand,
  fromNgc,
  loginCommand,
  logoutCommand,
  logsTailCommand,
  pullCommand,
  removeCommand,
  runCommand,
  stateCommand,
} from './commands.js';
import { PullProgress } from './pull-progress.js';
import { redactor, type Redactor } from './redact.js';
import type { ValidInstall } from './validate.js';

/** What the services module needs to list an installed NIM (its RegisterService takes this shape). */
export interface NimServiceDef {
  name: string;
  kind: ServiceKind;
  node: string;
  port: number;
  container: string;
  api: SpeechApi | null;
}
export type RegisterService = (def: NimServiceDef) => void | Promise<void>;

export interface InstallerDeps {
  transport: NodeTransport;
  /** `http://host:port` of a port on a node, for the readiness probe. */
  baseUrl(node: string, port: number): string;
  registerService?: RegisterService;
  /** How long a NIM may take to download its model and become ready (default 30 min). */
  readyTimeoutMs?: number;
  pollMs?: number;
}

const PHASE = {
  login: 'Logging in to nvcr.io',
  pull: 'Pulling the image',
  cache: 'Preparing the cache volume',
  run: 'Starting the container',
  ready: 'Waiting for /v1/health/ready',
  register: 'Registering the service',
} as const;

const lastLine = (s: string) => s.trim().split('\n').filter(Boolean).at(-1) ?? '';

export class NimInstall {
  private readonly redact: Redactor;
  private created = false;

  constructor(
    private readonly v: ValidInstall,
    private readonly key: string,
    private readonly ctx: JobContext,
    private readonly d: InstallerDeps,
  ) {
    this.redact = redactor([key]);
  }

  private log(line: string): void {
    this.ctx.log(this.redact(line));
  }

  async run(): Promise<void> {
    try {
      await this.steps();
    } catch (err) {
      await this.afterFailure(err);
      if (isAppError(err)) throw new AppError(err.code, this.redact(err.message), { cause: err });
      throw new Error(this.redact(err instanceof Error ? err.message : String(err)), { cause: err });
    }
  }

  private async steps(): Promise<void> {
    const { v } = this;
    this.ctx.setMeta({
      image: v.image,
      container: v.container,
      node: v.node,
      port: v.port,
      volume: v.volume.value,
    });
    if (fromNgc(v.image)) {
      this.phase('login', 0.02, 'nothing is left behind');
      const r = await this.exec(loginCommand(), `${this.key}\n`);
      if (r.code !== 0)
        throw this.remoteFailure(
          'docker login nvcr.io failed',
          r.stderr || r.stdout,
          'check the NGC API key (ngc_api_key / NGC_API_KEY)',
        );
    } else this.log(`${v.image} is not on nvcr.io: no registry login`);

    this.phase('pull', 0.05, 'finished layers stay in docker’s cache and the next install reuses them');
    const progress = new PullProgress();
    const pull = await this.d.transport.stream(
      v.node,
      pullCommand(v.image),
      (line) => {
        if (progress.feed(line) === 'log') this.log(line);
        const f = progress.fraction();
        if (f !== null) this.ctx.setProgress(0.05 + 0.75 * f);
      },
      { signal: this.ctx.signal },
    );
    if (fromNgc(v.image)) await this.exec(logoutCommand()).catch(() => undefined);
    if (pull.code !== 0)
      throw this.remoteFailure(`docker pull ${v.image} failed`, pull.stderr || pull.stdout);

    this.phase('cache', 0.82, `the cache ${v.volume.value} stays (owned by uid 1000) and is reused`);
    const cache = await this.exec(cacheCommand(v));
    if (cache.code !== 0)
      throw this.remoteFailure('preparing the cache failed', cache.stderr || cache.stdout);
    this.log(`cache ${v.volume.value} is owned by uid 1000 (the user NIM containers run as)`);

    this.phase(
      'run',
      0.85,
      `container ${v.container} may be left running unregistered: remove it with "docker rm -f ${v.container}" on ${v.node} or register it`,
    );
    const run = await this.exec(runCommand(v), `${this.key}\n`);
    if (run.code !== 0) throw this.remoteFailure('docker run failed', run.stderr || run.stdout);
    this.created = true;
    this.log(`container ${v.container} started (${lastLine(run.stdout).slice(0, 12)})`);

    this.phase(
      'ready',
      0.88,
      `container ${v.container} keeps running (restart unless-stopped) but is not registered`,
    );
    await this.waitReady();

    this.phase('register', 0.98, `container ${v.container} runs but may not be listed as a service`);
    await this.register();
    this.ctx.setProgress(1);
    this.log(`${v.container} is installed and ready at ${this.d.baseUrl(v.node, v.port)}`);
  }

  private phase(key: keyof typeof PHASE, progress: number, ifInterrupted: string): void {
    this.ctx.setPhase(PHASE[key]);
    this.ctx.setProgress(progress);
    this.log(`== ${PHASE[key]} (if Spark Control stops during this step: ${ifInterrupted})`);
  }

  private async exec(cmd: ShellCommand, stdin?: string) {
    const r = await this.d.transport.exec(this.v.node, cmd, {
      signal: this.ctx.signal,
      stdin,
      timeoutMs: 600_000,
    });
    for (const line of `${r.stdout}\n${r.stderr}`.split('\n')) if (line.trim()) this.log(line);
    return r;
  }

  private remoteFailure(what: string, output: string, hint?: string): AppError {
    const detail = lastLine(output);
    return new AppError(
      'UPSTREAM_ERROR',
      `${what} on ${this.v.node}${detail ? `: ${detail}` : ''}${hint ? ` (${hint})` : ''}`,
    );
  }

  private async waitReady(): Promise<void> {
    const url = `${this.d.baseUrl(this.v.node, this.v.port)}/v1/health/ready`;
    const deadline = Date.now() + (this.d.readyTimeoutMs ?? 30 * 60_000);
    const pollMs = this.d.pollMs ?? 1000;
    let last = '';
    for (let i = 0; ; i++) {
      const status = await probe(url, this.ctx.signal);
      if (status === 200) return this.log(`${url} answered 200: ready`);
      const seen = status === null ? 'no answer yet' : `HTTP ${status}`;
      if (seen !== last) this.log(`health: ${seen}`);
      last = seen;
      if (i % 3 === 0) await this.checkContainer();
      if (Date.now() > deadline)
        throw new AppError(
          'TIMEOUT',
          `${this.v.container} did not become ready within ${Math.round((this.d.readyTimeoutMs ?? 1_800_000) / 1000)} s (last: ${seen})`,
        );
      await sleep(pollMs, undefined, { signal: this.ctx.signal });
    }
  }

  /** A container that exited (wrong key, no GPU profile for this machine…) fails at once with its last lines. */
  private async checkContainer(): Promise<void> {
    const r = await this.d.transport.exec(this.v.node, stateCommand(this.v.container), {
      signal: this.ctx.signal,
      timeoutMs: 15_000,
    });
    const state = r.stdout.trim().split(' ')[0] ?? '';
    if (r.code === 0 && state !== 'exited' && state !== 'dead') return;
    throw new AppError(
      'UPSTREAM_ERROR',
      `${this.v.container} stopped before it was ready (${r.code === 0 ? state : 'missing'})`,
    );
  }

  private async register(): Promise<void> {
    const { v } = this;
    if (!v.register) return this.log('register_service is false: not added to the services panel');
    if (!this.d.registerService)
      return this.log('no service registry is wired in: not added to the services panel');
    const api = v.kind === 'asr' || v.kind === 'tts' ? 'nim' : null;
    await this.d.registerService({
      name: v.container,
      kind: v.kind,
      node: v.node,
      port: v.port,
      container: v.container,
      api,
    });
    this.log(`registered service ${v.container} (${v.kind}) on ${v.node}:${v.port}`);
  }

  /** Explains (and on failure or cancel, undoes) what this install left on the node. */
  private async afterFailure(err: unknown): Promise<void> {
    const shutdown = this.ctx.signal.aborted && this.ctx.signal.reason instanceof JobShutdown;
    if (shutdown) {
      this.log(
        `Spark Control is stopping: the install ends here; ${this.created ? `container ${this.v.container} is left as it is on ${this.v.node}` : 'no container was created'}.`,
      );
      return;
    }
    const why = this.ctx.signal.aborted
      ? 'cancelled'
      : `failed: ${err instanceof Error ? err.message : String(err)}`;
    this.log(`install ${why}`);
    if (!this.created) return this.log('no container was created; nothing to remove');
    const signal = AbortSignal.timeout(60_000);
    try {
      const tail = await this.d.transport.exec(this.v.node, logsTailCommand(this.v.container), { signal });
      if (tail.stdout.trim()) {
        this.log(`last lines of ${this.v.container}:`);
        for (const l of tail.stdout.trim().split('\n')) this.log(`  ${l}`);
      }
      const rm = await this.d.transport.exec(this.v.node, removeCommand(this.v.container), { signal });
      this.log(
        rm.code === 0
          ? `removed container ${this.v.container}`
          : `could not remove ${this.v.container}: ${lastLine(rm.stderr)}`,
      );
    } catch (e) {
      this.log(
        `could not remove ${this.v.container} (${e instanceof Error ? e.message : String(e)}); remove it with "docker rm -f ${this.v.container}"`,
      );
    }
  }
}

/** The readiness probe's HTTP status; null when nothing answered (yet). */
async function probe(url: string, signal: AbortSignal): Promise<number | null> {
  try {
    const res = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(3000)]) });
    await res.body?.cancel();
    return res.status;
  } catch (err) {
    if (signal.aborted) throw err;
    return null;
  }
}
