import { expect, test } from '@playwright/test';
import { PASSWORD, createSession, hydrated, press, unique, validateStatus, visible } from './helpers';

// Each project has a server of its own here (serve.sh starts 3101 and 3102): Kill All ends every session on
// its server, and the live count must only move by what this test does.
const portFor = (project: string) => (project === 'desktop' ? 3101 : 3102);

test.describe.configure({ mode: 'serial' });

test('the live count follows a session created through the API, without a reload; Kill All ends all but mine', async ({
  page,
  request,
}, testInfo) => {
  const port = portFor(testInfo.project.name);
  const base = `http://127.0.0.1:${port}`;
  await page.goto(`${base}/login`);
  await hydrated(page);
  await page.getByRole('textbox', { name: 'Email' }).fill('owner@example.com');
  await page.getByLabel('Password').fill(PASSWORD);
  await press(page.getByRole('button', { name: 'Sign in' }), testInfo);
  await expect(page).toHaveURL(/\/sessions$/);
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Sessions', exact: true })).toBeVisible();
  await expect(page.getByText('Active user connections across all apps')).toBeVisible();

  const badge = page.getByTestId('active-badge');
  await expect(badge).toHaveText(/^\d+ Active$/);
  const before = Number((await badge.textContent())!.split(' ')[0]);
  const email = `${unique(testInfo, 'live')}@example.net`;
  const first = await createSession(request, port, { email, name: 'Liv Live' });
  const second = await createSession(request, port, { email, name: 'Liv Live' });
  // No reload: the page follows within 2 seconds.
  await expect(badge).toHaveText(`${before + 2} Active`, { timeout: 2_500 });
  await expect(page.getByTestId('live-line')).toHaveText(
    `${before + 2} active sessions currently signed in across your organization`,
  );
  await expect(visible(page.getByText(email)).first()).toBeVisible();

  await press(page.getByRole('button', { name: 'Kill All' }), testInfo);
  const dialog = page.getByRole('dialog', { name: 'End every active session?' });
  await expect(dialog).toContainText(`${before + 2} active sessions`);
  await expect(dialog).toContainText('Your own session');
  await press(dialog.getByRole('button', { name: 'Confirm' }), testInfo);
  await expect(page.getByRole('status')).toHaveText(`Ended ${before + 1} sessions.`);
  await expect(badge).toHaveText('1 Active');
  expect(await validateStatus(request, port, first.token)).toBe(401);
  expect(await validateStatus(request, port, second.token)).toBe(401);
  // The admin's own session survived: a reload still shows the console.
  await page.reload();
  await hydrated(page);
  await expect(page).toHaveURL(/\/sessions$/);
  await expect(badge).toHaveText('1 Active');
});
