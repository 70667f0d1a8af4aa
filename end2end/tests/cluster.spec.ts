import { expect, test } from '@playwright/test';
import { adminToken, answered, createSession, hydrated, search, signIn, streaming, unique, visible } from './helpers';

// Two nodes on one PostgreSQL database (end2end/cluster.sh): the console is open on node B, every change goes
// through node A's API, and node B's page follows within 1.5 s, told by node A through the database.
const NODE_A = 3109;
test.use({ baseURL: 'http://127.0.0.1:3110' });
test.skip(
  !process.env.ROSTER_TEST_POSTGRES_URL,
  'no PostgreSQL server answered: the two-node test needs one (scripts/test.sh sets ROSTER_TEST_POSTGRES_URL when it does)',
);

test('a console on node B follows sessions created and revoked through node A', async ({ page, request }, testInfo) => {
  await signIn(page, testInfo, 'owner@example.com');
  await expect(page).toHaveURL(/\/sessions$/);
  await hydrated(page);
  await streaming(page);
  const name = unique(testInfo, 'cluster');
  const email = `${name}@example.net`;
  await search(page, email);
  await answered(page, new RegExp(name));
  const badge = page.getByTestId('active-badge');
  await expect(badge).toHaveText(/^\d+ Active$/);
  const before = Number((await badge.textContent())!.split(' ')[0]);

  const created = await createSession(request, NODE_A, { email, name: 'Clara Cluster' });
  await expect(visible(page.getByText(email)).first()).toBeVisible({ timeout: 1_500 });
  await expect(badge).toHaveText(`${before + 1} Active`, { timeout: 1_500 });

  const revoked = await request.delete(`http://127.0.0.1:${NODE_A}/api/admin/sessions/${created.id}`, {
    headers: { Authorization: `Bearer ${adminToken(NODE_A)}` },
  });
  expect(revoked.status()).toBe(200);
  const row = visible(page.locator(`[data-session-id="${created.id}"]`));
  await expect(row.getByText('revoked', { exact: true })).toBeVisible({ timeout: 1_500 });
  await expect(badge).toHaveText(`${before} Active`, { timeout: 1_500 });
  await expect(page.getByText('Live updates paused')).toHaveCount(0);
});
