// Real-editor test of signing in: code-server with the Grove .vsix and a stand-in `claude auth login`, driven by Chromium: the welcome button, the notification that guides a sign-in, a wrong code (a plain failure with Retry), the right one, "Grove: Sign In" + Enter from the palette, a refused credential and its alert, sign-out, a cancelled attempt, and no code in any log.
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { minimalEnv, resolveTools } from './codeServer.mjs';
import { MAX_CREDENTIALS } from './credentials.mjs';
import { ARTIFACTS, EditorSession, findFiles, reportFailure, tempFolders, UI_TIMEOUT_MS, workbenchSteps } from './harness.mjs';

const STEP_TIMEOUT_MS = 30_000;

const SIGN_IN_URL = 'https://claude.com/cai/oauth/authorize?code=true&state=abc';
const GOOD_CODE = 'good-code#state';
const WRONG_CODE = 'wrong-code#state';

/** Single-quotes a word for bash. */
const sq = (word) => `'${word.replace(/'/g, `'\\''`)}'`;

/**
 * A stand-in claude CLI: `auth login` behaves like the real one (same output, waits for the pasted
 * code) and writes the fixtures' credentials for the right code; everything else is the real CLI.
 */
function fakeClaude(dir, realClaude) {
  const path = join(dir, 'claude');
  writeFileSync(
    path,
    `#!/bin/bash
if [ "$1" = auth ] && [ "$2" = login ]; then
  echo 'Opening browser to sign in…'
  echo "If the browser didn't open, visit: ${SIGN_IN_URL}"
  printf 'Paste code here if prompted > '
  IFS= read -r code
  if [ "$code" = ${sq(GOOD_CODE)} ]; then
    dir="$HOME/.claude"
    mkdir -p "$dir" && chmod 700 "$dir"
    tmp=$(mktemp "$dir/.credentials.json.XXXXXX") && chmod 600 "$tmp"
    printf '%s' ${sq(MAX_CREDENTIALS)} > "$tmp"
    mv "$tmp" "$dir/.credentials.json"
    echo 'Login successful.'
    exit 0
  fi
  echo 'OAuth error: Invalid code' >&2
  exit 1
fi
exec ${sq(realClaude)} "$@"
`,
  );
  chmodSync(path, 0o755);
  return path;
}

/** A Messages API that refuses every credential (401), as Anthropic does for a revoked token. */
function refusingApi() {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ type: 'error', error: { type: 'authentication_error', message: 'Invalid bearer token' } }));
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

describe('Signing in from a real editor (code-server)', { timeout: 10 * 60_000 }, () => {
  const tools = resolveTools();
  const { tempDir, projectFolder, removeAll } = tempFolders();
  const session = new EditorSession(tools);
  let editor;
  let context;
  let page;
  let home;
  let api;

  const { sidebar, statusItem, quickInput, see, click, pick, runCommand } = workbenchSteps({
    page: () => page,
    fail: (name, error) => reportFailure({ page, editor, name: `sign-in-${name}`, error }),
    timeout: STEP_TIMEOUT_MS,
  });
  /** The Account view's row whose text (label, then description) starts with `text` (or matches a RegExp). */
  const row = (text) =>
    sidebar().locator('.monaco-list-row', {
      hasText: text instanceof RegExp ? text : new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    });

  /** Picks "Claude subscription" in the method picker that Sign in opens. */
  async function chooseSubscription(name) {
    await see(quickInput().locator('.monaco-list-row', { hasText: 'Claude subscription' }), `${name}-picker`);
    await pick('Claude subscription', `${name}-picker`);
  }

  /** Clicks "Paste code…" and types `code` into the password box. */
  async function pasteCode(code, name) {
    await click(row('Paste code…'), `${name}-paste`);
    const input = quickInput().locator('input[type="password"]');
    await see(input, `${name}-code-box`);
    await input.pressSequentially(code);
    await page.keyboard.press('Enter');
  }

  before(async () => {
    home = tempDir('grove-home-');
    const claude = fakeClaude(tempDir('grove-fake-claude-'), tools.claude);
    const folder = projectFolder();
    api = await refusingApi();
    ({ editor, context, page } = await session.start(
      {
        folder,
        home,
        settings: { 'grove.claudePath': claude },
        env: {
          ...minimalEnv(tools),
          // The CLI "opens the browser" with this: nothing opens on the machine running the test.
          BROWSER: '/bin/true',
          // Only the credentials check talks to the API here; it is refused.
          ANTHROPIC_BASE_URL: `http://127.0.0.1:${api.address().port}`,
        },
      },
      { failure: { name: 'sign-in-start' } },
    ));
  });

  after(async () => {
    await session.close();
    api?.close();
    removeAll();
  });

  it('signs in: a wrong code fails with a plain notification, the right one turns the status bar to "Claude: Max"', async () => {
    await see(statusItem('Claude: Sign in'), 'signed-out', UI_TIMEOUT_MS);
    await click(statusItem('Claude: Sign in'), 'status-item');
    const welcomeButton = sidebar().locator('.welcome-view-content .monaco-button', { hasText: 'Sign in to Claude' });
    await see(welcomeButton, 'welcome');

    // A wrong code: one notification guides the sign-in; the failure is a plain sentence with Retry.
    await click(welcomeButton, 'wrong-sign-in');
    await chooseSubscription('wrong');
    const guide = page.locator('.notification-toast', { hasText: 'Sign in to Claude: open the sign-in page' });
    await see(guide, 'wrong-guide');
    assert.deepEqual(await guide.locator('.monaco-button').allInnerTexts(), ['Open Browser', 'Copy Link', 'Paste Code']);
    // What the sign-in waits for, short enough for the default sidebar width: whole on the row,
    // the sentence ("Approve the sign-in in your browser, then paste the code…") in its tooltip.
    const waiting = row('Waiting for the code');
    await see(waiting, 'wrong-state');
    await see(statusItem('Claude: Signing in…'), 'wrong-status');
    // Whole, as are the rows of what to do (the link's address aside, in its row and tooltip).
    for (const whole of [waiting, row('Copy link'), row('Paste code…'), row('Show output'), row('Cancel sign-in')]) {
      const cut = await whole.locator('.monaco-icon-label-container').evaluate((el) => el.scrollWidth > el.clientWidth + 1);
      assert.equal(cut, false, `${await whole.innerText()} is cut off`);
    }
    // The CLI's own lines are not rows of the view.
    assert.equal(await row('Paste code here if prompted').count(), 0);
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(ARTIFACTS, 'grove-sign-in.png') });
    await waiting.hover();
    const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'Approve the sign-in in your browser, then paste the code' });
    await see(hover, 'wrong-state-tooltip');
    await page.screenshot({ path: join(ARTIFACTS, 'grove-sign-in-tooltip.png') });
    await page.mouse.move(900, 500);
    await click(guide.locator('.monaco-button', { hasText: 'Paste Code' }), 'wrong-guide-paste');
    const input = quickInput().locator('input[type="password"]');
    await see(input, 'wrong-code-box');
    await input.pressSequentially(WRONG_CODE);
    await page.keyboard.press('Enter');
    const failure = page.locator('.notification-toast', { hasText: 'Claude did not accept the code' });
    await see(failure, 'wrong-failure');
    assert.deepEqual(await failure.locator('.monaco-button').allInnerTexts(), ['Retry', 'Show Output']);
    await see(row(/^\s*Not signed in\s*Claude did not accept the code/), 'wrong-outcome');
    await see(statusItem('Claude: Sign in'), 'wrong-status-after');
    assert.equal(await page.locator('.notification-toast', { hasText: /sign in again/i }).count(), 0);
    await page.screenshot({ path: join(ARTIFACTS, 'grove-sign-in-failed.png') });
    await failure
      .locator('.codicon-notifications-clear, .codicon-close')
      .first()
      .click()
      .catch(() => {});

    // The right code, from the palette: "Grove: Sign In" + Enter runs Sign In (the first match).
    await page.keyboard.press('F1');
    await quickInput().locator('input').fill('>Grove: Sign In');
    const focused = quickInput().locator('.monaco-list-row.focused');
    await see(focused, 'good-palette');
    assert.match(await focused.innerText(), /^Grove: Sign In\b/);
    await page.keyboard.press('Enter');
    await chooseSubscription('good');
    const link = row('Open in browser');
    await see(link, 'good-link');
    assert.match(await link.innerText(), /https:\/\/claude\.com\/cai\/oauth\/authorize\?code=true&state=abc/);
    await see(row('Copy link'), 'good-copy');

    // "Open in browser" opens the very link the CLI printed, in the browser of the editor's window
    // (here: a new tab of the test's Chromium, whose request is stopped before it leaves).
    let requested;
    await context.route('https://claude.com/**', (route) => {
      requested = route.request().url();
      return route.abort();
    });
    await click(row('Open in browser'), 'open-link');
    const confirm = page.locator('.monaco-dialog-box .monaco-button', { hasText: /^Open$/ });
    for (const deadline = Date.now() + STEP_TIMEOUT_MS; requested === undefined && Date.now() < deadline;) {
      // The editor may ask before opening an outside site (the user asked for it here).
      if (await confirm.count()) await confirm.click().catch(() => {});
      await page.waitForTimeout(250);
    }
    assert.equal(requested, SIGN_IN_URL);
    for (const other of context.pages()) if (other !== page) await other.close();
    await page.bringToFront();

    await pasteCode(GOOD_CODE, 'good');
    await see(statusItem('Claude: Max'), 'good-status');
    await see(row('Signed in · Claude Max'), 'good-row');
    // The successful sign-in cleared the failure.
    await see(row('Last failure'), 'good-failure-cleared', STEP_TIMEOUT_MS, 'detached');
  });

  it('alerts once when Claude refuses the credentials, and its Sign in signs in again', async () => {
    // The refresh button of the Account view checks the credentials: the API answers 401.
    const header = sidebar().locator('.pane-header', { hasText: 'Account' });
    await see(header, 'check-header');
    await header.hover();
    await click(header.locator('.action-label[aria-label="Check Claude Credentials"]'), 'check-button');
    await see(row('Checking credentials…'), 'check-running');
    const toast = page.locator('.notification-toast', { hasText: 'Claude needs you to sign in again' });
    await see(toast, 'alert', 60_000);
    await see(statusItem('Claude: Sign in again'), 'alert-status');
    await see(row('Sign in again'), 'alert-row');
    await see(row('Last failure'), 'alert-last-failure');
    assert.match(await row('Last failure').innerText(), /Credentials check/);
    // The status is read again after the check: still one alert.
    await page.waitForTimeout(2000);
    assert.equal(await toast.count(), 1);
    await page.screenshot({ path: join(ARTIFACTS, 'grove-sign-in-again.png') });

    await click(toast.locator('.monaco-button', { hasText: 'Sign in' }), 'alert-sign-in');
    await chooseSubscription('again');
    await see(row('Paste code…'), 'again-prompt');
    await pasteCode(GOOD_CODE, 'again');
    await see(statusItem('Claude: Max'), 'again-status');
    await see(row('Last failure'), 'again-failure-cleared', STEP_TIMEOUT_MS, 'detached');
  });

  it('signs out from the palette: `claude auth logout` in a terminal, and the status follows', async () => {
    await runCommand('Grove: Sign Out', 'sign-out');
    const dialog = page.locator('.monaco-dialog-box');
    await see(dialog, 'sign-out-dialog');
    assert.match(await dialog.innerText(), /Sign out of Claude\?/);
    await click(dialog.locator('.monaco-button', { hasText: 'Sign Out' }), 'sign-out-confirm');
    await see(statusItem('Claude: Signed out'), 'sign-out-status', 60_000);
    assert.throws(() => statSync(join(home, '.claude', '.credentials.json')));
    await see(sidebar().locator('.welcome-view-content', { hasText: 'You signed out of Claude.' }), 'sign-out-welcome');
  });

  it('cancels another attempt: the row is back to signed out, showing "cancelled"', async () => {
    await click(statusItem('Claude: Signed out'), 'cancel-status-item');
    await click(sidebar().locator('.welcome-view-content .monaco-button', { hasText: 'Sign in to Claude' }), 'cancel-sign-in');
    await chooseSubscription('cancel');
    await see(row('Open in browser'), 'cancel-link');
    await click(row('Cancel sign-in'), 'cancel-button');
    await see(row(/^\s*Signed out\s*Sign-in cancelled/), 'cancel-outcome');
    await see(statusItem('Claude: Signed out'), 'cancel-status');
  });

  it('writes no pasted code to the Grove output channel or any log', async () => {
    const logs = join(editor.root, 'user-data', 'logs');
    const channels = findFiles(logs, /Grove\.log$/);
    assert.ok(channels.length > 0, `the Grove output channel is stored under ${logs}`);
    const groveText = channels.map((f) => readFileSync(f, 'utf8')).join('\n');
    // It is the right file: the sidecar's and the sign-in's lines are there.
    assert.match(groveText, /sign-in login-\d+ succeeded/);
    assert.match(groveText, /started `claude auth login`/);
    for (const file of findFiles(logs, /./)) {
      const text = readFileSync(file, 'utf8');
      for (const secret of ['good-code', 'wrong-code', 'FAKEACCESS', 'FAKEREFRESH']) {
        assert.ok(!text.includes(secret), `${file} contains ${secret}`);
      }
    }
    assert.ok(!editor.log().includes('good-code'), 'the code-server log contains the code');
  });
});
