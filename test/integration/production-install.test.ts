// The production file layout packaging/Dockerfile relies on: package files + the built dist/ (without
// dist/sim, which the image leaves out) + assets/ and overlays/, production dependencies only. The
// server must start from that alone — no dev dependency, no simulator — and say no Sparks are
// configured instead of crashing. Needs `npm run build` first (`npm test` builds before this runs).
//
// better-sqlite3 is native. `npm ci` runs its install script: prebuild-install (a GitHub download,
// unreachable here), then node-gyp compiling SQLite from source — 7 minutes on this machine. The
// image's deps stage does exactly that; this test installs with --ignore-scripts (~50 s from the
// npm cache) and copies the binary the repository's own install already compiled from the same
// locked version. Everything else is what `npm ci --omit=dev` gives.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/harness.js';

const root = new URL('../../', import.meta.url).pathname;
const INSTALL_TIMEOUT_MS = 600_000;

describe('production install (npm ci --omit=dev, dist/ without the simulator)', () => {
  let dir = '';
  let server: ChildProcess | null = null;
  let out = '';
  let url = '';

  beforeAll(async () => {
    if (!existsSync(join(root, 'dist/server/main.js')) || !existsSync(join(root, 'dist/web/index.html')))
      throw new Error('dist/ is missing: run `npm run build` first');
    dir = mkdtempSync(join(tmpdir(), 'sc-prod-'));
    for (const f of ['package.json', 'package-lock.json']) cpSync(join(root, f), join(dir, f));
    for (const d of ['assets', 'overlays']) cpSync(join(root, d), join(dir, d), { recursive: true });
    cpSync(join(root, 'dist'), join(dir, 'dist'), {
      recursive: true,
      filter: (src) => !src.startsWith(join(root, 'dist/sim')),
    });
    const npm = spawnSync(
      'npm',
      ['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'],
      // No NODE_ENV=test or developer npm settings leak in beyond what npm needs to find its cache.
      {
        cwd: dir,
        encoding: 'utf8',
        timeout: INSTALL_TIMEOUT_MS,
        env: { ...process.env, NODE_ENV: 'production' },
      },
    );
    if (npm.status !== 0) throw new Error(`npm ci failed: ${npm.stderr || npm.error?.message}`);
    const release = 'node_modules/better-sqlite3/build/Release';
    cpSync(join(root, release, 'better_sqlite3.node'), join(dir, release, 'better_sqlite3.node'));
    // The native stream pump, as the image's build stage ships it (built by the repository's npm ci).
    const pump = 'build/Release/splice_relay.node';
    cpSync(join(root, pump), join(dir, pump));

    server = spawn(process.execPath, [join(dir, 'dist/server/main.js')], {
      cwd: dir,
      // A clean environment, as in the image: no SPARK*/config variables from the developer.
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        TMPDIR: dir,
        NODE_ENV: 'production',
        DATA_DIR: join(dir, 'data'),
        PORT: '0',
        HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    server.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor(() => {
      if (server?.exitCode !== null) throw new Error(`server exited: ${out}`);
      url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1] ?? '';
      return url;
    }, 30_000);
  }, INSTALL_TIMEOUT_MS + 60_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server?.once('exit', r));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('installs no dev dependency and no simulator', () => {
    const modules = join(dir, 'node_modules');
    for (const dev of [
      'vitest',
      'vite',
      'eslint',
      'prettier',
      'tsx',
      'playwright-core',
      '@start9labs/start-sdk',
    ])
      expect(existsSync(join(modules, dev)), dev).toBe(false);
    // (typescript does arrive: @qdrant/js-client-rest declares it a required peer dependency.)
    expect(existsSync(join(modules, 'fastify'))).toBe(true);
    expect(existsSync(join(dir, 'dist/sim'))).toBe(false);
  });

  it('starts with no Sparks and no simulator, answers /api/meta and says where to configure', async () => {
    const res = await fetch(`${url}/api/meta`);
    expect(res.status).toBe(200);
    const meta = (await res.json()) as { simulated: boolean; nodes: unknown[]; version: string };
    expect(meta).toMatchObject({ simulated: false, nodes: [] });
    expect(meta.version).toBe(
      (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version,
    );
    expect(out).toContain('No Sparks are configured');
    expect(out).toContain('Settings');
    expect(out).not.toContain('simulated cluster)');
    // The image's pump loads from build/Release beside dist/ (native-relay.ts).
    expect(out).toContain('tokens carried by the native stream pump');
  });

  it('serves the dashboard and the control plane public key from the data directory', async () => {
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    const key = await fetch(`${url}/api/ssh/public-key`);
    expect(key.status).toBe(200);
    expect(JSON.stringify(await key.json())).toContain('ssh-ed25519 ');
  });
});

/** Dockerfile instructions (continuations joined, comments dropped), grouped by build stage. */
function dockerStages(text: string) {
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const stages: { name: string; instructions: { op: string; args: string }[] }[] = [];
  for (const line of lines) {
    const [, op = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    if (op.toUpperCase() === 'FROM')
      stages.push({ name: /\bAS\s+(\S+)/i.exec(args)?.[1] ?? '', instructions: [] });
    stages.at(-1)?.instructions.push({ op: op.toUpperCase(), args });
  }
  return stages;
}

// No Docker engine here and no hadolint (not in Debian; its npm and PyPI wrappers download the
// binary from GitHub): the image's key properties are checked on the file itself.
describe('packaging/Dockerfile', () => {
  const text = readFileSync(join(root, 'packaging/Dockerfile'), 'utf8');
  const stages = dockerStages(text);
  const runtime = stages.at(-1)!;
  const ops = (op: string) => runtime.instructions.filter((i) => i.op === op);

  it('builds in stages and ships a Node 20 slim runtime without a compiler', () => {
    expect(stages.map((s) => s.name)).toEqual(['build', 'deps', 'runtime']);
    expect(text).toMatch(/ARG NODE_IMAGE=node:20-bookworm-slim/);
    const runtimeRuns = ops('RUN')
      .map((i) => i.args)
      .join(' ');
    expect(runtimeRuns).toContain('ffmpeg');
    expect(runtimeRuns).not.toMatch(/\bg\+\+|\bmake\b|openssh-client|npm (ci|install)/);
    // What the production-install test above copies is what the image ships.
    const ships = stages[0]!.instructions.find((i) => i.op === 'RUN' && i.args.includes('/out'))?.args ?? '';
    for (const part of [
      'dist',
      'assets',
      'overlays',
      'package.json',
      'package-lock.json',
      'splice_relay.node',
    ])
      expect(ships).toContain(part);
    expect(ships).toMatch(/WITH_SIMULATOR.*rm -rf \/out\/dist\/sim/);
    expect(ops('COPY').map((i) => i.args)).toEqual([
      '--from=deps /app/node_modules ./node_modules',
      '--from=build /out/ ./',
    ]);
  });

  it('runs as a non-root user with the /data volume, port 9999 and a healthcheck on /api/meta', () => {
    const users = ops('USER').map((i) => i.args);
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
    expect(ops('VOLUME').map((i) => i.args)).toEqual(['["/data"]']);
    expect(
      ops('ENV')
        .map((i) => i.args)
        .join(' '),
    ).toContain('DATA_DIR=/data');
    expect(ops('EXPOSE').map((i) => i.args)).toEqual(['9999']);
    const health = ops('HEALTHCHECK').map((i) => i.args);
    expect(health).toHaveLength(1);
    expect(health[0]).toMatch(/CMD \["node", "-e", ".*\/api\/meta/);
    expect(ops('CMD').map((i) => i.args)[0]).toContain('dist/server/main.js');
  });

  it('puts no secret in ENV or ARG and keeps local data out of the build context', () => {
    const declared = stages
      .flatMap((s) => s.instructions)
      .filter((i) => i.op === 'ENV' || i.op === 'ARG')
      .map((i) => i.args)
      .join(' ');
    expect(declared).not.toMatch(/KEY|TOKEN|PASSWORD|SECRET/i);
    const ignored = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['**/node_modules', 'dist', 'data', '.git', '**/config.yaml'])
      expect(ignored).toContain(entry);
  });
});
