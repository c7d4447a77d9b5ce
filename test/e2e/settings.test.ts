// The settings page end to end, on `npm start`'s built server (simulated cluster, CLUSTER_NAME
// from the environment): a node with a bad host is refused beside its field and nothing is
// written; fixed, it saves and a restart is offered; an API key and the Qdrant API key stay masked
// after a reload; the environment's setting is read-only; a save over a file changed since the
// page loaded it is refused until the page reloads; Restart now brings the server back on the new
// settings.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET_MASK, type ConfigView } from '../../src/common/config-api.js';
import { ARTIFACTS } from '../helpers/browser.js';
import { openDashboard, type Dashboard } from '../helpers/dashboard.js';
import { freePort, type ServerProcess } from '../helpers/server-process.js';

const API_KEY = 'sk-e2e-settings-3f9a7c1d';
const QDRANT_KEY = 'qd-e2e-settings-8b2e5a';

describe('settings page', () => {
  let server: ServerProcess;
  let page: Page;
  let dashboard: Dashboard | undefined;
  let configFile: string;
  // A loopback port nothing listens on: the added node is unreachable but harmless after restart.
  let sshPort: number;

  const getView = async () => (await (await fetch(`${server.url}/api/config`)).json()) as ConfigView;
  const openSettings = async () => {
    await page.goto(`${server.url}/#settings`);
    await page.getByTestId('settings-form').waitFor();
  };
  const value = (testId: string) => page.getByTestId(testId).inputValue();

  beforeAll(async () => {
    dashboard = await openDashboard({ CLUSTER_NAME: 'e2e-lab' });
    ({ server, page } = dashboard);
    configFile = join(server.dataDir, 'config.yaml');
    sshPort = await freePort();
  });
  afterAll(() => dashboard?.close());

  it('shows the environment-set cluster name read-only, with its variable', async () => {
    await openSettings();
    const name = page.getByTestId('setting-cluster_name');
    expect(await name.inputValue()).toBe('e2e-lab');
    expect(await name.getAttribute('readonly')).not.toBeNull();
    expect(await page.getByTestId('env-cluster_name').textContent()).toBe('set by CLUSTER_NAME');
    expect(await page.getByTestId('settings-simulated').textContent()).toMatch(/after a restart/);
    // Escape closes the dialog, and the hash goes with it.
    await page.keyboard.press('Escape');
    await page.getByTestId('settings-dialog').waitFor({ state: 'detached' });
    expect(await page.evaluate(() => window.location.hash)).toBe('');
  });

  it('refuses a node with a bad host beside its field, writes nothing and keeps the form', async () => {
    await openSettings();
    await page.getByTestId('settings-add-node').click();
    await page.getByTestId('setting-nodes.0.name').fill('spark9');
    await page.getByTestId('setting-nodes.0.host').fill('bad host!');
    await page.getByTestId('setting-nodes.0.user').fill('alice');
    await page.getByTestId('setting-nodes.0.ssh_port').fill(String(sshPort));
    await page.getByTestId('settings-add-api-key').click();
    await page.getByTestId('setting-api_keys.0.name').fill('e2e');
    await page.getByTestId('setting-api_keys.0.key').fill(API_KEY);
    await page.getByTestId('settings-save').click();

    const problem = page.getByTestId('problem-nodes.0.host');
    await problem.waitFor();
    expect(await problem.textContent()).not.toBe('');
    expect(await page.getByTestId('setting-nodes.0.host').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('settings-refused').textContent()).toMatch(/Not saved/);
    // Only the host is wrong: no other field carries a problem.
    expect(await page.locator('[data-testid^="problem-"]').count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'settings-refused.png') });

    // Nothing lost from the form…
    expect(await value('setting-nodes.0.name')).toBe('spark9');
    expect(await value('setting-nodes.0.user')).toBe('alice');
    expect(await value('setting-api_keys.0.key')).toBe(API_KEY);
    // …and nothing saved.
    expect(existsSync(configFile)).toBe(false);
    const view = await getView();
    expect(view.settings.nodes ?? []).toEqual([]);
    expect(view.settings.api_keys ?? []).toEqual([]);
  });

  it('saves once the host is fixed, says what changed and offers a restart', async () => {
    await page.getByTestId('setting-nodes.0.host').fill('127.0.0.1');
    await page.getByTestId('settings-save').click();
    const saved = page.getByTestId('settings-saved');
    await saved.waitFor();
    const changed = await page.getByTestId('settings-changed').textContent();
    expect(changed).toMatch(/\bnodes\b/);
    expect(changed).toMatch(/\bapi_keys\b/);
    await page.getByTestId('settings-restart').waitFor();
    expect(await page.locator('[data-testid^="problem-"]').count()).toBe(0);

    const file = readFileSync(configFile, 'utf8');
    expect(file).toMatch(/host: 127\.0\.0\.1/);
    const view = await getView();
    expect(view.restart_pending).toBe(true);
    expect(view.settings.nodes?.[0]).toMatchObject({ name: 'spark9', host: '127.0.0.1', user: 'alice' });
    expect(view.settings.api_keys).toHaveLength(1);
    expect(view.settings.api_keys?.[0]).toMatchObject({ name: 'e2e', key: SECRET_MASK });
    // The form was reloaded from the server: the key is stored, and not in the page.
    expect(await page.getByTestId('secret-api_keys.0.key').textContent()).toBe('set');
    expect(await value('setting-api_keys.0.key')).toBe('');
    await page.screenshot({ path: join(ARTIFACTS, 'settings-saved.png') });
  });

  it('keeps the API key masked after a reload, and saving again keeps it', async () => {
    await page.reload();
    await page.getByTestId('settings-form').waitFor();
    expect(await value('setting-api_keys.0.name')).toBe('e2e');
    expect(await value('setting-api_keys.0.key')).toBe('');
    expect(await page.getByTestId('secret-api_keys.0.key').textContent()).toBe('set');
    expect(await page.content()).not.toContain(API_KEY);

    // An untouched masked key is sent back as the mask: the server keeps the stored one.
    await page.getByTestId('settings-add-webhook').click();
    await page.getByTestId('setting-webhooks.0').fill('http://127.0.0.1:9/hook');
    await page.getByTestId('settings-save').click();
    await page.getByTestId('settings-saved').waitFor();
    expect(await page.getByTestId('settings-changed').textContent()).toBe('webhooks');
    expect(readFileSync(configFile, 'utf8')).toContain(API_KEY);
  });

  it('sets the Qdrant API key write-only: written to the file, shown only as set', async () => {
    await page.getByTestId('setting-secrets.qdrant_api_key').fill(QDRANT_KEY);
    expect(await page.getByTestId('secret-secrets.qdrant_api_key').textContent()).toBe('will be set');
    await page.getByTestId('settings-save').click();
    await page.getByTestId('settings-changed').filter({ hasText: 'secrets.qdrant_api_key' }).waitFor();
    expect(readFileSync(configFile, 'utf8')).toContain(`qdrant_api_key: ${QDRANT_KEY}`);
    expect((await getView()).settings.secrets?.qdrant_api_key).toBe(SECRET_MASK);
    // The form was reloaded from the server: the key is stored, and not in the page.
    expect(await page.getByTestId('secret-secrets.qdrant_api_key').textContent()).toBe('set');
    expect(await value('setting-secrets.qdrant_api_key')).toBe('');
    expect(await page.content()).not.toContain(QDRANT_KEY);
  });

  it('refuses to save over a change made to the file since the page loaded it; after Reload it saves', async () => {
    writeFileSync(configFile, `${readFileSync(configFile, 'utf8')}# tuned by hand\n`);
    await page.getByTestId('setting-webhooks.0').fill('http://127.0.0.1:9/other');
    await page.getByTestId('settings-save').click();
    const conflict = page.getByTestId('settings-conflict');
    await conflict.waitFor();
    expect(await conflict.textContent()).toMatch(/changed since this page loaded them/);
    expect(readFileSync(configFile, 'utf8')).toContain('# tuned by hand');
    expect(readFileSync(configFile, 'utf8')).not.toContain('/other');
    await conflict.getByRole('button', { name: 'Reload settings' }).click();
    await conflict.waitFor({ state: 'detached' });
    expect(await value('setting-webhooks.0')).toBe('http://127.0.0.1:9/hook');
    await page.getByTestId('setting-webhooks.0').fill('http://127.0.0.1:9/other');
    await page.getByTestId('settings-save').click();
    await page.getByTestId('settings-changed').filter({ hasText: 'webhooks' }).waitFor();
    expect(readFileSync(configFile, 'utf8')).toContain('http://127.0.0.1:9/other');
  });

  it('restarts on request and comes back on the saved settings', async () => {
    await page.getByTestId('settings-restart').click();
    await page.getByTestId('settings-restarted').waitFor({ timeout: 90_000 });
    const view = await getView();
    expect(view.simulated).toBe(false);
    expect(view.restart_pending).toBe(false);
    expect(await value('setting-nodes.0.host')).toBe('127.0.0.1');
    expect(await page.getByTestId('settings-restart-panel').count()).toBe(0);
    await page
      .getByTestId('live-indicator')
      .and(page.locator('[data-state="live"]'))
      .waitFor({ timeout: 60_000 });
  });

  it('says so when the file on disk turns invalid, keeping the running settings', async () => {
    writeFileSync(configFile, 'nodes: [\n  name: spark9\n');
    await page.reload();
    const banner = page.getByTestId('settings-file-invalid');
    await banner.waitFor();
    expect(await banner.textContent()).toMatch(
      /config file on disk is invalid.*the running settings are kept/,
    );
    expect(await value('setting-nodes.0.host')).toBe('127.0.0.1');

    // Removing a node asks first; Escape closes only the question, and the node stays.
    await page.getByTestId('settings-remove-node-0').click();
    const confirm = page.getByTestId('settings-remove-node-confirm');
    await confirm.waitFor();
    expect(await confirm.textContent()).toMatch(/Remove spark9 from the settings\?/);
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    await page.getByTestId('settings-form').waitFor();
    expect(await page.getByTestId('settings-node-0').count()).toBe(1);
  });
});
