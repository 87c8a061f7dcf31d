// Real-editor test of the agent CLIs in the Account view: code-server with the Grove .vsix, the claude CLI signed in and no codex CLI to be found; the view lists Claude Code (found, its version) and Codex (not found, its install hint and "Set path…"); "Set path…" opens the grove.codexPath setting, and setting it there to the pinned codex CLI makes the view show Codex found (told by `grove/agents/changed`).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { minimalEnv, resolveTools } from './codeServer.mjs';
import { ARTIFACTS, EditorSession, pinnedCodexCli, reportFailure, tempFolders, UI_TIMEOUT_MS, workbenchSteps } from './harness.mjs';

const STEP_TIMEOUT_MS = 30_000;
/** The sidecar tells a settings change at once; a busy machine may take its time to find and ask `--version`. */
const FOUND_TIMEOUT_MS = 60_000;
const INSTALL_HINT = 'Install it (npm install -g @openai/codex) or set grove.codexPath to its path.';

describe('The agent CLIs in the Account view: found, or not found with an install hint and "Set path…" (code-server)', { timeout: 10 * 60_000 }, () => {
  const tools = resolveTools();
  const codex = pinnedCodexCli();
  const { tempDir, projectFolder, signedInHome, removeAll } = tempFolders();
  const session = new EditorSession(tools);
  let editor;
  let page;

  const fail = (name, error) => reportFailure({ page, editor, name: `agent-clis-${name}`, error, toasts: true });
  const { see, click, accountRow, accountPane } = workbenchSteps({ page: () => page, fail, timeout: STEP_TIMEOUT_MS });
  /** An agent's row under "Agent CLIs": its label alone (a provider row such as "ChatGPT (Codex)" is not one). */
  const agentRow = (label) => accountPane().locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) });

  before(async () => {
    const home = signedInHome('grove-agent-clis-home-');
    const env = {
      ...minimalEnv(tools),
      HOME: home,
      GROVE_STATE_DIR: join(tempDir('grove-agent-clis-state-'), 'state'),
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    };
    ({ editor, page } = await session.start(
      { folder: projectFolder('grove-agent-clis-project-'), home, env },
      { viewport: { width: 1280, height: 860 }, failure: { name: 'agent-clis-start', toasts: true } },
    ));
  });

  after(async () => {
    await session.close();
    removeAll();
  });

  it('lists Claude Code found with its version, and Codex not found with its install hint and "Set path…"', async () => {
    // The Grove sidebar, as a user opens it.
    await page
      .locator('.activitybar .action-item a[aria-label^="Grove"]')
      .click({ timeout: UI_TIMEOUT_MS })
      .catch((e) => fail('sidebar', e));
    await see(accountRow('Agent CLIs'), 'agents-row', UI_TIMEOUT_MS);
    assert.match(await accountRow('Agent CLIs').innerText(), /1 of 4 found/);
    const claude = agentRow('Claude Code');
    await see(claude, 'claude-row');
    assert.match(await claude.innerText(), /\d+\.\d+\.\d+/, 'its version');
    assert.equal(await claude.locator('.codicon-check').count(), 1, 'found');
    const codexRow = agentRow('Codex').filter({ hasText: 'not found' });
    await see(codexRow, 'codex-not-found');
    assert.equal(await codexRow.locator('.codicon-warning').count(), 1);
    await see(accountRow(INSTALL_HINT), 'install-hint');
    // One "Set path…" per CLI not found, in the sidecar's order: Codex's first.
    await see(accountRow('Set path…').first(), 'set-path');
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'grove-agent-clis-not-found.png') });
  });

  it('"Set path…" opens the grove.codexPath setting; a real codex there makes Codex found', async () => {
    await click(accountRow('Set path…').first(), 'set-path-click');
    // The settings editor, showing the one setting.
    const setting = page.locator('.settings-editor .setting-item-contents', { hasText: 'Codex Path' }).first();
    await see(setting, 'settings-editor', UI_TIMEOUT_MS);
    const input = setting.locator('input').first();
    await see(input, 'setting-input');
    await input.fill(codex);

    const found = agentRow('Codex').filter({ hasNotText: 'not found' });
    await see(found, 'codex-found', FOUND_TIMEOUT_MS);
    assert.match(await found.innerText(), /\d+\.\d+\.\d+/, 'its version');
    assert.equal(await found.locator('.codicon-check').count(), 1, 'found');
    await see(accountRow(INSTALL_HINT), 'install-hint-gone', STEP_TIMEOUT_MS, 'detached');
    assert.match(await accountRow('Agent CLIs').innerText(), /2 of 4 found/);
    // The settings editor wrote it where a machine setting goes in a remote window.
    const machine = JSON.parse(readFileSync(join(editor.root, 'user-data', 'Machine', 'settings.json'), 'utf8'));
    assert.equal(machine['grove.codexPath'], codex);
    await page.keyboard.press('Escape');
    await see(setting, 'settings-closed', STEP_TIMEOUT_MS, 'hidden');
    await accountPane().scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'grove-agent-clis-found.png') });
  });
});
