// The processes of the gateway benchmark (bench/gateway.ts) and how their CPU time is read:
// nginx (Debian's, installed when missing), the control plane (bench/gateway-server.ts), the load
// generator (bench/gateway-load.ts) and a CPU hog for the busy-machine round.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { StreamResult } from './gateway-load.js';
import { productionBuild } from './production-build.js';

export const NGINX = '/usr/sbin/nginx';
const ROOT = new URL('../', import.meta.url).pathname;

export function ensureNginx(): { installed: boolean } {
  if (existsSync(NGINX)) return { installed: false };
  console.log(`${NGINX} is missing: installing Debian's nginx (apt-get update; apt-get install -y nginx)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'nginx']]) {
    const r = spawnSync('apt-get', args, { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (r.status !== 0) {
      throw new Error(
        `apt-get ${args.join(' ')} failed (${r.status}): ${(r.stderr || r.stdout).slice(-2000)}`,
      );
    }
  }
  if (!existsSync(NGINX)) throw new Error(`apt-get install nginx finished but ${NGINX} is still missing`);
  console.log(`installed ${nginxVersion()}`);
  return { installed: true };
}

export const nginxVersion = (): string =>
  spawnSync(NGINX, ['-v'], { encoding: 'utf8' })
    .stderr.trim()
    .replace(/^nginx version: /, '');

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** User + system CPU seconds of one process (all its threads), from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  const { user, sys } = cpuSplit(pid);
  return user + sys;
}

/** User and system CPU seconds of one process (all its threads), from /proc/<pid>/stat. */
export function cpuSplit(pid: number): { user: number; sys: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) / CLOCK_TICKS, sys: Number(fields[12]) / CLOCK_TICKS };
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(Number(name));
    } catch {
      // The process ended while the list was read.
    }
  }
  return out;
}

/** Pins every thread of `pid` to `cpus` (a taskset list such as "0" or "0-1"). */
export function pin(pid: number, cpus: string): void {
  const r = spawnSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`taskset -a -p -c ${cpus} ${pid} failed: ${r.stderr}`);
}

export const hasTaskset = (): boolean => spawnSync('taskset', ['-V']).status === 0;

/** A busy loop in its own process on CPU `cpu` (the busy-machine round). */
export async function startHog(cpu: string) {
  const loop = 'for (;;) {}';
  const child = hasTaskset()
    ? spawn('taskset', ['-c', cpu, process.execPath, '-e', loop], { stdio: 'ignore' })
    : spawn(process.execPath, ['-e', loop], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 100));
  if (child.exitCode !== null) throw new Error(`the CPU hog exited with ${child.exitCode}`);
  return {
    pid: child.pid!,
    async stop() {
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    },
  };
}

async function freePort(): Promise<number> {
  const s = createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const addr = s.address();
  const port = addr && typeof addr === 'object' ? addr.port : 0;
  await new Promise((r) => s.close(r));
  return port;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(t);
}

/** nginx (one worker) as a child process, configured in its own temp dir, in front of `upstreamPort`. */
export async function startNginx(upstreamPort: number) {
  const dir = mkdtempSync(join(tmpdir(), 'sc-bench-nginx-'));
  // Run as root, nginx's workers drop to an unprivileged user, which must reach the temp paths.
  chmodSync(dir, 0o755);
  for (const d of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, d));
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `# Written by bench/gateway-procs.ts: a plain streaming reverse proxy in front of the fake vLLM.
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  keepalive_timeout 65s;
  keepalive_requests 1000000;
  upstream vllm {
    server 127.0.0.1:${upstreamPort};
    keepalive 512;
    keepalive_requests 1000000;
    # The fake vLLM (like uvicorn) drops idle connections after 5 s; release ours first.
    keepalive_timeout 4s;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://vllm;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
      proxy_cache off;
      proxy_read_timeout 1h;
    }
  }
}
`,
  );
  const child = spawn(NGINX, ['-p', `${dir}/`, '-c', conf, '-e', join(dir, 'error.log')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}: ${stderr}`);
    try {
      await fetch(`${url}/v1/models`);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`nginx did not start listening: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  // The master only supervises; the one worker does all the proxying.
  const workers = childrenOf(child.pid!);
  if (workers.length !== 1) throw new Error(`expected one nginx worker, found ${workers.length}`);
  return {
    url,
    workerPid: workers[0]!,
    async stop() {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The control plane (and through it the simulator) in its own process; see gateway-server.ts. */
export async function startControlPlane(o: {
  tokenDelayMs: number;
  cpuProfDir?: string;
  root?: string;
  /** More environment for the server (SPARK_GATEWAY_FAST_PATH=0: every request through Fastify). */
  env?: Record<string, string>;
  /** The sources through tsx instead of the production build (also GATEWAY_BENCH_SOURCE=src). */
  fromSources?: boolean;
}) {
  const flags = o.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${o.cpuProfDir}`] : [];
  // The V8 flags `npm start` gives the server (each checkout's scripts/node-flags.json, so a
  // baseline runs as it would in production), or GATEWAY_BENCH_CP_FLAGS ("" for none) for this
  // checkout's control plane only — to compare flags side by side against a baseline.
  const env = process.env.GATEWAY_BENCH_CP_FLAGS;
  const flagsFile = join(o.root ?? ROOT, 'scripts/node-flags.json');
  const serverFlags =
    env !== undefined && !o.root
      ? env.split(' ')
      : existsSync(flagsFile)
        ? (JSON.parse(readFileSync(flagsFile, 'utf8')) as string[])
        : [];
  flags.push(...serverFlags.filter(Boolean));
  // The production build, as `npm start` runs it (GATEWAY_BENCH_SOURCE=src: the sources through tsx).
  const child = spawn(
    process.execPath,
    [
      ...flags,
      '--import',
      'tsx',
      'bench/gateway-server.ts',
      String(o.tokenDelayMs),
      ...(o.fromSources || process.env.GATEWAY_BENCH_SOURCE === 'src'
        ? []
        : [productionBuild(o.root ?? ROOT)]),
    ],
    { cwd: o.root ?? ROOT, stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ...o.env } },
  );
  const exited = once(child, 'exit');
  const line = await new Promise<string>((resolve, reject) => {
    // The first JSON line is the answer; anything else (V8's --trace-gc lines) goes to stderr.
    createInterface({ input: child.stdout! }).on('line', (l) => {
      if (l.startsWith('{')) resolve(l);
      else process.stderr.write(`control plane: ${l}\n`);
    });
    child.once('exit', (code) => reject(new Error(`the control plane exited with ${code}`)));
  });
  const info = JSON.parse(line) as { pid: number; gatewayUrl: string; vllmUrl: string; vllmPid: number };
  return {
    ...info,
    /** Asks for a clean exit (the profile is written then), killing it if that takes too long. */
    async stop() {
      if (child.exitCode !== null) return;
      child.stdin!.end('stop\n');
      const t = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(t);
    },
  };
}

export interface LoadJob {
  url: string;
  body: string;
  concurrency: number;
  perWorker: number;
  warm?: boolean;
  staggerMs?: number;
}

/** The load generator process: one job at a time, one JSON answer line per job. */
export function startLoadGen() {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'bench/gateway-load.ts'], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  let nextId = 0;
  return {
    pid: child.pid!,
    async run(job: LoadJob) {
      const id = nextId++;
      child.stdin!.write(`${JSON.stringify({ id, ...job })}\n`);
      const { value, done } = await lines.next();
      if (done) throw new Error('load generator exited');
      const out = JSON.parse(value as string) as { id: number; wallMs: number; streams: StreamResult[] };
      if (out.id !== id) throw new Error(`load generator answered job ${out.id}, expected ${id}`);
      return out;
    },
    async stop() {
      const exited = once(child, 'exit');
      child.stdin!.end();
      await exited;
    },
  };
}

/** The minimal Node pass-through (bench/gateway-raw-relay.ts) in front of `upstream`: the floor. */
export async function startRawRelay(
  upstream: string,
  mode: 'http' | 'undici' | 'framed' | 'dispatch' | 'splice',
) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/gateway-raw-relay.ts', upstream, mode], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    // The first JSON line is the answer; anything else (V8's --trace-gc lines) goes to stderr.
    createInterface({ input: child.stdout! }).on('line', (l) => {
      if (l.startsWith('{')) resolve(l);
      else process.stderr.write(`control plane: ${l}\n`);
    });
    child.once('exit', (code) => reject(new Error(`the raw relay exited with ${code}`)));
  });
  const info = JSON.parse(line) as { pid: number; url: string };
  return { ...info, stop: () => stopChild(child) };
}
