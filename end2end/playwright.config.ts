import { defineConfig } from '@playwright/test';

// Debian's Chromium, never a downloaded browser. The flags keep it off this machine's closed network.
const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

export const baseURL = 'http://127.0.0.1:3100';

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  // The debug WASM is 10 MB: on a cold start, with both workers and three servers on two cores, the first
  // hydration has once taken longer than 30 s.
  timeout: 60_000,
  expect: { timeout: 5_000 },
  workers: 2,
  // One retry, reported: Playwright lists a test that passed only on its retry as "flaky", and the summary of
  // scripts/test.sh prints the count, so a flaky test is seen, not hidden. (The stalls that once made pages never
  // hydrate, about one test in 120, were server renders deadlocked between threads or building a page twice:
  // server/src/http/render_threads.rs and components/require_user.rs say how they were ended.)
  retries: 1,
  reporter: [['list']],
  use: { baseURL, launchOptions, trace: 'off' },
  projects: [
    { name: 'desktop', use: { viewport: { width: 1280, height: 800 } } },
    {
      name: 'phone',
      // The screen-size tests set each viewport themselves, phones included: they run once, here under desktop.
      testIgnore: /screens\.spec\.ts/,
      use: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3 },
    },
  ],
  // One server for most tests; one per project for Kill All, which would otherwise sign everyone else out; and
  // one per project for the live stream test, which asserts that nothing is fetched while nothing changes; and one
  // per project for Settings, whose limits are workspace-wide; and one per project for Alarms, whose open count is.
  // With a PostgreSQL server (scripts/test.sh exports its URL when one answers): two nodes on one database.
  webServer: [
    ...[3100, 3101, 3102, 3103, 3104, 3105, 3106, 3107, 3108].map((port) => ({
      command: `bash end2end/serve.sh ${port} ${port === 3100 ? 240 : 0}`,
      url: `http://127.0.0.1:${port}/login`,
    })),
    ...(process.env.ROSTER_TEST_POSTGRES_URL
      ? [{ command: 'bash end2end/cluster.sh 3109 3110', url: 'http://127.0.0.1:3110/login' }]
      : []),
  ].map((server) => ({
    ...server,
    cwd: '..',
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore' as const,
    stderr: 'pipe' as const,
    gracefulShutdown: { signal: 'SIGINT' as const, timeout: 5_000 },
  })),
});
