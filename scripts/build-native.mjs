// `npm install`'s build of the native stream pump (native/splice-relay.c, used by the gateway's
// splice relay: src/server/modules/gateway/native-relay.ts). It is optional: without a C compiler
// (Debian: build-essential), or on a system other than Linux, the gateway relays every token in
// JavaScript as before and says so in its log. CI sets SPARK_NATIVE_REQUIRED=1 so a broken build
// fails there instead of quietly testing the fallback only.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const required = process.env.SPARK_NATIVE_REQUIRED === '1';
// The image's deps stage: the pump is built in its build stage, not twice.
if (process.env.SPARK_NATIVE_BUILD === '0') process.exit(0);

function gypScript() {
  // npm hands its bundled node-gyp to lifecycle scripts; run by hand, find npm's own copy.
  if (process.env.npm_config_node_gyp && existsSync(process.env.npm_config_node_gyp))
    return process.env.npm_config_node_gyp;
  try {
    const npmRoot = dirname(createRequire(import.meta.url).resolve('npm/package.json'));
    return join(npmRoot, 'node_modules/node-gyp/bin/node-gyp.js');
  } catch {
    const global = spawnSync('npm', ['root', '-g'], { encoding: 'utf8' }).stdout.trim();
    return join(global, 'npm/node_modules/node-gyp/bin/node-gyp.js');
  }
}

function fail(why) {
  console.warn(
    `spark-control: the native stream pump was not built (${why}); the gateway relays streams in JavaScript.`,
  );
  process.exit(required ? 1 : 0);
}

if (process.platform !== 'linux') fail(`it is for Linux, this is ${process.platform}`);
const script = gypScript();
if (!existsSync(script)) fail('node-gyp was not found');
// Node's own headers where Debian's nodejs package puts them, else node-gyp's usual download.
const nodedir =
  process.env.npm_config_nodedir || (existsSync('/usr/include/node/node_api.h') ? '/usr' : undefined);
const args = [script, 'rebuild', ...(nodedir ? [`--nodedir=${nodedir}`] : [])];
const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] });
if (r.status !== 0) fail(`node-gyp exited with ${r.status ?? r.signal}`);
