// The "docker daemon" of one simulated node: container records, their state transitions (with
// realistic, speed-scaled delays), their logs, and the GPU processes they put on the node. Every
// change is written to the node's state dir, where the docker and nvidia-smi shims read it.
import { randomBytes, randomInt } from 'node:crypto';
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type ContainerStatus,
  type ContainerView,
  dockerTime,
  inspectObject,
  inspectText,
  recordEnv,
} from './docker-render.js';
import { sleep, writeAtomic } from './fsutil.js';

export interface ContainerSpec {
  name: string;
  image: string;
  command: string[];
  network?: string;
  ports?: string;
  restartPolicy?: string;
  privileged?: boolean;
  binds?: string[];
  env?: string[];
  /** The GPU process this container runs; mib() may be 0 (e.g. vllm_node idling with no model). */
  gpu?: { process: string; mib: () => number };
  /** `docker run --rm`: the record is removed once the container stops. */
  autoRemove?: boolean;
  /** The image's id when the container was created (defaults to the image name's id). */
  imageId?: string;
  /** Exit code after `docker stop` (137 when PID 1 ignores SIGTERM and gets SIGKILLed). */
  stopExitCode?: number;
  stopDelayMs?: number;
  startDelayMs?: number;
  /** Called when the container starts / stops, for services that live inside it (awaited). */
  onStart?: () => void | Promise<void>;
  onStop?: () => void | Promise<void>;
}

interface Container extends ContainerView {
  spec: ContainerSpec;
  gpuPid: number;
  queue: Promise<unknown>;
  /** Process groups started in the container (`docker exec -d`), killed when it stops. */
  procs: Set<number>;
}

export interface ImageRecord {
  name: string;
  id: string;
  created: Date;
  sizeBytes: number;
}

export class NodeContainers {
  private readonly containers = new Map<string, Container>();
  private readonly images = new Map<string, ImageRecord>();
  /** Set when the simulation stops: operations still in flight must not write into a removed dir. */
  private closed = false;

  constructor(
    private readonly stateDir: string,
    private readonly hostname: string,
    private readonly speed: number,
  ) {
    mkdirSync(join(stateDir, 'logs'), { recursive: true });
  }

  /** Adds a container that has been running since `startedAt`, with its earlier log lines. */
  add(spec: ContainerSpec, startedAt: Date, log: string[] = []): void {
    this.containers.set(spec.name, this.record(spec, startedAt, 'running'));
    writeFileSync(this.logPath(spec.name), '');
    this.log(spec.name, log, startedAt);
    const c = this.containers.get(spec.name);
    if (c) this.write(c);
    this.writeIndex();
  }

  /** `docker run -d`: creates and starts a container; false when the name is taken. */
  async run(spec: ContainerSpec): Promise<{ ok: true; id: string } | { ok: false; conflict: string }> {
    const existing = this.containers.get(spec.name);
    if (existing) return { ok: false, conflict: existing.id };
    const c = this.record(spec, null, 'created');
    c.created = new Date();
    this.containers.set(spec.name, c);
    writeFileSync(this.logPath(spec.name), '');
    this.write(c);
    this.writeIndex();
    await this.start(c);
    return { ok: true, id: c.id };
  }

  private record(spec: ContainerSpec, startedAt: Date | null, status: ContainerStatus): Container {
    return {
      spec,
      name: spec.name,
      id: randomBytes(32).toString('hex'),
      image: spec.image,
      imageId: spec.imageId,
      autoRemove: spec.autoRemove ?? false,
      command: spec.command,
      status,
      // Created a couple of days before it last started; later additions count as older.
      created: new Date((startedAt ?? new Date()).getTime() - 86_400_000 * 2 - this.containers.size * 60_000),
      startedAt,
      finishedAt: null,
      exitCode: 0,
      pid: randomInt(2000, 60000),
      gpuPid: randomInt(60000, 400000),
      restarts: 0,
      network: spec.network ?? 'host',
      ports: spec.ports ?? '',
      restartPolicy: spec.restartPolicy ?? 'no',
      privileged: spec.privileged ?? false,
      gpus: spec.gpu !== undefined,
      binds: spec.binds ?? [],
      env: spec.env ?? ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      queue: Promise.resolve(),
      procs: new Set(),
    };
  }

  has(name: string): boolean {
    return this.containers.has(name);
  }

  status(name: string): ContainerStatus | undefined {
    return this.containers.get(name)?.status;
  }

  list(): { name: string; image: string; status: ContainerStatus; startedAt: string }[] {
    return [...this.containers.values()].map((c) => ({
      name: c.name,
      image: c.image,
      status: c.status,
      startedAt: dockerTime(c.startedAt),
    }));
  }

  /** The container's bind mounts (`host:container[:opts]`), or undefined when there is no such container. */
  binds(name: string): readonly string[] | undefined {
    return this.containers.get(name)?.binds;
  }

  logPath(name: string): string {
    return join(this.stateDir, 'logs', `${name}.log`);
  }

  /** Appends lines to a container's stdout log, stamped the way `docker logs -t` shows them. */
  log(name: string, lines: string[], at = new Date()): void {
    if (lines.length === 0 || this.closed || !this.containers.has(name)) return;
    const ts = dockerTime(at);
    appendFileSync(this.logPath(name), lines.map((l) => `${ts} ${l}\n`).join(''));
  }

  /** start/stop/restart; false when there is no such container. Operations on one container queue up. */
  async op(name: string, op: 'start' | 'stop' | 'restart'): Promise<boolean> {
    const c = this.containers.get(name);
    if (!c) return false;
    const run = async (): Promise<void> => {
      if (op === 'restart') return this.restart(c);
      if (op !== 'start') await this.stop(c);
      // A --rm container is gone once stopped; restart finds nothing to start.
      if (op !== 'stop' && this.containers.get(c.name) === c) await this.start(c);
    };
    const next = c.queue.then(run, run);
    c.queue = next.catch(() => {});
    await next;
    return true;
  }

  /** `docker rm [-f]`: 'running' when it still runs and force is off. */
  async remove(name: string, force: boolean): Promise<'ok' | 'missing' | 'running'> {
    const c = this.containers.get(name);
    if (!c) return 'missing';
    if (c.status === 'running' && !force) return 'running';
    if (c.status === 'running') {
      this.killProcs(c);
      c.status = 'exited';
      await c.spec.onStop?.();
    }
    this.drop(c);
    return 'ok';
  }

  /** Registers a process group started in a running container (killed when it stops). */
  addProc(name: string, pgid: number): boolean {
    const c = this.containers.get(name);
    if (!c || c.status !== 'running') return false;
    c.procs.add(pgid);
    this.writeProcs(c);
    return true;
  }

  /** `<name>.procs`: the container's process groups (session ids), which `docker top` lists. */
  private writeProcs(c: Container): void {
    if (this.closed) return;
    writeAtomic(
      join(this.stateDir, 'containers', `${c.name}.procs`),
      [...c.procs].map((p) => `${p}\n`).join(''),
    );
  }

  private killProcs(c: Container): void {
    for (const pgid of c.procs) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    c.procs.clear();
    this.writeProcs(c);
  }

  private drop(c: Container): void {
    this.containers.delete(c.name);
    const dir = join(this.stateDir, 'containers');
    for (const f of [
      `${c.name}.inspect.json`,
      `${c.name}.inspect.min.json`,
      `${c.name}.env`,
      `${c.name}.procs`,
    ]) {
      rmSync(join(dir, f), { force: true });
    }
    rmSync(this.logPath(c.name), { force: true });
    this.writeIndex();
    this.refreshGpu();
  }

  private async stop(c: Container): Promise<void> {
    if (c.status !== 'running') return;
    await sleep((c.spec.stopDelayMs ?? 600) * this.speed);
    if (this.containers.get(c.name) !== c || c.status !== 'running') return;
    c.status = 'exited';
    c.exitCode = c.spec.stopExitCode ?? 0;
    c.finishedAt = new Date();
    this.killProcs(c);
    await c.spec.onStop?.();
    if (c.autoRemove) return this.drop(c);
    this.write(c);
    this.refreshGpu();
  }

  /**
   * `docker restart`, as dockerd does it: a stop (the container shows `exited` meanwhile) then a
   * start with a new StartedAt. RestartCount is NOT raised: docker counts only restarts its restart
   * policy makes, never a manual one (`restarting` is that policy's state, too).
   */
  private async restart(c: Container): Promise<void> {
    if (c.status === 'running') await this.stop(c);
    // A --rm container is gone once stopped; restart finds nothing to start.
    if (this.containers.get(c.name) === c) await this.start(c);
  }

  private async start(c: Container): Promise<void> {
    if (c.status === 'running') return;
    await sleep((c.spec.startDelayMs ?? 300) * this.speed);
    c.status = 'running';
    c.exitCode = 0;
    c.startedAt = new Date();
    c.pid = randomInt(2000, 60000);
    c.gpuPid = randomInt(60000, 400000);
    this.write(c);
    await c.spec.onStart?.();
    this.refreshGpu();
  }

  close(): void {
    this.closed = true;
    for (const c of this.containers.values()) this.killProcs(c);
  }

  /** Images on this node (`docker images`, `docker image inspect`), written to state/images. */
  setImage(img: ImageRecord): void {
    this.images.set(img.name, img);
    if (this.closed) return;
    const lines = [...this.images.values()].map(
      (i) => `${i.name}\t${i.id}\t${Math.floor(i.created.getTime() / 1000)}\t${i.sizeBytes}\n`,
    );
    writeAtomic(join(this.stateDir, 'images'), lines.join(''));
  }

  image(name: string): ImageRecord | undefined {
    return this.images.get(name.replace(/:latest$/, ''));
  }

  /** An image by id (`docker tag` gives a second name to the same image, size included). */
  imageById(id: string): ImageRecord | undefined {
    return [...this.images.values()].find((i) => i.id === id);
  }

  /** Rewrites `gpu-procs` (pid, process name, MiB) from the running containers' GPU use. */
  refreshGpu(): void {
    if (this.closed) return;
    const lines: string[] = [];
    for (const c of this.containers.values()) {
      const mib = c.status === 'running' && c.spec.gpu ? Math.round(c.spec.gpu.mib()) : 0;
      if (mib > 0 && c.spec.gpu) lines.push(`${c.gpuPid}\t${c.spec.gpu.process}\t${mib}\n`);
    }
    writeAtomic(join(this.stateDir, 'gpu-procs'), lines.join(''));
  }

  private write(c: Container): void {
    if (this.closed) return;
    const dir = join(this.stateDir, 'containers');
    writeAtomic(join(dir, `${c.name}.inspect.json`), inspectText(c, this.hostname));
    writeAtomic(join(dir, `${c.name}.inspect.min.json`), JSON.stringify(inspectObject(c, this.hostname)));
    writeAtomic(join(dir, `${c.name}.env`), recordEnv(c));
  }

  private writeIndex(): void {
    const newestFirst = [...this.containers.values()].sort(
      (a, b) => b.created.getTime() - a.created.getTime(),
    );
    writeAtomic(join(this.stateDir, 'containers', 'index'), newestFirst.map((c) => `${c.name}\n`).join(''));
  }
}
