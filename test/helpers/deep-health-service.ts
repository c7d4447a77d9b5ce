// What the DeepHealthService tests build it from (unit tests and the integration tests that build
// their own instance): the settings every one starts from, a temp store per test, and an SSH
// transport stand-in that records commands. No simulator here, so unit tests may import it.
import { rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DeepHealthSettings } from '../../src/server/modules/deep-health/service.js';
import type { NodeTransport } from '../../src/server/platform/remote/transport.js';
import type { Db } from '../../src/server/platform/store/db.js';
import { tempStore } from './unit.js';

/** Auto-restart on, no startup grace (the first check may act), a long interval (tests run checks). */
export const DEEP_SETTINGS: DeepHealthSettings = {
  interval_s: 300,
  timeout_s: 5,
  auto_restart: true,
  max_restarts: 3,
  window_min: 30,
  cooldown_s: 120,
  startup_grace_s: 0,
};

const dirs: string[] = [];

/** A fresh store in a temp dir; `removeDeepTestDbs()` (in afterEach) removes the dir. */
export function deepTestDb(prefix: string): Db {
  const { db, dir } = tempStore(prefix);
  dirs.push(dir);
  return db;
}

// The db is left open: an auto-restart job a test did not wait for may still write its end, and
// a closed handle would turn that into an error in a later test. Removing the dir is safe on Linux.
export function removeDeepTestDbs(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** The SSH seam: records each command's text in `commands` and answers exit 0. */
export function recordingTransport(commands: string[]): NodeTransport {
  return {
    exec: async (_node: string, cmd: { text: string }) => {
      commands.push(cmd.text);
      return { code: 0, stdout: '', stderr: '' };
    },
  } as unknown as NodeTransport;
}

export interface FakeSpeechAnswer {
  status: number;
  body: string;
  delayMs?: number;
}

const OK_ANSWER: FakeSpeechAnswer = { status: 200, body: '{"text":""}' };

/**
 * A local HTTP server standing in for a speech service: its health path answers 200, every other
 * request counts as a probe and gets `answer` (set by the test; `reset()` in afterEach).
 */
export function fakeSpeechService(healthPath: string) {
  const fake = {
    base: '',
    probes: 0,
    answer: OK_ANSWER,
    reset(): void {
      fake.answer = OK_ANSWER;
    },
    start: async (): Promise<void> => {
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      fake.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
  const server = createServer((req, res) => {
    if (req.url === healthPath) return void res.writeHead(200).end('{}');
    fake.probes++;
    req.resume();
    const { status, body, delayMs } = fake.answer;
    setTimeout(() => res.writeHead(status, { 'content-type': 'application/json' }).end(body), delayMs ?? 0);
  });
  return fake;
}
