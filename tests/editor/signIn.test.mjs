// Real-editor test of signing in: code-server with the Grove .vsix and a stand-in `claude auth login`, driven by Chromium: a wrong code, the right one, a refused credential and its alert, sign-out, a cancelled attempt, and no code in any log.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { launchCodeServer, REPO_ROOT, resolveTools } from './codeServer.mjs';

const VSIX = process.env.GROVE_VSIX;
const ARTIFACTS = process.env.GROVE_ARTIFACTS ?? join(REPO_ROOT, 'target', 'editor-test');
/** The first start of an extension host on 2 cores (shared with other tests) is slow. */
const UI_TIMEOUT_MS = 90_000;
const STEP_TIMEOUT_MS = 30_000;

const SIGN_IN_URL = 'https://claude.com/cai/oauth/authorize?code=true&state=abc';
const GOOD_CODE = 'good-code#state';
const WRONG_CODE = 'wrong-code#state';

/** The fake credentials of the shared fixtures: claude.ai, subscription "max". */
const MAX_CREDENTIALS = JSON.stringify({
  claudeAiOauth: {
    accessToken: 'sk-ant-oat01-FAKEACCESS',
    refreshToken: 'sk-ant-ort01-FAKEREFRESH',
    expiresAt: 1795000000000,
    scopes: ['user:inference', 'user:profile'],
    subscriptionType: 'max',
    rateLimitTier: 'default_claude_max_20x',
  },
});

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

if (!VSIX) {
  throw new Error('GROVE_VSIX is required: the path of the Grove .vsix to test (e.g. `npx vsce package --no-dependencies --out /tmp/grove.vsix`)');
}

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

/** Every file under `dir` whose name matches `pattern`. */
function findFiles(dir, pattern) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findFiles(path, pattern));
    else if (pattern.test(entry.name)) found.push(path);
  }
  return found;
}

describe('Signing in from a real editor (code-server)', { timeout: 10 * 60_000 }, () => {
  const tools = resolveTools();
  const { chromium } = createRequire(import.meta.url)(tools.playwright);
  const temps = [];
  const tempDir = (prefix) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    temps.push(dir);
    return dir;
  };
  let browser;
  let editor;
  let context;
  let page;
  let home;
  let api;

  const sidebar = () => page.locator('.part.sidebar');
  /** The Account view's row whose text (label, then description) starts with `text` (or matches a RegExp). */
  const row = (text) =>
    sidebar().locator('.monaco-list-row', {
      hasText: text instanceof RegExp ? text : new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
    });
  const statusItem = (text) => page.locator('.statusbar .statusbar-item', { hasText: text });
  const quickInput = () => page.locator('.quick-input-widget');

  /** Waits for a locator to be visible (or `state`); on failure saves a screenshot and adds the code-server log. */
  async function see(locator, name, timeout = STEP_TIMEOUT_MS, state = 'visible') {
    try {
      await locator.waitFor({ state, timeout });
    } catch (error) {
      await page.screenshot({ path: join(ARTIFACTS, `sign-in-${name}-failure.png`) }).catch(() => {});
      throw new Error(`${error.message}\n--- code-server log ---\n${editor.log()}`, { cause: error });
    }
  }

  /**
   * Picks an item of the open quick pick by typing its label and pressing Enter once it is the
   * highlighted one (keys, not clicks: a list that is still laying itself out on a busy machine
   * refuses clicks as "not stable").
   */
  async function pick(label, name, typed = label) {
    const input = quickInput().locator('input');
    await see(input, `${name}-input`);
    await input.fill(typed);
    await see(quickInput().locator('.monaco-list-row', { hasText: label }).first(), `${name}-item`);
    // The best fuzzy match may be another item ("Grove: Check Sign-in" for "Grove: Sign In").
    const focused = quickInput().locator('.monaco-list-row.focused');
    for (let i = 0; i < 10; i++) {
      if ((await focused.count()) === 1 && (await focused.innerText()).includes(label)) {
        await page.keyboard.press('Enter');
        return;
      }
      await page.keyboard.press('ArrowDown');
      await page.waitForTimeout(100);
    }
    await see(quickInput().locator('.monaco-list-row.focused', { hasText: label }), `${name}-focused`, 1);
  }

  /** Picks "Claude subscription" in the method picker that Sign in opens. */
  async function chooseSubscription(name) {
    await see(quickInput().locator('.monaco-list-row', { hasText: 'Claude subscription' }), `${name}-picker`);
    await pick('Claude subscription', `${name}-picker`);
  }

  /** Runs a command from the palette by its title. */
  async function runCommand(title, name) {
    await page.keyboard.press('F1');
    await pick(title, `${name}-palette`, `>${title}`);
  }

  /** Clicks; on failure saves a screenshot and adds the code-server log. */
  async function click(locator, name) {
    await see(locator, name);
    try {
      await locator.click({ timeout: STEP_TIMEOUT_MS });
    } catch (error) {
      await page.screenshot({ path: join(ARTIFACTS, `sign-in-${name}-failure.png`) }).catch(() => {});
      throw new Error(`${error.message}\n--- code-server log ---\n${editor.log()}`, { cause: error });
    }
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
    mkdirSync(ARTIFACTS, { recursive: true });
    home = tempDir('grove-home-');
    const claude = fakeClaude(tempDir('grove-fake-claude-'), tools.claude);
    const folder = tempDir('grove-project-');
    writeFileSync(join(folder, 'README.md'), '# A project\n');
    api = await refusingApi();
    editor = await launchCodeServer({
      vsix: VSIX,
      folder,
      home,
      tools,
      settings: { 'grove.claudePath': claude },
      env: {
        PATH: `${dirname(tools.node24)}:/usr/local/bin:/usr/bin:/bin`,
        SHELL: '/bin/sh',
        LANG: process.env.LANG ?? 'C.UTF-8',
        // The CLI "opens the browser" with this: nothing opens on the machine running the test.
        BROWSER: '/bin/true',
        // Only the credentials check talks to the API here; it is refused.
        ANTHROPIC_BASE_URL: `http://127.0.0.1:${api.address().port}`,
      },
    });
    browser = await chromium.launch({ executablePath: tools.chromium, args: CHROMIUM_ARGS });
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
    await page.goto(editor.url);
    await see(page.locator('.statusbar'), 'start', UI_TIMEOUT_MS);
  });

  after(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await editor?.stop();
    api?.close();
    for (const dir of temps) rmSync(dir, { recursive: true, force: true });
  });

  it('signs in: a wrong code fails in the view, the right one turns the status bar to "Claude: Max"', async () => {
    await see(statusItem('Claude: Sign in'), 'signed-out', UI_TIMEOUT_MS);
    await click(statusItem('Claude: Sign in'), 'status-item');
    await see(row('Not signed in'), 'account-view');

    // A wrong code: the CLI says why, and the row says it; no "sign in again" alert for it.
    await click(row('Sign in…'), 'wrong-sign-in');
    await chooseSubscription('wrong');
    await see(row('Paste code here if prompted'), 'wrong-prompt');
    await see(statusItem('Claude: Signing in…'), 'wrong-status');
    await pasteCode(WRONG_CODE, 'wrong');
    await see(row(/^\s*Not signed in\s*Sign-in failed: OAuth error: Invalid code/), 'wrong-outcome');
    await see(statusItem('Claude: Sign in'), 'wrong-status-after');
    await see(row('Last failure'), 'wrong-last-failure');
    assert.equal(await page.locator('.notification-toast', { hasText: 'Claude needs you to sign in again' }).count(), 0);

    // The right code, from the palette this time.
    await runCommand('Grove: Sign In', 'good');
    await chooseSubscription('good');
    await see(row('Opening browser to sign in…'), 'good-line-1');
    await see(row(`If the browser didn't open, visit: ${SIGN_IN_URL}`), 'good-line-2');
    await see(row('Paste code here if prompted >'), 'good-prompt');
    const link = row('Open in browser');
    await see(link, 'good-link');
    assert.match(await link.innerText(), /https:\/\/claude\.com\/cai\/oauth\/authorize\?code=true&state=abc/);
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(ARTIFACTS, 'grove-sign-in.png') });

    // "Open in browser" opens the very link the CLI printed, in the browser of the editor's window
    // (here: a new tab of the test's Chromium, whose request is stopped before it leaves).
    let requested;
    await context.route('https://claude.com/**', (route) => {
      requested = route.request().url();
      return route.abort();
    });
    await click(row('Open in browser'), 'open-link');
    const confirm = page.locator('.monaco-dialog-box .monaco-button', { hasText: /^Open$/ });
    for (const deadline = Date.now() + STEP_TIMEOUT_MS; requested === undefined && Date.now() < deadline; ) {
      // The editor may ask before opening an outside site.
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
    await click(header.locator('.action-label[aria-label="Check Sign-in"]'), 'check-button');
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
    await see(row('Paste code here if prompted >'), 'again-prompt');
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
    await see(statusItem('Claude: Sign in'), 'sign-out-status', 60_000);
    assert.throws(() => statSync(join(home, '.claude', '.credentials.json')));
  });

  it('cancels another attempt: the row is back to signed out, showing "cancelled"', async () => {
    await click(statusItem('Claude: Sign in'), 'cancel-status-item');
    await click(row('Sign in…'), 'cancel-sign-in');
    await chooseSubscription('cancel');
    await see(row('Open in browser'), 'cancel-link');
    await click(row('Cancel sign-in'), 'cancel-button');
    await see(row(/^\s*Not signed in\s*Sign-in cancelled/), 'cancel-outcome');
    await see(statusItem('Claude: Sign in'), 'cancel-status');
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
