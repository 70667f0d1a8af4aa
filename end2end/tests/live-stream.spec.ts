import { expect, test } from '@playwright/test';
import { adminToken, answered, createSession, hydrated, openConsole, search, signIn, streaming, unique, visible } from './helpers';

// A server per project: another test's sessions on a shared server would be changes this page rightly fetches.
const portFor = (project: string) => (project === 'desktop' ? 3103 : 3104);
let PORT = 0;
test.use({
  baseURL: async ({}, use, testInfo) => {
    PORT = portFor(testInfo.project.name);
    await use(`http://127.0.0.1:${PORT}`);
  },
});

// The Sessions page follows changes through one server-sent-events stream, not by polling: a session created
// through the app API appears within a second, one revoked through the admin API turns revoked, and while
// nothing changes the page asks the server for nothing.
test('a session created or revoked elsewhere shows within a second, with no polling', async ({ page, request }, testInfo) => {
  const listCalls: number[] = [];
  page.on('request', (req) => {
    if (req.url().includes('/api/sessions/list')) listCalls.push(Date.now());
  });
  await openConsole(page, testInfo);
  await streaming(page);
  const name = unique(testInfo, 'stream');
  const email = `${name}@example.net`;
  await search(page, email);
  await answered(page, new RegExp(name));
  const badge = page.getByTestId('active-badge');
  await expect(badge).toHaveText(/^\d+ Active$/);

  // Quiet: no change, no request for a while longer than the old 1.5 s poll.
  const quietFrom = Date.now();
  await page.waitForTimeout(3_000);
  expect(listCalls.filter((at) => at >= quietFrom), 'no polling while nothing changes').toEqual([]);

  const before = Number((await badge.textContent())!.split(' ')[0]);
  const created = await createSession(request, PORT, { email, name: 'Sam Stream' });
  await expect(visible(page.getByText(email)).first()).toBeVisible({ timeout: 1_000 });
  await expect(badge).toHaveText(`${before + 1} Active`, { timeout: 1_000 });

  const revoked = await request.delete(`http://127.0.0.1:${PORT}/api/admin/sessions/${created.id}`, {
    headers: { Authorization: `Bearer ${adminToken(PORT)}` },
  });
  expect(revoked.status()).toBeLessThan(300);
  const row = visible(page.locator(`[data-session-id="${created.id}"]`));
  await expect(row.getByText('revoked', { exact: true })).toBeVisible({ timeout: 1_000 });
  await expect(page.getByText('Live updates paused')).toHaveCount(0);
});

test('a member sees a new session of their own on My sessions without a reload', async ({ page, request }, testInfo) => {
  const email = `stream-${testInfo.project.name}@example.com`;
  await signIn(page, testInfo, email);
  await expect(page).toHaveURL(/\/my\/sessions$/);
  await hydrated(page);
  await expect(page.getByRole('list', { name: 'Current session' }).getByRole('listitem')).toHaveCount(1);
  await expect(page.getByText('You are not signed in anywhere else.')).toBeVisible();
  await streaming(page);
  await createSession(request, PORT, { email, name: 'Stream Member', ip: '198.51.100.23' });
  const others = page.getByRole('list', { name: 'Other sessions' });
  await expect(others.getByRole('listitem')).toHaveCount(1, { timeout: 1_000 });
  await expect(others.getByText('198.51.100.23')).toBeVisible();
});
