// The Data tab's search box on the demo: the demo collection is offered, a question finds the
// document it was taken from first (the fake Qdrant's vectors come from the fake embeddings
// server, so this is a true nearest-neighbour search end to end), and the tab is remembered. The
// redaction tester: scrubbed text shows placeholders highlighted and no value, an answer the
// "model" rewrote (case, emphasis) comes back with the values, and Forget deletes the task.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COLLECTION, DEMO_DOCS } from '../../src/sim/qdrant-demo.js';
import { ARTIFACTS } from '../helpers/browser.js';
import { openDashboard, type Dashboard } from '../helpers/dashboard.js';

describe('Data tab on the simulated cluster', () => {
  let d: Dashboard;
  beforeAll(async () => {
    d = await openDashboard({ SIM_SPEED: '0.1' });
  });
  afterAll(async () => d?.close());

  it('searches the demo collection and shows the expected top hit with its score', async () => {
    const { page } = d;
    await page.goto(d.server.url);
    await page.getByTestId('tab-data').click();
    const picker = page.getByTestId('search-collection');
    await page.waitForFunction(
      (name) =>
        (document.querySelector('[data-testid="search-collection"]') as HTMLSelectElement | null)?.value ===
        name,
      DEMO_COLLECTION,
      { timeout: 15_000 },
    );
    expect(await picker.inputValue()).toBe(DEMO_COLLECTION);
    const doc = DEMO_DOCS.find((x) => x.title === 'Tensor parallel')!;
    await page.getByTestId('search-query').fill(doc.text);
    await page.getByTestId('search-submit').click();
    await page.getByTestId('search-results').waitFor({ timeout: 15_000 });
    const titles = await page.getByTestId('search-hit-title').allTextContents();
    expect(titles).toHaveLength(5);
    expect(titles[0]).toBe(doc.title);
    expect(await page.getByTestId('search-hit').first().textContent()).toContain(doc.text);
    expect(Number(await page.getByTestId('search-hit-score').first().textContent())).toBeGreaterThan(0.99);
    await page.screenshot({ path: join(ARTIFACTS, 'data-tab.png'), fullPage: true });
  });

  it('remembers the Data tab across a reload', async () => {
    await d.page.reload();
    await d.page.getByTestId('search-panel').waitFor({ timeout: 15_000 });
    expect(await d.page.getByTestId('tab-data').getAttribute('data-state')).toBe('active');
  });

  it('scrubs pasted text, rehydrates an answer the model rewrote, and forgets the task', async () => {
    const { page } = d;
    const text = 'Mail jane.doe@example.com or call +1 415 555 2671 about card 4111 1111 1111 1111.';
    await page.getByTestId('redaction-input').fill(text);
    await page.getByTestId('redaction-scrub').click();
    const scrubbed = page.getByTestId('redaction-scrubbed');
    await scrubbed.waitFor({ timeout: 15_000 });
    const shown = (await scrubbed.textContent()) ?? '';
    for (const value of ['jane.doe@example.com', '555 2671', '4111 1111 1111 1111'])
      expect(shown).not.toContain(value);
    const marks = await scrubbed.locator('mark').allTextContents();
    expect(marks).toEqual(expect.arrayContaining(['[EMAIL_1]', '[PHONE_1]', '[CARD_1]']));
    const taskId = ((await page.getByTestId('redaction-task').textContent()) ?? '').replace(/^task\s*/, '');
    expect(taskId).not.toBe('');
    // What a model does to placeholders: lower case, emphasis.
    await page.getByTestId('redaction-answer').fill('Reply sent to **[email_1]**; card [ CARD_1 ] on file.');
    await page.getByTestId('redaction-rehydrate').click();
    const back = page.getByTestId('redaction-rehydrated');
    await back.waitFor({ timeout: 15_000 });
    expect(await back.textContent()).toBe(
      'Reply sent to **jane.doe@example.com**; card 4111 1111 1111 1111 on file.',
    );
    await page.getByTestId('redaction-forget').click();
    await page.getByTestId('redaction-scrubbed').waitFor({ state: 'detached', timeout: 15_000 });
    const gone = await fetch(`${d.server.url}/api/redaction/tasks/${encodeURIComponent(taskId)}`);
    expect(gone.status).toBe(404);
  });
});
