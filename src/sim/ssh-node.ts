// One simulated Spark's sshd. We own the TCP listener (and hand accepted sockets to ssh2 with
// injectSocket) so faults act where a real outage would: "down" refuses connections and drops
// open ones, "hang" accepts TCP but never speaks SSH, latency delays each command's start.
import { EventEmitter, once } from 'node:events';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import ssh2 from 'ssh2';
import type { Connection } from 'ssh2';
import { sleep } from './fsutil.js';
import type { KeyChecker } from './host-key.js';
import { handleSession, ProcessGroups } from './ssh-exec.js';

export interface SshNodeOptions {
  name: string;
  user: string;
  hostKey: string;
  checkKey: KeyChecker;
  home: string;
  env: Record<string, string>;
}

export class SshNode {
  readonly groups = new ProcessGroups();
  port = 0;
  up = false;
  hung = false;
  latencyMs = 0;
  private listener: NetServer | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly held = new Set<Socket>();
  private readonly events = new EventEmitter();
  private readonly ssh: InstanceType<typeof ssh2.Server>;

  constructor(private readonly opts: SshNodeOptions) {
    this.ssh = new ssh2.Server({ hostKeys: [opts.hostKey] }, (client) => this.onClient(client));
    this.ssh.on('error', () => {});
  }

  get name(): string {
    return this.opts.name;
  }

  /** Listens on 127.0.0.1; the first call picks an ephemeral port, later calls reuse it. */
  async listen(): Promise<void> {
    if (this.listener) return;
    const listener = createServer((socket) => this.onSocket(socket));
    this.listener = listener;
    listener.listen(this.port, '127.0.0.1');
    await once(listener, 'listening');
    const addr = listener.address();
    if (addr && typeof addr === 'object') this.port = addr.port;
    this.up = true;
  }

  /** The machine drops off the network: refuse new connections, cut open ones, kill its commands. */
  async down(): Promise<void> {
    this.up = false;
    const listener = this.listener;
    this.listener = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.held.clear();
    this.groups.killAll();
    if (listener) await new Promise<void>((resolve) => listener.close(() => resolve()));
  }

  setHang(on: boolean): void {
    this.hung = on;
    if (on) return;
    // A frozen machine that recovers carries on with the handshakes it had accepted.
    for (const socket of this.held) if (!socket.destroyed) this.ssh.injectSocket(socket);
    this.held.clear();
    this.events.emit('unhang');
  }

  /** Waits out a hang and the configured latency before a command may start. */
  private async gate(): Promise<void> {
    while (this.hung) await once(this.events, 'unhang');
    if (!this.up) throw new Error('node down');
    if (this.latencyMs > 0) await sleep(this.latencyMs);
  }

  private onSocket(socket: Socket): void {
    socket.setNoDelay(true);
    this.sockets.add(socket);
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.held.delete(socket);
    });
    socket.on('error', () => {});
    if (this.hung) this.held.add(socket);
    else this.ssh.injectSocket(socket);
  }

  private onClient(client: Connection): void {
    client.on('error', () => {});
    client.on('authentication', (ctx) => {
      if (ctx.method === 'publickey' && ctx.username === this.opts.user && this.opts.checkKey(ctx))
        ctx.accept();
      else ctx.reject(['publickey']);
    });
    client.on('ready', () => {
      client.on('session', (accept) => {
        handleSession(accept(), {
          env: this.opts.env,
          cwd: this.opts.home,
          groups: this.groups,
          gate: () => this.gate(),
          execLog: this.opts.env.SIM_STATE ? `${this.opts.env.SIM_STATE}/ssh-exec.jsonl` : undefined,
        });
      });
    });
  }

  async close(): Promise<void> {
    this.setHang(false);
    await this.down();
  }
}
