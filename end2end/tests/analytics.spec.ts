import { expect, test, type Page } from '@playwright/test';
import { appKey, hydrated, press, signIn, unique } from './helpers';

const PORT = 3100;
const CHARTS = [
  'Active sessions over time',
  'Sessions by app',
  'Sessions by country',
  'Browsers and systems',
  'Payload size against limit',
];

/** The figure holding the chart named `name`. */
const chart = (page: Page, name: string) => page.locator('figure', { has: page.getByRole('img', { name, exact: true }) });

/** The number in the Sessions by app table's row for `app`. */
async function sessionsOf(page: Page, app: string): Promise<number> {
  const row = chart(page, 'Sessions by app').getByRole('row').filter({ has: page.getByRole('cell', { name: app, exact: true }) });
  return Number((await row.getByRole('cell').nth(1).innerText()).replace(/\D/g, ''));
}

test('every chart is a named image with its numbers and CSV; a new API session is counted after a reload', async ({ page, request }, testInfo) => {
  await signIn(page, testInfo, 'billing@example.com');
  await page.waitForURL((url) => url.pathname !== '/login');
  await press(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Analytics' }), testInfo);
  await expect(page).toHaveURL(/\/analytics/);
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Analytics', level: 1 })).toBeVisible();
  await expect(page.getByText('Peak concurrent sessions')).toBeVisible();
  for (const name of CHARTS) {
    const figure = chart(page, name);
    await expect(figure.getByRole('img', { name, exact: true })).toBeVisible();
    await expect(figure.getByRole('table', { name })).toBeAttached();
    expect(await figure.getByRole('table', { name }).getByRole('row').count()).toBeGreaterThan(1);
    const download = figure.getByRole('link', { name: 'Download CSV' });
    await expect(download).toHaveAttribute('href', /^data:text\/csv/);
  }
  const csv = decodeURIComponent((await chart(page, 'Sessions by app').getByRole('link', { name: 'Download CSV' }).getAttribute('href'))!.split(',').slice(1).join(','));
  expect(csv).toContain('App,Active sessions\r\n');
  expect(csv).toContain('End to end,');

  const before = await sessionsOf(page, 'End to end');
  const created = await request.post(`http://127.0.0.1:${PORT}/api/v1/sessions`, {
    headers: { Authorization: `Bearer ${appKey(PORT)}` },
    data: { userEmail: `${unique(testInfo, 'charted')}@example.com` },
  });
  expect(created.status()).toBe(201);
  await page.reload();
  await hydrated(page);
  expect(await sessionsOf(page, 'End to end')).toBeGreaterThanOrEqual(before + 1);

  // The filters live in the URL: one app, then daily points over 30 days.
  await page.getByRole('combobox', { name: 'App' }).selectOption({ label: 'End to end' });
  await expect(page).toHaveURL(/app=e2e/);
  await expect(chart(page, 'Sessions by app').getByRole('table').getByRole('row')).toHaveCount(2);
  await page.getByRole('combobox', { name: 'Range' }).selectOption({ label: '30 days' });
  await expect(page).toHaveURL(/range=30d/);
  await expect(chart(page, 'Active sessions over time').getByRole('columnheader', { name: 'Day' })).toBeVisible();
  await expect(chart(page, 'Active sessions over time').getByRole('table').getByRole('row')).toHaveCount(31);
});

test('members have no Analytics page', async ({ page }, testInfo) => {
  await signIn(page, testInfo, 'member@example.com');
  await expect(page).toHaveURL(/\/my\/sessions$/);
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Analytics' })).toHaveCount(0);
  await page.goto('/analytics');
  await expect(page).toHaveURL(/\/my\/sessions$/);
  await expect(page.getByRole('img', { name: 'Sessions by app' })).toHaveCount(0);
});
