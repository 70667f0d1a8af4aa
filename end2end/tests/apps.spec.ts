import { expect, test, type APIRequestContext, type Page, type TestInfo } from '@playwright/test';
import { hydrated, press, signIn, streaming, unique, visible } from './helpers';

const BASE = 'http://127.0.0.1:3100';

async function openApps(page: Page, testInfo: TestInfo, email = 'owner@example.com') {
  await signIn(page, testInfo, email);
  await page.waitForURL((url) => url.pathname !== '/login');
  await page.goto('/apps');
  await ready(page);
  await expect(page.getByRole('heading', { name: 'Apps', level: 1 })).toBeVisible();
}

/** Hydrated, with the live stream open (the times have taken the browser's zone): what is on screen stays. */
async function ready(page: Page) {
  await hydrated(page);
  await streaming(page);
}

/** The card of one app, found by its heading. */
const appCard = (page: Page, name: string) => page.getByRole('article', { name });

async function createWith(request: APIRequestContext, key: string, email: string) {
  return request.post(`${BASE}/api/v1/sessions`, {
    headers: { Authorization: `Bearer ${key}` },
    data: { userEmail: email },
  });
}

test('Register app shows its key once; the key works and is counted; Revoke key refuses it at once', async ({ page, request }, testInfo) => {
  const id = unique(testInfo, 'shop');
  const name = `Shop ${id}`;
  await openApps(page, testInfo);

  await press(page.getByRole('button', { name: 'Register app' }), testInfo);
  const register = page.getByRole('dialog', { name: 'Register app' });
  await register.getByRole('textbox', { name: 'App id' }).fill('Not an id');
  await register.getByRole('textbox', { name: 'Name' }).fill(name);
  await register.getByRole('spinbutton', { name: 'Payload limit (bytes)' }).fill('2048');
  await press(register.getByRole('button', { name: 'Register' }), testInfo);
  await expect(register.getByRole('alert')).toContainText('2 to 64 lowercase letters');
  await register.getByRole('textbox', { name: 'App id' }).fill(id);
  await press(register.getByRole('button', { name: 'Register' }), testInfo);

  const issued = page.getByRole('dialog', { name: `App ${id} registered` });
  const keyBox = issued.getByRole('textbox', { name: 'API key' });
  await expect(keyBox).toHaveValue(/^rk_/);
  await expect(keyBox).toHaveAttribute('readonly', '');
  await expect(issued.getByRole('button', { name: 'Copy' })).toBeVisible();
  const key = await keyBox.inputValue();
  await press(issued.getByRole('button', { name: 'Done' }), testInfo);

  // The key creates a session and validates it: three requests.
  const created = await createWith(request, key, `${id}@example.com`);
  expect(created.status()).toBe(201);
  const { token } = await created.json();
  for (let n = 0; n < 2; n++) {
    const validated = await request.post(`${BASE}/api/v1/sessions/validate`, {
      headers: { Authorization: `Bearer ${key}` },
      data: { token },
    });
    expect(validated.status()).toBe(200);
  }

  // After a reload: the key is gone from the page for good; its use is shown.
  await page.reload();
  await ready(page);
  const card = appCard(page, name);
  await expect(card).toContainText(id);
  await expect(card.locator('.app-facts')).toContainText('Active sessions1');
  await expect(card.locator('.app-facts')).toContainText('2,048 bytes');
  await expect(page.getByRole('textbox', { name: 'API key' })).toHaveCount(0);
  const keyRow = visible(card.locator('tbody tr'));
  await expect(keyRow).toHaveCount(1);
  await expect(keyRow).toContainText(key.slice(0, 10));
  await expect(keyRow.locator('td[data-label="Last used"]')).toHaveText(/just now|1 minute ago/);
  const requests = Number((await keyRow.locator('td[data-label="Requests (24h)"]').innerText()).replace(/\D/g, ''));
  expect(requests).toBeGreaterThanOrEqual(3);

  // The same id again is refused, and named.
  await press(page.getByRole('button', { name: 'Register app' }), testInfo);
  await register.getByRole('textbox', { name: 'App id' }).fill(id);
  await register.getByRole('textbox', { name: 'Name' }).fill('Again');
  await press(register.getByRole('button', { name: 'Register' }), testInfo);
  await expect(register.getByRole('alert')).toContainText('already exists');
  await press(register.getByRole('button', { name: 'Cancel' }), testInfo);

  // Edit app: a lower limit and a new name, confirmed and shown.
  await press(card.getByRole('button', { name: 'Edit app' }), testInfo);
  const edit = page.getByRole('dialog', { name: `Edit ${id}` });
  await edit.getByRole('spinbutton', { name: 'Payload limit (bytes)' }).fill('0');
  await press(edit.getByRole('button', { name: 'Save changes' }), testInfo);
  await expect(edit.getByRole('alert')).toContainText('from 1 to 1048576 bytes');
  await edit.getByRole('spinbutton', { name: 'Payload limit (bytes)' }).fill('1000');
  await press(edit.getByRole('button', { name: 'Save changes' }), testInfo);
  await expect(page.getByRole('status')).toContainText('App saved');
  await expect(card.locator('.app-facts')).toContainText('1,000 bytes');

  await press(card.getByRole('button', { name: 'Revoke key' }), testInfo);
  const confirm = page.getByRole('dialog', { name: 'Revoke API key' });
  await expect(confirm).toContainText(key.slice(0, 10));
  await Promise.all([
    page.waitForResponse((response) => response.url().endsWith('/api/apps/keys/revoke')),
    press(confirm.getByRole('button', { name: 'Confirm' }), testInfo),
  ]);
  await expect(page.getByRole('status')).toContainText('Key revoked');
  expect((await createWith(request, key, `${id}@example.com`)).status()).toBe(401);
  await expect(card).toContainText('No live API key');
});

test('an admin token is shown once, counted, and refused once revoked', async ({ page, request }, testInfo) => {
  const tokenName = unique(testInfo, 'siem');
  await openApps(page, testInfo, 'admin@example.com');
  await press(page.getByRole('button', { name: 'New token' }), testInfo);
  const dialog = page.getByRole('dialog', { name: 'New admin token' });
  await dialog.getByRole('textbox', { name: 'Token name' }).fill(tokenName);
  await press(dialog.getByRole('button', { name: 'Create token' }), testInfo);
  const issued = page.getByRole('dialog', { name: 'Admin token created' });
  const token = await issued.getByRole('textbox', { name: 'Admin token' }).inputValue();
  expect(token).toMatch(/^ra_/);
  await press(issued.getByRole('button', { name: 'Done' }), testInfo);

  const list = () => request.get(`${BASE}/api/admin/sessions?limit=1`, { headers: { Authorization: `Bearer ${token}` } });
  expect((await list()).status()).toBe(200);
  await page.reload();
  await ready(page);
  const row = visible(page.locator('.admin-tokens tbody tr')).filter({ hasText: tokenName });
  await expect(row.locator('td[data-label="Requests (24h)"]')).toHaveText('1');
  await expect(row.locator('td[data-label="Last used"]')).not.toHaveText('Never');

  await press(row.getByRole('button', { name: 'Revoke token' }), testInfo);
  await press(page.getByRole('dialog', { name: 'Revoke admin token' }).getByRole('button', { name: 'Confirm' }), testInfo);
  await expect(page.getByRole('status')).toContainText('Token revoked');
  expect((await list()).status()).toBe(401);

});

test('billing managers and members have no Apps page', async ({ page }, testInfo) => {
  for (const email of ['billing@example.com', 'member@example.com']) {
    await signIn(page, testInfo, email);
    await page.waitForURL((url) => url.pathname !== '/login');
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Apps' })).toHaveCount(0);
    const landing = new URL(page.url()).pathname;
    await page.goto('/apps');
    await expect(page).toHaveURL(new RegExp(`${landing}$`));
    await expect(page.getByRole('heading', { name: 'Apps', level: 1 })).toHaveCount(0);
    await page.context().clearCookies();
  }
});
