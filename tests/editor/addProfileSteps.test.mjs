// Real-editor test of the Add Profile steps (issue 20, rows 5 and 11): an API key "hello" is refused at its own step as it is typed and Enter does not advance; fixed, it goes on, and Back keeps it; a URL the sidecar refuses at the end (nothing answers there) brings the user back to the URL step with every value kept and the sidecar's words under the box, not in a toast; the Account view's rows put the status word first, the sidecar's sentence in the tooltip.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { minimalEnv, resolveTools } from './codeServer.mjs';
import { ARTIFACTS, EditorSession, reportFailure, tempFolders, UI_TIMEOUT_MS, workbenchSteps } from './harness.mjs';
import { startMessagesApi } from './messagesApi.mjs';

const STEP_TIMEOUT_MS = 30_000;
/** An Anthropic Console key of the right shape (the sidecar stores it without asking Anthropic). */
const API_KEY = `sk-ant-api03-FAKE${'k'.repeat(40)}`;
const KEY_PROFILE = 'console';
const OLLAMA_PROFILE = 'local';
/** Where nothing answers: the sidecar refuses it only when it tries (its rules, mirrored in the editor, take it). */
const DEAD_URL = 'http://127.0.0.1:9';

describe('Add Profile checks each step as the user types, and a refusal brings the user back to its step (code-server)', { timeout: 10 * 60_000 }, () => {
  const tools = resolveTools();
  const { tempDir, projectFolder, signedInHome, removeAll } = tempFolders();
  const session = new EditorSession(tools);
  /** @type {Awaited<ReturnType<typeof startMessagesApi>> | undefined} */
  let ollama;
  let editor;
  let page;

  const fail = (name, error) => reportFailure({ page, editor, name: `add-profile-${name}`, error, toasts: true });
  const { quickInput, see, click, pick, runCommandWhenReady, accountRow } = workbenchSteps({ page: () => page, fail, timeout: STEP_TIMEOUT_MS });
  const message = () => quickInput().locator('.quick-input-message');
  const box = () => quickInput().locator('.quick-input-box input');

  /** Waits for the box of step `n` of `of` (VS Code puts "(n/of)" after the title), then returns its input. */
  async function step(n, of, name, wait = STEP_TIMEOUT_MS) {
    await see(quickInput().locator('.quick-input-title', { hasText: `(${n}/${of})` }), name, wait);
    return box();
  }

  async function addProfile(kind) {
    await runCommandWhenReady('Grove: Add Profile', 'Grove: Add Profile', UI_TIMEOUT_MS).catch((e) => fail('palette', e));
    await pick(kind, 'kind');
  }

  before(async () => {
    ollama = await startMessagesApi({ finalText: 'unused', tags: ['qwen3-coder'] });
    const home = signedInHome('grove-addprofile-home-');
    const env = {
      ...minimalEnv(tools),
      HOME: home,
      GROVE_STATE_DIR: join(tempDir('grove-addprofile-state-'), 'state'),
      // The sidecar detects the Ollama stand-in here; nothing answers where LM Studio is looked for.
      GROVE_OLLAMA_URL: ollama.url,
      GROVE_LMSTUDIO_URL: DEAD_URL,
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    };
    // The default viewport: the sidebar has its default width, where row 11's rows were cut.
    ({ editor, page } = await session.start({ folder: projectFolder(), home, env }, { failure: { name: 'add-profile-start', toasts: true } }));
  });

  after(async () => {
    await session.close();
    await ollama?.close();
    removeAll();
  });

  it('refuses the API key "hello" at its own step as it is typed, saying what a key looks like; Enter does not advance', async () => {
    await addProfile('Anthropic API key');
    const key = await step(1, 2, 'key-step', UI_TIMEOUT_MS);
    assert.equal(await key.getAttribute('type'), 'password');
    await key.fill('hello');
    // At once, under the box, before any Enter.
    await see(message().filter({ hasText: 'That is not an Anthropic API key' }), 'hello-refused');
    assert.match(await message().innerText(), /starts with sk-ant-api .*at least 40 letters/);
    assert.equal(await quickInput().locator('.monaco-inputbox.error').count(), 1, 'shown as an error');
    await key.press('Enter');
    await page.waitForTimeout(1_500);
    // Still the key's step, the value and the error kept.
    await step(1, 2, 'hello-stays');
    assert.equal(await key.inputValue(), 'hello');
    assert.match(await message().innerText(), /That is not an Anthropic API key/);
    await page.screenshot({ path: join(ARTIFACTS, 'add-profile-key-refused.png') });
  });

  it('goes on once the key is fixed; Back returns to the key with it kept; the profile is added', async () => {
    const key = box();
    await key.fill(API_KEY);
    await see(message().filter({ hasText: 'That is not an Anthropic API key' }), 'fixed-key', STEP_TIMEOUT_MS, 'detached');
    await key.press('Enter');
    const name = await step(2, 2, 'name-step');
    assert.equal(await name.inputValue(), 'default');
    await name.fill(KEY_PROFILE);
    await click(quickInput().locator('.quick-input-left-action-bar .action-label'), 'back');
    const again = await step(1, 2, 'back-to-key');
    assert.equal(await again.inputValue(), API_KEY, 'the key is kept');
    await again.press('Enter');
    const nameAgain = await step(2, 2, 'name-again');
    assert.equal(await nameAgain.inputValue(), KEY_PROFILE, 'the name typed before Back is kept');
    await nameAgain.press('Enter');
    await see(quickInput(), 'key-flow-closed', STEP_TIMEOUT_MS, 'hidden');
    await see(accountRow(KEY_PROFILE), 'key-profile-row', UI_TIMEOUT_MS);
  });

  it('brings a URL the sidecar refuses at the end back to its step, every value kept, its words under the box (no toast)', async () => {
    await addProfile('Ollama');
    const url = await step(1, 3, 'url-step', UI_TIMEOUT_MS);
    assert.equal(await url.inputValue(), ollama.url, 'the detected URL');
    await url.fill(DEAD_URL);
    await page.waitForTimeout(300);
    assert.equal(await quickInput().locator('.monaco-inputbox.error').count(), 0, 'the editor sees nothing wrong with it');
    await url.press('Enter');
    const secret = await step(2, 3, 'secret-step');
    await secret.press('Enter');
    const name = await step(3, 3, 'name-step');
    await name.fill(OLLAMA_PROFILE);
    await name.press('Enter');

    // The sidecar finds nothing at the URL: back at the URL's step, with it, and the sidecar's words.
    await see(message().filter({ hasText: `Nothing answered at ${DEAD_URL}` }), 'refused-url', UI_TIMEOUT_MS);
    await step(1, 3, 'back-at-url');
    assert.equal(await box().inputValue(), DEAD_URL, 'the refused URL is kept');
    assert.equal(await quickInput().locator('.monaco-inputbox.error').count(), 1, 'shown as an error');
    const toasts = await page.locator('.notification-toast').allInnerTexts();
    assert.ok(!toasts.some((t) => t.includes('Nothing answered')), `no toast: ${toasts.join(' | ')}`);
    await page.screenshot({ path: join(ARTIFACTS, 'add-profile-refused-back-at-url.png') });

    // Fixed: the later steps kept their values, and the profile is added.
    await box().fill(ollama.url);
    await see(message().filter({ hasText: 'Nothing answered' }), 'url-fixed', STEP_TIMEOUT_MS, 'detached');
    await box().press('Enter');
    await (await step(2, 3, 'secret-again')).press('Enter');
    const nameAgain = await step(3, 3, 'name-again');
    assert.equal(await nameAgain.inputValue(), OLLAMA_PROFILE, 'the name is kept');
    await nameAgain.press('Enter');
    await see(quickInput(), 'ollama-flow-closed', UI_TIMEOUT_MS, 'hidden');
    await see(accountRow(OLLAMA_PROFILE).filter({ hasText: ollama.url.replace(/^http:\/\//, '') }), 'ollama-row', UI_TIMEOUT_MS);
  });

  it('puts the status word first in the Account view rows, the sidecar sentence in the tooltip (row 11)', async () => {
    const cli = accountRow('claude-cli');
    await see(cli, 'cli-row');
    await see(cli.filter({ hasText: /\bok\b/ }), 'cli-row-ok', UI_TIMEOUT_MS);
    const text = (await cli.innerText()).replace(/\s+/g, ' ').trim();
    // Before: "claude-cli (new runs) ok · The claude CLI uses …", cut at "ok · The cl…".
    assert.match(text, /^claude-cli( \(new runs\))? ?ok$/, text);
    const key = (await accountRow(KEY_PROFILE).innerText()).replace(/\s+/g, ' ').trim();
    assert.match(key, new RegExp(`^${KEY_PROFILE} ?no expiry$`));
    // Fully visible: no row of the profiles is cut off at the default width.
    for (const row of [cli, accountRow(KEY_PROFILE), accountRow(OLLAMA_PROFILE)]) {
      const cut = await row.locator('.monaco-icon-label-container').evaluate((el) => el.scrollWidth > el.clientWidth + 1);
      assert.equal(cut, false, `${await row.innerText()} is cut off`);
    }
    await page.screenshot({ path: join(ARTIFACTS, 'add-profile-account-rows.png') });
    // The sentence is in the tooltip.
    await cli.hover();
    const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'Status: ok (' });
    await see(hover, 'cli-tooltip', STEP_TIMEOUT_MS);
    assert.match(await hover.innerText(), /claude CLI/);
    await page.screenshot({ path: join(ARTIFACTS, 'add-profile-account-tooltip.png') });
  });
});
