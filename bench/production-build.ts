// The control plane as production runs it: `npm start` runs tsc's output (dist/server), not the
// sources through tsx, whose transform adds helpers of its own (esbuild's `__name` wrapper on
// every function created, closures in the relay's hot path included). Benchmarks that measure the
// server's CPU build it once per checkout into a temporary directory (never the checkout's own
// dist/, which `npm start` and the e2e tests use) and load it from there.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const built = new Map<string, string>();

/** The directory holding `<root>`'s compiled server (its `server/app.js`), built on first use. */
export function productionBuild(root: string): string {
  const known = built.get(root);
  if (known) return known;
  const dir = mkdtempSync(join(tmpdir(), 'sc-bench-build-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  const r = spawnSync(
    join(root, 'node_modules/.bin/tsc'),
    ['-p', 'tsconfig.build.json', '--outDir', join(dir, 'dist')],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`building ${root} failed:\n${r.stdout}${r.stderr}`);
  // What the compiled modules read from beside dist/ in a checkout: npm packages, the bundled
  // model catalog, the Parakeet overlay, the version, the native stream pump (when built).
  for (const entry of ['node_modules', 'assets', 'overlays', 'package.json', 'build'])
    if (existsSync(join(root, entry))) symlinkSync(join(root, entry), join(dir, entry));
  const out = join(dir, 'dist');
  built.set(root, out);
  return out;
}

/**
 * This checkout's production build (built on first use), or undefined when the environment
 * variable `sourceEnv` is `src`: the bench then runs the sources through tsx.
 */
export function checkoutBuild(sourceEnv: string): string | undefined {
  return process.env[sourceEnv] === 'src'
    ? undefined
    : productionBuild(new URL('../', import.meta.url).pathname);
}

/** Imports a control-plane module by its path under src/server (`'app.js'`). */
export type ServerModules = <T>(path: string) => Promise<T>;

/** The modules of a production build (`productionBuild`'s directory), or this checkout's sources. */
export function serverModules(built?: string): ServerModules {
  const root = built
    ? pathToFileURL(`${built}/server/`).href
    : new URL('../src/server/', import.meta.url).href;
  return async <T>(path: string) => (await import(new URL(path, root).href)) as T;
}
