// Runs the simulated cluster in its own process, so its SSH-server crypto and shell work don't
// share the measured process's event loop (on real Sparks that work happens on other machines).
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { SimNode } from '../src/sim/index.js';

export interface SimProcess {
  /** The simulator's process id (the benchmarks read its CPU time). */
  pid: number;
  nodes: SimNode[];
  vllm: { port: number; url: string };
  controlUrl: string;
  fault(path: string, body?: unknown): Promise<void>;
  stop(): Promise<void>;
}

export async function startSimProcess(o: {
  nodes: number;
  dataDir: string;
  publicKey: string;
  speed?: number;
}): Promise<SimProcess> {
  const keyFile = join(o.dataDir, 'authorized.pub');
  writeFileSync(keyFile, `${o.publicKey}\n`);
  const root = new URL('../', import.meta.url).pathname;
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'src/sim/cli.ts',
      keyFile,
      '--nodes',
      String(o.nodes),
      '--speed',
      String(o.speed ?? 0.05),
      '--data',
      join(o.dataDir, 'sim'),
      '--json',
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
  });
  const info = JSON.parse(line) as Omit<SimProcess, 'pid' | 'fault' | 'stop'>;
  // A benchmark process that dies before stop() (a control plane that failed to start) must not
  // leave the simulator running: it holds the bench's stderr open, so the bench's pipe never ends.
  const orphaned = () => child.kill('SIGTERM');
  process.once('exit', orphaned);
  child.once('exit', () => process.off('exit', orphaned));
  return {
    ...info,
    pid: child.pid!,
    async fault(path, body) {
      const r = await fetch(`${info.controlUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body ?? {}),
      });
      if (!r.ok) throw new Error(`simulator fault ${path}: HTTP ${r.status}`);
    },
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
