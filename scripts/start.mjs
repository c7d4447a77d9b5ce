// `npm start`: build when the build is missing or older than the sources, then run the server.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const stamp = join(root, 'dist', '.build-stamp');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

const needsBuild =
  !existsSync(stamp) ||
  !existsSync(join(root, 'dist/server/main.js')) ||
  !existsSync(join(root, 'dist/web/index.html')) ||
  Math.max(newestMtime(join(root, 'src')), newestMtime(join(root, 'assets'))) > statSync(stamp).mtimeMs;

if (needsBuild) {
  console.log('Building Spark Control (first start or sources changed)…');
  const r = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  writeFileSync(stamp, new Date().toISOString());
}

// V8 flags for the server (scripts/node-flags.json, also used by the gateway benchmark): a larger
// young generation cut the gateway's CPU per relayed chunk at 256 streams by 6–11 % (fewer
// scavenges of the per-chunk garbage; docs/architecture.md, Performance).
const flags = JSON.parse(readFileSync(join(root, 'scripts/node-flags.json'), 'utf8'));
const server = spawn(process.execPath, [...flags, join(root, 'dist/server/main.js')], {
  cwd: root,
  stdio: 'inherit',
});
// Forward stop signals so the server can close the database and SSH connections cleanly.
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.kill(sig));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
