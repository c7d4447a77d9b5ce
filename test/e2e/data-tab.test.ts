// The Data tab's search box on the demo: the demo collection is offered, a question finds the
// document it was taken from first (the fake Qdrant's vectors come from the fake embeddings
// server, so this is a true nearest-neighbour search end to end), and the tab is remembered.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COLLECTION, DEMO_DOCS } from '../../src/sim/qdrant-demo.js';
import { ARTIFACTS } from '../helpers/browser.js';
import { openDashboard, type Dashboard } from '../helpers/dashboard.js';

describe('Data tab search on the simulated cluster', () => {
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
});
