// The slow-upload attacker of bench/slow-uploads.ts, in its own process (as it would be on other
// machines): keeps `count` transcription uploads open from 127.1.x.y addresses, `perAddress` each,
// trickling one byte every 5 s, and replaces every one the server closes. Prints a JSON line
// {open, cut_off_408, refused_429_503} every second; exits on SIGTERM.
//   tsx bench/slow-uploads-attacker.ts <url> <count> <perAddress>
import { slowClient, uploadHead, type SlowClient } from '../test/helpers/slow-client.js';

const [url = '', countArg = '1000', perArg = '4'] = process.argv.slice(2);
const count = Number(countArg);
const perAddress = Number(perArg);
const open = new Map<number, SlowClient>();
let cutOff = 0;
let refused = 0;
let stopped = false;

const addressOf = (i: number) => {
  const n = Math.floor(i / perAddress);
  return `127.1.${Math.floor(n / 250)}.${(n % 250) + 1}`;
};

async function start(i: number): Promise<void> {
  if (stopped) return;
  try {
    const c = await slowClient(url, uploadHead('127.0.0.1', 100_000_000), addressOf(i));
    open.set(i, c);
    // Each client is watched on its own while the others keep going; `closed` never rejects.
    void c.closed.then((text) => {
      open.delete(i);
      if (text.startsWith('HTTP/1.1 408')) cutOff++;
      else if (/^HTTP\/1\.1 (429|503)/.test(text)) refused++;
      setTimeout(() => void start(i), 10); // start() catches everything: it never rejects
    });
  } catch {
    setTimeout(() => void start(i), 100); // as above: a refused connect just retries later
  }
}

const report = () =>
  process.stdout.write(
    `${JSON.stringify({ open: open.size, cut_off_408: cutOff, refused_429_503: refused })}\n`,
  );
setInterval(() => {
  for (const c of open.values()) c.socket.write('x');
}, 5_000);
setInterval(report, 1_000);
process.on('SIGTERM', () => {
  stopped = true;
  for (const c of open.values()) c.socket.destroy();
  report();
  process.exit(0);
});
for (let i = 0; i < count; i += 50) await Promise.all(Array.from({ length: 50 }, (_, k) => start(i + k)));
