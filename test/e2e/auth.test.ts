// Admin login as the owner sees it, in Chromium against `npm start`'s server: the login page,
// a wrong password refused, the dashboard after the right one, Log out; and the warning banner
// when login is off and the server listens beyond loopback. Secrets never reach the log.
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launchBrowser } from '../helpers/browser.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

const PASSWORD = 'e2e-Correct-Horse-7';
const ADMIN_TOKEN = 'e2e-admin-token-5f3a9c0d1b2e';

describe('admin login in the dashboard', () => {
  let server: ServerProcess;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startServerProcess({
        ADMIN_PASSWORD: PASSWORD,
        ADMIN_TOKENS: `cli:${ADMIN_TOKEN}`,
        LOG_LEVEL: 'debug',
      }),
      launchBrowser(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('refuses a wrong password, shows the dashboard after the right one, logs out, and logs no secret', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByTestId('login-form').waitFor();
    expect(await page.getByTestId('node-card-spark1').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'login.png') });

    await page.getByTestId('login-password').fill('not the password');
    await page.getByTestId('login-submit').click();
    await expect(page.getByTestId('login-error').textContent()).resolves.toContain('Wrong password');
    expect(await page.getByTestId('node-card-spark1').count()).toBe(0);

    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('node-card-spark1').waitFor();
    await page.getByTestId('live-indicator').waitFor();
    await page.getByTestId('logout').waitFor();
    expect(await page.getByTestId('auth-warning').count()).toBe(0);
    const session = (await context.cookies()).find((c) => c.name === 'sc_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    // A script with an admin token, as the CLI would call.
    const scripted = await fetch(`${server.url}/api/hardware`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(scripted.status).toBe(200);

    await page.getByTestId('logout').click();
    await page.getByTestId('login-form').waitFor();
    expect(
      (await fetch(`${server.url}/api/hardware`, { headers: { cookie: `sc_session=${session!.value}` } }))
        .status,
    ).toBe(401);
    await page.reload();
    await page.getByTestId('login-form').waitFor();
    await context.close();

    const log = server.output();
    expect(log).toContain('admin signed in');
    for (const secret of [PASSWORD, ADMIN_TOKEN, session!.value]) expect(log).not.toContain(secret);
  });
});

describe('warning when login is off', () => {
  let server: ServerProcess;
  let browser: Browser;

  beforeAll(async () => {
    // Listening on every interface is what the warning is about; the test still talks to 127.0.0.1 only.
    [server, browser] = await Promise.all([startServerProcess({ HOST: '0.0.0.0' }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows a dismissible banner saying how to turn login on', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(server.url);
    const banner = page.getByTestId('auth-warning');
    await banner.waitFor();
    const text = (await banner.textContent()) ?? '';
    expect(text).toContain('0.0.0.0');
    expect(text).toContain('npm run hash-password');
    expect(await page.getByTestId('logout').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'auth-warning.png') });
    await page.getByTestId('auth-warning-dismiss').click();
    await banner.waitFor({ state: 'detached' });
    await page.reload();
    await page.getByTestId('node-card-spark1').waitFor();
    expect(await page.getByTestId('auth-warning').count()).toBe(0);
  });
});
