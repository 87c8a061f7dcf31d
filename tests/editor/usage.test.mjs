// Real-editor test of usage insights and plugin secrets: code-server with the Grove .vsix, a loopback stand-in for Anthropic's usage API, driven by Chromium: nothing read while off, the bars once enabled, the status-bar tooltip, a secret set and deleted from the palette and never logged.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { minimalEnv, resolveTools } from './codeServer.mjs';
import { writeCredentials } from './credentials.mjs';
import { ARTIFACTS, EditorSession, findFiles, frameWith, reportFailure, tempFolders, UI_TIMEOUT_MS, workbenchSteps } from './harness.mjs';

const STEP_TIMEOUT_MS = 30_000;

const ACCESS_TOKEN = 'sk-ant-oat01-FAKEACCESS';
const SECRET_KEY = 'test.key';
const SECRET_VALUE = 's3cret-value-zz';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * The CLI's credentials: claude.ai, subscription "max". The token expires in 30 days (a fixed
 * expiresAt would one day lie in the past, and the sidecar would then refresh it first).
 */
const OAUTH = {
  accessToken: ACCESS_TOKEN,
  refreshToken: 'sk-ant-ort01-FAKEREFRESH',
  expiresAt: Date.now() + 30 * DAY,
  scopes: ['user:inference', 'user:profile'],
  subscriptionType: 'max',
  rateLimitTier: 'default_claude_max_20x',
};

/**
 * A loopback stand-in for Anthropic: `GET /api/oauth/usage` answers for the fake token only;
 * `POST /v1/oauth/token` (a refresh, not expected) refuses. Every request is counted.
 */
function usageApi() {
  const calls = { usage: [], token: 0, other: [] };
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      const json = (status, body) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'GET' && path === '/api/oauth/usage') {
        calls.usage.push({ authorization: req.headers.authorization, beta: req.headers['anthropic-beta'] });
        if (req.headers.authorization !== `Bearer ${ACCESS_TOKEN}`) {
          json(401, { type: 'error', error: { type: 'authentication_error', message: 'Invalid bearer token' } });
          return;
        }
        const at = (ms) => new Date(Date.now() + ms).toISOString();
        json(200, {
          five_hour: { utilization: 39.0, resets_at: at(2 * HOUR) },
          seven_day: { utilization: 15.0, resets_at: at(5 * DAY) },
          seven_day_opus: null,
          seven_day_sonnet: { utilization: 4.0, resets_at: at(5 * DAY) },
          extra_usage: { is_enabled: true, monthly_limit: 10000, used_credits: 137, utilization: 1.37 },
        });
      } else if (req.method === 'POST' && path === '/v1/oauth/token') {
        calls.token++;
        json(400, { error: 'invalid_grant', error_description: 'not expected in this test' });
      } else {
        calls.other.push(`${req.method} ${path}`);
        json(404, { type: 'error', error: { type: 'not_found_error', message: 'not here' } });
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, calls, url: `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}` }),
    );
  });
}

describe('Usage insights and plugin secrets in a real editor (code-server)', { timeout: 10 * 60_000 }, () => {
  const tools = resolveTools();
  const { tempDir, projectFolder, removeAll } = tempFolders();
  const session = new EditorSession(tools);
  let editor;
  let page;
  let api;
  let credentialsFile;
  let stateDir;

  /** What a failure report adds: the notifications and the stand-in's calls. */
  const report = { toasts: true, details: () => ({ 'API calls': JSON.stringify(api?.calls) }) };
  const failed = (name, error) => reportFailure({ page, editor, name: `usage-${name}`, error, ...report });
  const { sidebar, statusItem, quickInput, see, click, pick, runCommand } = workbenchSteps({
    page: () => page,
    fail: failed,
    timeout: STEP_TIMEOUT_MS,
  });
  const toast = (text) => page.locator('.notification-toast', { hasText: text });
  const credentials = () => JSON.parse(readFileSync(credentialsFile, 'utf8'));

  /** The frame of the Usage view's webview that has `selector`. */
  async function usageFrame(selector, name, timeout = STEP_TIMEOUT_MS) {
    return (await frameWith(page, selector, timeout, 250)) ?? failed(name, new Error(`no webview shows ${selector}`));
  }

  /** The pane header of a view of the Grove sidebar; expands it when `expand`, collapses it otherwise. */
  async function setPane(title, expand, name) {
    const header = sidebar().locator('.pane-header', { hasText: title }).first();
    await see(header, `${name}-header`, UI_TIMEOUT_MS);
    if (((await header.getAttribute('aria-expanded')) === 'true') !== expand) await click(header, `${name}-toggle`);
    await page
      .waitForFunction(([el, want]) => el.getAttribute('aria-expanded') === want, [await header.elementHandle(), String(expand)], { timeout: STEP_TIMEOUT_MS })
      .catch((e) => failed(`${name}-expanded`, e));
  }

  before(async () => {
    api = await usageApi();
    const home = tempDir('grove-usage-home-');
    credentialsFile = writeCredentials(home, JSON.stringify({ claudeAiOauth: OAUTH }));
    stateDir = join(tempDir('grove-usage-state-'), 'state');
    const folder = projectFolder('grove-usage-project-');
    ({ editor, page } = await session.start(
      {
        folder,
        home,
        // The protocol trace too, at its most verbose: a secret's value must not reach it either.
        settings: { 'grove.trace.server': 'verbose' },
        env: {
          ...minimalEnv(tools),
          GROVE_STATE_DIR: stateDir,
          GROVE_ANTHROPIC_API_URL: api.url,
          GROVE_OAUTH_TOKEN_URL: `${api.url}/v1/oauth/token`,
          // Nothing the CLI might send leaves the machine.
          ANTHROPIC_BASE_URL: api.url,
        },
      },
      { viewport: { width: 1280, height: 900 }, failure: { name: 'usage-start', ...report } },
    ));
  });

  after(async () => {
    await session.close();
    api?.server.close();
    removeAll();
  });

  it('while off, the Usage view explains what enabling does and nothing is read', async () => {
    await see(statusItem('Claude: Max'), 'signed-in', UI_TIMEOUT_MS);
    // The status item opens the Grove sidebar (its Account view).
    await click(statusItem('Claude: Max'), 'status-item');
    await setPane('Usage', true, 'usage-pane');
    const frame = await usageFrame('#grove-usage[data-state="disabled"]', 'usage-disabled', UI_TIMEOUT_MS);
    const text = await frame.locator('#grove-usage').innerText();
    assert.match(text, /Usage insights are off/);
    assert.match(text, /reads the Claude CLI's sign-in token/);
    assert.match(text, /Nothing is read while this is off/);
    await frame.locator('button[data-action="enable"]').waitFor({ timeout: STEP_TIMEOUT_MS });
    // Time for a request that should not come.
    await page.waitForTimeout(3_000);
    assert.equal(api.calls.usage.length, 0, 'the usage API was asked while the setting was off');
    assert.equal(api.calls.token, 0);
  });

  it('Enable shows a bar per window, the plan and extra usage in dollars, from the token of the CLI', async () => {
    const off = await usageFrame('#grove-usage[data-state="disabled"]', 'enable-frame');
    await off
      .locator('button[data-action="enable"]')
      .click({ timeout: STEP_TIMEOUT_MS })
      .catch((e) => failed('enable-click', e));
    const frame = await usageFrame('#grove-usage[data-state="data"]', 'usage-data', UI_TIMEOUT_MS);
    const windows = frame.locator('section.windows .window');
    assert.equal(await windows.count(), 3);
    const rows = [];
    for (let i = 0; i < 3; i++) {
      const w = windows.nth(i);
      rows.push([await w.locator('.label').innerText(), await w.locator('.pct').innerText()]);
      assert.equal(await w.locator('svg.bar rect.fill').count(), 1);
    }
    assert.deepEqual(rows, [
      ['Session (5h)', '39%'],
      ['Week (all)', '15%'],
      ['Week (Sonnet)', '4%'],
    ]);
    assert.match(await windows.nth(0).locator('.reset').innerText(), /^resets in (1 h 5\d min|2 h)$/);
    assert.match(await windows.nth(1).locator('.reset').innerText(), /^resets [A-Z][a-z]{2} \d\d:\d\d$/);
    assert.equal(await frame.locator('svg.bar rect.fill').first().getAttribute('width'), '39%');
    const text = await frame.locator('#grove-usage').innerText();
    assert.match(text, /Claude Max/);
    assert.match(text, /Rate-limit tier: Max 20x/);
    assert.match(text, /Extra usage/);
    assert.match(text, /\$1\.37 of \$100\.00 this month/);
    assert.match(text, /Updated \d\d:\d\d/);
    assert.doesNotMatch(text, /stale/);
    assert.ok(api.calls.usage.length >= 1);
    for (const call of api.calls.usage) {
      assert.equal(call.authorization, `Bearer ${ACCESS_TOKEN}`);
      assert.equal(call.beta, 'oauth-2025-04-20');
    }
    assert.equal(api.calls.token, 0, 'the token was refreshed, though it had not expired');
  });

  it("adds the 5-hour window to the Claude status item's tooltip", async () => {
    // Room for the whole Usage view in the screenshot (the status item says who is signed in).
    await setPane('Workspaces', false, 'workspaces-pane');
    await setPane('Account', false, 'account-pane');
    await usageFrame('#grove-usage[data-state="data"]', 'usage-after-layout');
    const item = statusItem('Claude: Max');
    await see(item, 'tooltip-item');
    const hover = page.locator('.monaco-hover, .workbench-hover', { hasText: /Session \(5h\): 39% · resets in/ }).first();
    for (let attempt = 0; ; attempt++) {
      await page.mouse.move(0, 0);
      await item.hover();
      try {
        await hover.waitFor({ timeout: 5_000 });
        break;
      } catch (error) {
        if (attempt === 5) await failed('tooltip', error);
      }
    }
    assert.match(await hover.innerText(), /Session \(5h\): 39% · resets in (1 h 5\d min|2 h)/);
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(ARTIFACTS, 'grove-usage.png') });
    await page.mouse.move(640, 450);
  });

  it('sets a secret from the palette: stored under pluginSecrets, the sign-in untouched', async () => {
    await runCommand('Grove: Set Secret…', 'set');
    const keyBox = quickInput().locator('input');
    await see(keyBox, 'set-key-box');
    await keyBox.fill(SECRET_KEY);
    await page.keyboard.press('Enter');
    const valueBox = quickInput().locator('input[type="password"]');
    await see(valueBox, 'set-value-box');
    await valueBox.pressSequentially(SECRET_VALUE);
    await page.keyboard.press('Enter');
    await see(toast(`Secret “${SECRET_KEY}” saved.`), 'set-saved');
    const stored = credentials();
    assert.deepEqual(stored.pluginSecrets, { [SECRET_KEY]: SECRET_VALUE });
    assert.deepEqual(stored.claudeAiOauth, OAUTH);
    assert.equal(statSync(credentialsFile).mode & 0o777, 0o600);
  });

  it('writes the value to no log: not the Grove output channel, the editor logs or the state folder', async () => {
    const logs = join(editor.root, 'user-data', 'logs');
    // The output channel reaches its file a moment after the line is written.
    let groveText = '';
    for (const deadline = Date.now() + STEP_TIMEOUT_MS; Date.now() < deadline; await page.waitForTimeout(500)) {
      groveText = findFiles(logs, /Grove\.log$/)
        .map((f) => readFileSync(f, 'utf8'))
        .join('\n');
      if (groveText.includes(`stored the secret “${SECRET_KEY}”`)) break;
    }
    assert.match(groveText, /stored the secret “test\.key”/, `the Grove output channel is stored under ${logs}`);
    // The trace shows the request, with its data hidden.
    assert.match(groveText, /Sending request 'grove\/secrets\/set - \(\d+\)'\.\s*\nParams: \(hidden/);
    for (const file of [...findFiles(logs, /./), ...findFiles(stateDir, /./)]) {
      const text = readFileSync(file, 'utf8');
      for (const secret of [SECRET_VALUE, 'FAKEACCESS', 'FAKEREFRESH']) assert.ok(!text.includes(secret), `${file} contains ${secret}`);
    }
    assert.ok(!editor.log().includes(SECRET_VALUE), 'the code-server log contains the value');
    // Nor the page: no notification or view shows it.
    assert.ok(!(await page.locator('body').innerText()).includes(SECRET_VALUE));
  });

  it('deletes the secret from the palette, after a confirmation', async () => {
    await runCommand('Grove: Delete Secret…', 'delete');
    await see(quickInput().locator('.monaco-list-row', { hasText: SECRET_KEY }), 'delete-pick');
    await pick(SECRET_KEY, 'delete-key');
    const dialog = page.locator('.monaco-dialog-box');
    await see(dialog, 'delete-dialog');
    assert.match(await dialog.innerText(), /Delete the secret “test\.key”\?/);
    await click(dialog.locator('.monaco-button', { hasText: /^Delete$/ }), 'delete-confirm');
    await see(toast(`Secret “${SECRET_KEY}” deleted.`), 'delete-done');
    const stored = credentials();
    assert.equal(stored.pluginSecrets, undefined);
    assert.deepEqual(stored.claudeAiOauth, OAUTH);
    assert.equal(api.calls.token, 0);
  });
});
