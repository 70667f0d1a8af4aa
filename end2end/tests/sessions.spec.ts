import { expect, test } from '@playwright/test';
import { EMAIL, answered, createSession, hydrated, openConsole, press, rows, search, signIn, unique, validateStatus } from './helpers';

test('search narrows the rows as you type, in the URL', async ({ page, request }, testInfo) => {
  const name = unique(testInfo, 'zed');
  const email = `${name}@example.net`;
  await createSession(request, 3100, { email, name: 'Zed Searchable' });
  await openConsole(page, testInfo);
  expect(await rows(page).count()).toBeGreaterThan(1);
  const box = page.getByRole('searchbox', { name: 'Search sessions' });
  await box.pressSequentially(name, { delay: 20 });
  // The typed text shows at once, whatever the server is doing.
  await expect(box).toHaveValue(name);
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page)).toContainText(email);
  await expect(page).toHaveURL(new RegExp(`q=${name}`));
  await page.reload();
  await hydrated(page);
  await expect(rows(page)).toHaveCount(1);
  await box.fill('');
  await expect(page).not.toHaveURL(/q=/);
  // The whole list comes back: on a loaded machine the phone layout's 50 cards can take more than 5 s.
  await expect.poll(() => rows(page).count(), { timeout: 15_000 }).toBeGreaterThan(1);
});

test('the Status and App filters narrow the rows', async ({ page, request }, testInfo) => {
  await createSession(request, 3100, { email: `${unique(testInfo, 'app')}@example.net`, name: 'Filter Person' });
  await openConsole(page, testInfo);
  await page.getByRole('combobox', { name: 'Status' }).selectOption('revoked');
  await expect(page).toHaveURL(/status=revoked/);
  await answered(page, /status=revoked/);
  await expect(rows(page).first()).toBeVisible();
  await expect(rows(page).getByText('revoked', { exact: true }).first()).toBeVisible();
  await expect(rows(page).getByText(/^(active|expired)$/)).toHaveCount(0);
  await page.getByRole('combobox', { name: 'Status' }).selectOption('all');
  await page.getByRole('combobox', { name: 'App' }).selectOption('e2e');
  await expect(page).toHaveURL(/app=e2e/);
  await answered(page, /app=e2e/);
  await expect(rows(page).first()).toBeVisible();
  await expect(page.getByTestId('pager-summary').filter({ visible: true })).not.toContainText(' 241 ');
  for (const text of await rows(page).allTextContents()) {
    expect(text).toContain('e2e');
  }
});

test('sorting toggles aria-sort and the order, and stays in the URL', async ({ page }, testInfo) => {
  await openConsole(page, testInfo);
  if (testInfo.project.name === 'phone') {
    await page.getByRole('combobox', { name: 'Sort by' }).selectOption('user:asc');
  } else {
    const created = page.getByRole('columnheader', { name: 'Created' });
    await expect(created).toHaveAttribute('aria-sort', 'descending');
    await created.getByRole('button').click();
    await expect(created).toHaveAttribute('aria-sort', 'ascending');
    const user = page.getByRole('columnheader', { name: 'User' });
    await user.getByRole('button').click();
    await expect(user).toHaveAttribute('aria-sort', 'ascending');
    await expect(created).not.toHaveAttribute('aria-sort');
  }
  await expect(page).toHaveURL(/sort=user&dir=asc/);
  await answered(page, /sort=user&dir=asc/);
  const emails = async () =>
    (await rows(page).getByText(EMAIL).allTextContents()).map((email) => email.toLowerCase());
  await expect.poll(async () => (await emails()).length).toBeGreaterThan(3);
  const ascending = await emails();
  expect(ascending).toEqual([...ascending].sort());
  if (testInfo.project.name === 'phone') {
    await page.getByRole('combobox', { name: 'Sort by' }).selectOption('user:desc');
  } else {
    await page.getByRole('columnheader', { name: 'User' }).getByRole('button').click();
    await expect(page.getByRole('columnheader', { name: 'User' })).toHaveAttribute('aria-sort', 'descending');
  }
  await expect(page).toHaveURL(/sort=user&dir=desc/);
  await answered(page, /sort=user&dir=desc/);
  await expect.poll(async () => (await emails())[0] > ascending[ascending.length - 1]).toBe(true);
  const descending = await emails();
  expect(descending).toEqual([...descending].sort().reverse());
});

test('pages of 25, 50 or 100 with the total', async ({ page }, testInfo) => {
  await openConsole(page, testInfo, '/sessions?size=25');
  const summary = page.getByTestId('pager-summary');
  await expect(summary).toHaveText(/^1–25 of \d+ sessions$/);
  const total = Number((await summary.textContent())!.match(/of (\d+)/)![1]);
  expect(total).toBeGreaterThan(200);
  await expect(rows(page)).toHaveCount(25);
  await press(page.getByRole('button', { name: 'Next page' }), testInfo);
  await expect(page).toHaveURL(/page=2/);
  // Other tests add sessions meanwhile, and the page follows them live: the total can only grow here.
  await expect(summary).toHaveText(/^26–50 of \d+ sessions$/);
  await page.getByRole('combobox', { name: 'Rows per page' }).selectOption('100');
  await expect(page).toHaveURL(/size=100/);
  await expect(summary).toHaveText(/^1–100 of \d+ sessions$/);
  await expect(rows(page)).toHaveCount(100);
  // A new page size starts again from the first page.
  await expect(page.getByRole('button', { name: 'Previous page' })).toBeDisabled();
  await press(page.getByRole('button', { name: 'Next page' }), testInfo);
  await expect(summary).toHaveText(/^101–200 of \d+ sessions$/);
  await press(page.getByRole('button', { name: 'Previous page' }), testInfo);
  await expect(summary).toHaveText(/^1–100 of \d+ sessions$/);
  expect(Number((await summary.textContent())!.match(/of (\d+)/)![1])).toBeGreaterThanOrEqual(total);
});

test('Reveal IP shows one address; Show Tokens shows every full session id', async ({ page, request }, testInfo) => {
  const email = `${unique(testInfo, 'ip')}@example.net`;
  await createSession(request, 3100, { email, name: 'Ivy Address', ip: '198.51.100.23' });
  await openConsole(page, testInfo);
  await search(page, email);
  await expect(rows(page)).toHaveCount(1);
  const reveal = rows(page).getByRole('button', { name: 'Reveal IP' });
  await expect(reveal).toHaveAttribute('aria-pressed', 'false');
  await expect(reveal).toHaveText('198.51.•••.•••');
  await press(reveal, testInfo);
  await expect(reveal).toHaveAttribute('aria-pressed', 'true');
  await expect(reveal).toHaveText('198.51.100.23');

  const id = rows(page).getByTitle(/^[0-9a-f]{32}$/);
  await expect(id).toHaveText(/^[0-9a-f]{8}…[0-9a-f]{8}$/);
  await press(page.getByRole('button', { name: 'Show Tokens' }), testInfo);
  await expect(id).toHaveText(/^[0-9a-f]{32}$/);
  await press(page.getByRole('button', { name: 'Hide Tokens' }), testInfo);
  await expect(id).toHaveText(/…/);
});

test('Revoke asks first, then the row turns revoked and the API refuses the token', async ({ page, request }, testInfo) => {
  const email = `${unique(testInfo, 'rev')}@example.net`;
  const created = await createSession(request, 3100, { email, name: 'Rita Revoked' });
  expect(await validateStatus(request, 3100, created.token)).toBe(200);
  await openConsole(page, testInfo);
  await search(page, email);
  await expect(rows(page)).toHaveCount(1);

  // Cancel changes nothing.
  await press(rows(page).getByRole('button', { name: 'Revoke' }), testInfo);
  const dialog = page.getByRole('dialog', { name: 'Revoke this session?' });
  await expect(dialog).toBeVisible();
  await press(dialog.getByRole('button', { name: 'Cancel' }), testInfo);
  await expect(dialog).toBeHidden();
  expect(await validateStatus(request, 3100, created.token)).toBe(200);

  if (testInfo.project.name === 'desktop') {
    // By keyboard: the dialog opens with Enter and closes with Escape.
    await rows(page).getByRole('button', { name: 'Revoke' }).focus();
    await page.keyboard.press('Enter');
    await expect(dialog).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
  }

  await press(rows(page).getByRole('button', { name: 'Revoke' }), testInfo);
  await expect(dialog).toContainText('Rita Revoked');
  await expect(dialog).toContainText('Chrome 120 on Mac OSX');
  await expect(dialog).toContainText('Last active');
  await press(dialog.getByRole('button', { name: 'Confirm' }), testInfo);
  await expect(page.getByRole('status')).toContainText('Session revoked');
  await expect(rows(page).getByText('revoked', { exact: true })).toBeVisible();
  await expect(rows(page).getByRole('button', { name: 'Revoke' })).toHaveCount(0);
  expect(await validateStatus(request, 3100, created.token)).toBe(401);
});

test('/ focuses the search box', async ({ page }, testInfo) => {
  await openConsole(page, testInfo);
  await page.keyboard.press('/');
  await expect(page.getByRole('searchbox', { name: 'Search sessions' })).toBeFocused();
});

test('a member is sent to their own sessions and the server functions refuse them', async ({ page }, testInfo) => {
  await signIn(page, testInfo, 'member@example.com');
  await expect(page).toHaveURL(/\/my\/sessions$/);
  await page.goto('/sessions');
  await expect(page).toHaveURL(/\/my\/sessions$/);
  const list = await page.request.post('/api/sessions/list', {
    form: {
      'query[q]': '',
      'query[status]': 'all',
      'query[app]': '',
      'query[sort]': 'created',
      'query[dir]': 'desc',
      'query[page]': '1',
      'query[size]': '50',
    },
  });
  expect(list.status()).toBe(403);
  expect(await list.text()).not.toContain('@example');
  expect((await page.request.post('/api/sessions/kill_all')).status()).toBe(403);
  const revoke = await page.request.post('/api/sessions/revoke', { form: { session_id: 'a'.repeat(32) } });
  expect(revoke.status()).toBe(403);
});

test('a billing manager sees every session but cannot end them', async ({ page }, testInfo) => {
  await signIn(page, testInfo, 'billing@example.com');
  await expect(page).toHaveURL(/\/sessions$/);
  await hydrated(page);
  await expect(rows(page).first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Revoke' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Kill All' })).toHaveCount(0);
  expect((await page.request.post('/api/sessions/kill_all')).status()).toBe(403);
});
