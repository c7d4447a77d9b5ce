// `npm test`: lint + format check, type check, then unit, integration and browser tests.
// Prints one plain closing line ("Tests: N passed, N failed") summed over every vitest project.
//
// The static checks (eslint, prettier + tsc) and the e2e build are single-threaded and independent,
// so they run side by side: on a 2-core machine that is the time of the longest one (eslint's typed
// rules), not the sum of all of them.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const only = process.argv.slice(2); // e.g. `npm test -- unit integration`
const wanted = (name) => only.length === 0 || only.includes(name);
const results = 'test-results';
mkdirSync(results, { recursive: true });

/** Async, so a background step's pipes keep draining while this runs. */
const run = (cmd, args) =>
  new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'inherit', env: process.env });
    child.on('error', () => resolve(false));
    child.on('close', (code) => resolve(code === 0));
  });

/** Runs commands one after another in the background; prints their output once they are done. */
function runQuietly(label, commands) {
  return new Promise((resolve) => {
    let out = '';
    const next = (i) => {
      if (i === commands.length) return finish(true);
      const [cmd, args] = commands[i];
      const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      child.on('error', (e) => {
        out += `${String(e)}\n`;
        finish(false);
      });
      child.on('close', (code) => (code === 0 ? next(i + 1) : finish(false)));
    };
    let done = false;
    const finish = (ok) => {
      if (done) return;
      done = true;
      console.log(`\n== ${label} ${ok ? 'ok' : 'FAILED'} ==`);
      if (out.trim()) process.stdout.write(out.endsWith('\n') ? out : `${out}\n`);
      resolve(ok);
    };
    next(0);
  });
}

let passed = 0;
let failed = 0;
async function vitest(project) {
  const out = `${results}/${project}.json`;
  rmSync(out, { force: true });
  const ok = await run('npx', [
    'vitest',
    'run',
    '--project',
    project,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${out}`,
  ]);
  if (existsSync(out)) {
    const r = JSON.parse(readFileSync(out, 'utf8'));
    passed += r.numPassedTests ?? 0;
    failed += r.numFailedTests ?? 0;
  }
  return ok;
}

const background = [];
if (wanted('lint')) background.push(['lint: eslint', [['npx', ['eslint', '.']]]]);
const formatAndTypes = [];
if (wanted('lint')) formatAndTypes.push(['npx', ['prettier', '--check', '.']]);
if (wanted('typecheck')) formatAndTypes.push(['npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']]);
// The StartOS package against the real SDK (@start9labs/start-sdk): its own module settings.
if (wanted('typecheck'))
  formatAndTypes.push(['npx', ['tsc', '-p', 'packaging/startos/tsconfig.json', '--noEmit']]);
if (formatAndTypes.length > 0) background.push(['lint: prettier, typecheck', formatAndTypes]);
// The browser tests and the production-install integration test run the built server and dashboard:
// build them now, beside the checks.
const build =
  wanted('e2e') || wanted('integration')
    ? runQuietly('build', [['npm', ['run', 'build']]])
    : Promise.resolve(true);

let ok = true;
if (background.length > 0) {
  console.log(`\n== ${background.map(([label]) => label).join(' | ')} ==`);
  const checks = await Promise.all(background.map(([label, commands]) => runQuietly(label, commands)));
  if (checks.includes(false)) {
    console.error('\nlint/typecheck failed');
    ok = false;
  }
}
const steps = [
  ['unit', () => vitest('unit')],
  ['integration', async () => (await build) && (await vitest('integration'))],
  ['e2e', async () => (await build) && (await vitest('e2e'))],
];
for (const [name, step] of steps) {
  if (!ok || !wanted(name)) continue;
  console.log(`\n== ${name} ==`);
  if (!(await step())) {
    console.error(`\n${name} failed`);
    ok = false;
  }
}
await build; // never leave the build running behind an early failure
console.log(`\nTests: ${passed} passed, ${failed} failed`);
process.exit(ok && failed === 0 ? 0 : 1);
