// `npm run hash-password`: prints the scrypt hash to put in `auth.admin_password_hash` (or
// ADMIN_PASSWORD_HASH). The password is read from stdin — never from argv, where other users'
// `ps` and the shell history would see it. Interactive terminals get a prompt without echo.
import { hashPasswordSync } from '../src/server/modules/auth/password.js';

async function readPassword(): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    let data = '';
    for await (const chunk of stdin) data += String(chunk);
    return data.replace(/\r?\n$/, '');
  }
  process.stderr.write('Admin password: ');
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  return new Promise((resolve) => {
    let value = '';
    stdin.on('data', (key: string) => {
      for (const ch of key) {
        if (ch === '\r' || ch === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          process.stderr.write('\n');
          resolve(value);
          return;
        }
        if (ch === '\u0003') process.exit(130);
        value = ch === '\u007f' ? value.slice(0, -1) : value + ch;
      }
    });
  });
}

const password = await readPassword();
if (password.length < 8) {
  console.error('The password must be at least 8 characters long.');
  process.exit(2);
}
console.log(hashPasswordSync(password));
