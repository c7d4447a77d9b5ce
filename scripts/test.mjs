// `npm test`: lint + format check, type check, then unit, integration and browser tests.
// Prints one plain closing line ("Tests: N passed, N failed") summed over every vitest project.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const only = process.argv.slice(2); // e.g. `npm test -- unit integration`
const results = 'test-results';
mkdirSync(results, { recursive: true });

const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', env: process.env }).status === 0;

const steps = [
  ['lint', () => run('npx', ['eslint', '.']) && run('npx', ['prettier', '--check', '.'])],
  ['typecheck', () => run('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit'])],
  ['unit', () => vitest('unit')],
  ['integration', () => vitest('integration')],
  ['e2e', () => run('npm', ['run', 'build']) && vitest('e2e')],
];

let passed = 0;
let failed = 0;
function vitest(project) {
  const out = `${results}/${project}.json`;
  rmSync(out, { force: true });
  const ok = run('npx', [
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

let ok = true;
for (const [name, step] of steps) {
  if (only.length > 0 && !only.includes(name)) continue;
  console.log(`\n== ${name} ==`);
  if (!step()) {
    console.error(`\n${name} failed`);
    ok = false;
    break;
  }
}
console.log(`\nTests: ${passed} passed, ${failed} failed`);
process.exit(ok && failed === 0 ? 0 : 1);
