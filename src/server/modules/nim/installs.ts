// NIM installs that did not finish and left no card: an install cut off by a control-plane restart
// after `docker run` leaves a container running on the node that is not a service (registering is
// the install's last step), and a failed install whose cleanup could not remove its container
// leaves one too. GET /api/nim/installs lists them (with docker's view now and what to do); the
// owner registers the container as a service or removes it, each a short job under the container's
// lock, so it is also "what ran next" and the notice goes.
import type { JobInfo } from '../../../common/api.js';
import type {
  DockerState,
  NimInstallNotice,
  NimInstallsResponse,
  ServiceKind,
} from '../../../common/services-api.js';
import { AppError, isAppError } from '../../platform/http/errors.js';
import { badEndToExplain, type BadEnd } from '../../platform/jobs/last-job.js';
import type { JobContext, JobRunnerApi } from '../../platform/jobs/types.js';
import type { NodeTransport } from '../../platform/remote/transport.js';
import { inspectCommand, parseInspect } from '../services/docker-state.js';
import { describeLastJob } from '../services/last-job.js';
import { removeCommand } from './commands.js';
import { registrableName } from './validate.js';
import type { RegisterService } from './installer.js';
import { NIM_INSTALL_KIND } from './service.js';

export interface NimInstallsDeps {
  runner: JobRunnerApi;
  transport: NodeTransport;
  /** True when the container on that node is already a service (a card explains it then). */
  isService(node: string, container: string): boolean;
  registerService?: RegisterService;
  portsInUse(node: string): { port: number; owner: string }[];
  now?: () => number;
}

interface Stray {
  job: BadEnd;
  image: string;
  container: string;
  node: string;
  port: number;
  kind: ServiceKind;
}

const KINDS: ServiceKind[] = ['asr', 'tts', 'nim', 'custom'];

/** A failed install that left nothing behind is the install dialog's news, not a notice. */
export function worthANotice(state: BadEnd['state'], container: DockerState): boolean {
  return state === 'interrupted' || container !== 'missing';
}

export class NimInstalls {
  constructor(private readonly d: NimInstallsDeps) {}

  private now(): number {
    return this.d.now?.() ?? Date.now();
  }

  /** The install job if it is still the last word on its container (nothing ran since). */
  private stray(job: JobInfo): Stray | null {
    const m = job.meta;
    const [container, node, image, port] = [m.container, m.node, m.image, m.port];
    if (typeof container !== 'string' || typeof node !== 'string' || typeof port !== 'number') return null;
    const lock = `container:${node}:${container}`;
    const bad = badEndToExplain({ holder: this.d.runner.holder(lock), last: job, now: this.now() });
    const latest = this.d.runner.lastEnded(lock);
    // A register or remove of this install that failed settles nothing: the container is still there.
    const settled =
      latest !== null &&
      latest.id !== job.id &&
      !(latest.meta.install_job === job.id && latest.state !== 'succeeded');
    if (!bad || settled || this.d.isService(node, container)) return null;
    const kind = KINDS.find((k) => k === m.kind) ?? 'nim';
    return { job: bad, image: typeof image === 'string' ? image : '', container, node, port, kind };
  }

  async list(): Promise<NimInstallsResponse> {
    const strays = this.d.runner
      .list({ kind: NIM_INSTALL_KIND, limit: 50 })
      .map((j) => this.stray(j))
      .filter((s): s is Stray => s !== null);
    const states = await this.inspect(strays);
    const installs: NimInstallNotice[] = [];
    for (const s of strays) {
      const state = states.get(`${s.node} ${s.container}`) ?? 'unknown';
      if (!worthANotice(s.job.state, state)) continue;
      const { job, image, container, node, port } = s;
      installs.push({
        job: describeLastJob(job, state),
        image,
        container,
        node,
        port,
        container_state: state,
      });
    }
    return { installs };
  }

  /** One `docker inspect` per node for all its strays; a node that does not answer makes them unknown. */
  private async inspect(strays: Stray[]): Promise<Map<string, DockerState>> {
    const byNode = new Map<string, string[]>();
    for (const s of strays) byNode.set(s.node, [...(byNode.get(s.node) ?? []), s.container]);
    const out = new Map<string, DockerState>();
    await Promise.all(
      [...byNode].map(async ([node, containers]) => {
        try {
          const r = await this.d.transport.exec(node, inspectCommand(containers), { timeoutMs: 8000 });
          for (const [c, st] of parseInspect(containers, r)) out.set(`${node} ${c}`, st.state);
        } catch {
          // unknown: said so in the notice, never guessed
        }
      }),
    );
    return out;
  }

  private require(id: string): Stray {
    const job = this.d.runner.get(id);
    if (!job || job.kind !== NIM_INSTALL_KIND)
      throw new AppError('NOT_FOUND', `No NIM install job with id ${id}.`);
    const stray = this.stray(job);
    if (!stray)
      throw new AppError(
        'CONFLICT',
        `Install ${id} has nothing left to settle: it finished, something ran on its container since, or the container is a service already.`,
      );
    return stray;
  }

  /** Adds the container as a service (a card); 409 when its port is now another service's. */
  async register(id: string): Promise<{ job: JobInfo; service: string }> {
    const s = this.require(id);
    const register = this.d.registerService;
    if (!register) throw new AppError('NOT_FOUND', 'This server has no service registry to add it to.');
    registrableName(s.container, 'container'); // before the job: a refusal leaves the notice as it was
    const taken = this.d.portsInUse(s.node).find((p) => p.port === s.port);
    if (taken)
      throw new AppError(
        'CONFLICT',
        `Port ${s.port} on ${s.node} is used by ${taken.owner}; remove the container instead.`,
      );
    // Asked before the job: a refusal here leaves the notice as it was.
    const state = await this.stateOf(s);
    if (state === 'missing')
      throw new AppError(
        'CONFLICT',
        `There is no container ${s.container} on ${s.node} any more; install it again.`,
      );
    const job = await this.runJob(
      s,
      'nim-register',
      `registering ${s.container} as a service`,
      [`port:${s.node}:${s.port}`],
      async (ctx) => {
        const api = s.kind === 'asr' || s.kind === 'tts' ? 'nim' : null;
        await register({
          name: s.container,
          kind: s.kind,
          node: s.node,
          port: s.port,
          container: s.container,
          api,
        });
        ctx.log(`registered service ${s.container} (${s.kind}) on ${s.node}:${s.port}; docker says ${state}`);
      },
    );
    return { job, service: s.container };
  }

  /** `docker rm -f` of the container the install left (a container already gone is fine). */
  async remove(id: string): Promise<{ job: JobInfo }> {
    const s = this.require(id);
    const job = await this.runJob(s, 'nim-remove', `removing ${s.container}`, [], async (ctx) => {
      ctx.log(`$ docker rm -f ${s.container}   (on ${s.node})`);
      const r = await this.d.transport.exec(s.node, removeCommand(s.container), {
        signal: ctx.signal,
        timeoutMs: 60_000,
      });
      const said = `${r.stdout}\n${r.stderr}`.trim();
      if (said) ctx.log(said);
      if (r.code !== 0 && !/No such container/i.test(r.stderr))
        throw new AppError(
          'UPSTREAM_ERROR',
          `docker rm -f ${s.container} failed on ${s.node}: ${said || `exit ${r.code ?? 'killed'}`}`,
        );
      ctx.log(`container ${s.container} is gone from ${s.node}`);
    });
    return { job };
  }

  private async stateOf(s: Stray): Promise<DockerState> {
    const r = await this.d.transport.exec(s.node, inspectCommand([s.container]), { timeoutMs: 15_000 });
    return parseInspect([s.container], r).get(s.container)?.state ?? 'unknown';
  }

  /**
   * A short job under the container's lock (so it is what ran next), awaited: its own refusal
   * (an AppError) is answered as is, anything else as the job's error.
   */
  private async runJob(
    s: Stray,
    kind: string,
    title: string,
    extraLocks: string[],
    work: (ctx: JobContext) => Promise<void>,
  ): Promise<JobInfo> {
    let thrown: unknown = null;
    const handle = this.d.runner.start({
      kind,
      locks: [`container:${s.node}:${s.container}`, ...extraLocks],
      title,
      meta: { container: s.container, node: s.node, port: s.port, install_job: s.job.id },
      run: async (ctx) => {
        ctx.setPhase(title);
        await work(ctx).catch((err: unknown) => {
          thrown = err;
          throw err;
        });
      },
    });
    const job = await handle.done;
    if (job.state === 'succeeded') return job;
    if (isAppError(thrown)) throw thrown;
    throw new AppError('UPSTREAM_ERROR', job.error ?? `${title} did not finish (${job.state})`, {
      details: { job },
    });
  }
}
