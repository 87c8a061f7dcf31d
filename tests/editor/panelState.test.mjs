// Real-editor test of an agent panel that follows its workspace and says where it stands: an empty prompt is not sent (Send disabled, a hint says why); archive and restore from the tree while the panel is in a background tab, and from the panel's own Restore button, leave the panel as the workspace is (active, prompt enabled) whenever it comes back in view; the tab's title carries the latest run's state; a follow-up says "continued session", a new session "new session"; a denied tool call shows "denied" with the user's message, not "error". Code-server with the Grove .vsix and the real claude CLI against a loopback Messages API.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveTools } from './codeServer.mjs';
import {
  agentPanelFrame,
  ARTIFACTS,
  createWorkspace,
  EditorSession,
  reportFailure,
  tempFolders,
  UI_TIMEOUT_MS,
  workbenchSteps,
  loopbackAgentSetup,
} from './harness.mjs';
import { startMessagesApi } from './messagesApi.mjs';

/** Other tests may run beside this one. */
const STEP_TIMEOUT_MS = 60_000;
/** A whole agent turn, CLI start included, on a busy machine. */
const RUN_TIMEOUT_MS = 120_000;
/** A fake Console key: it starts with sk-ant-api, so Grove passes it to the CLI. */
const API_KEY = 'sk-ant-api03-PANELSTATELOOPBACK00000000';
const WORKSPACE_NAME = 'panel-state';
const TITLE = `Agent · ${WORKSPACE_NAME}`;
const DENY_MESSAGE = 'Not in this worktree, please';

describe('The agent panel follows its workspace and says where it stands (code-server + claude CLI)', { timeout: 15 * 60_000 }, () => {
  const tools = resolveTools();
  // Real paths: the sidecar names repositories by their canonical path.
  const { tempDir, removeAll } = tempFolders({ realPaths: true });
  const session = new EditorSession(tools);
  let api;
  let editor;
  let page;
  let workspace;

  const fail = (name, error) =>
    reportFailure({
      page,
      editor,
      name: `panel-state-${name}`,
      error,
      toasts: true,
      details: () => ({ 'stand-in': `${api?.requests.length} Messages API requests` }),
    });
  const { sidebar, quickInput, see, runCommandWhenReady: runCommand } = workbenchSteps({ page: () => page, fail, timeout: STEP_TIMEOUT_MS });
  const workspacesPane = () => sidebar().locator('.pane', { has: page.locator('.pane-header', { hasText: 'Workspaces' }) });
  // The workspace's row (the repository's row above it may name a folder with the same words).
  const treeRow = () => workspacesPane().locator('.monaco-list-row[aria-level="2"]', { hasText: WORKSPACE_NAME }).first();
  /** The panel's tab; with `suffix`, only while its title ends so (" · running", " (archived)"). */
  const panelTab = (suffix = '') => page.locator('.tabs-container .tab', { hasText: `${TITLE}${suffix}` });
  /** The tab's title as shown. */
  const tabTitle = async () => (await panelTab().locator('.label-name').first().innerText()).trim();

  before(async () => {
    api = await startMessagesApi({ finalText: 'Done.' });
    const { home, env, repo } = loopbackAgentSetup(tools, tempDir, 'panel-state', api.url, API_KEY);
    workspace = await createWorkspace(env, repo, tools.claude, WORKSPACE_NAME);
    assert.equal(workspace.state, 'active');
    ({ editor, page } = await session.start(
      { folder: repo, home, env },
      { viewport: { width: 1280, height: 900 }, failure: { name: 'panel-state-start', toasts: true } },
    ));
  });

  after(async () => {
    await session.close();
    await api?.close();
    removeAll();
  });

  /** The panel's frame, as it is now (a page that reloaded is a new frame). */
  async function panel() {
    const frame = await agentPanelFrame(page, UI_TIMEOUT_MS);
    if (!frame) await fail('panel', new Error('the agent panel did not appear'));
    return frame;
  }

  /** Opens README.md from the quick open: the panel's tab goes to the background. */
  async function openReadme() {
    await page.keyboard.press('F1');
    const input = quickInput().locator('input');
    await see(input, 'readme-input');
    await input.fill('README.md');
    await see(quickInput().locator('.monaco-list-row', { hasText: 'README.md' }).first(), 'readme-item');
    await page.keyboard.press('Enter');
    await see(page.locator('.tabs-container .tab.active', { hasText: 'README.md' }), 'readme-tab');
    assert.equal(await page.locator('.tabs-container .tab.active', { hasText: TITLE }).count(), 0, 'the panel is in the background');
  }

  /** Brings the panel's tab forward (the user clicks it) and answers its frame. */
  async function backToPanel() {
    await panelTab()
      .click({ timeout: STEP_TIMEOUT_MS })
      .catch((e) => fail('panel-tab', e));
    await see(page.locator('.tabs-container .tab.active', { hasText: TITLE }), 'panel-tab-active');
    return panel();
  }

  /** A tree row's context menu item (a menu ignores a click that comes right after it opened). */
  async function contextMenu(item) {
    const entry = page.locator('.context-view .action-item', { hasText: item }).first();
    // A menu opened just before the row took its new state keeps the old items: close it and ask again.
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    for (;;) {
      await treeRow().click({ button: 'right' });
      const shown = await entry.waitFor({ timeout: 5_000 }).then(
        () => true,
        () => false,
      );
      if (shown) break;
      if (Date.now() > deadline) await fail(`menu-${item}`, new Error(`no "${item}" in the row's menu`));
      await page.keyboard.press('Escape');
    }
    await page.waitForTimeout(300);
    await entry.click({ timeout: STEP_TIMEOUT_MS });
    if (
      await entry.waitFor({ state: 'hidden', timeout: 3_000 }).then(
        () => false,
        () => true,
      )
    )
      await entry.click({ timeout: STEP_TIMEOUT_MS });
  }

  /** The panel shows the workspace active: its header without "(archived)", no note, the prompt box enabled. */
  async function assertActive(frame, name) {
    await see(frame.locator('.panel-head', { hasText: workspace.path }), `${name}-header`);
    assert.doesNotMatch(await frame.locator('.panel-head').innerText(), /archived/);
    await see(frame.locator('#composer-note'), `${name}-note-gone`, STEP_TIMEOUT_MS, 'hidden');
    assert.equal(await frame.locator('#prompt').isDisabled(), false, 'the prompt box takes prompts');
    assert.equal(await frame.locator('#composer.read-only').count(), 0);
  }

  it('row 7: Send is disabled with a hint while the prompt is empty or only spaces, and Ctrl+Enter then says so', async () => {
    await page
      .locator('.activitybar .action-item a[aria-label^="Grove"]')
      .click({ timeout: UI_TIMEOUT_MS })
      .catch((e) => fail('sidebar', e));
    await see(treeRow(), 'tree', UI_TIMEOUT_MS);
    await runCommand('Grove: Run Agent', 'Grove: Run Agent', UI_TIMEOUT_MS).catch((e) => fail('palette', e));
    await quickInput()
      .locator('.monaco-list-row', { hasText: WORKSPACE_NAME })
      .first()
      .click({ timeout: UI_TIMEOUT_MS })
      .catch((e) => fail('pick', e));
    const frame = await panel();
    await see(frame.locator('#runs p.empty'), 'empty-runs');
    const send = frame.locator('#send');
    const hint = frame.locator('#send-hint');

    // Empty: Send disabled, the hint beside it.
    assert.equal(await send.isDisabled(), true);
    await see(hint, 'hint');
    assert.equal(await hint.innerText(), 'Type a prompt to send');
    // Only spaces and new lines: the same; Ctrl+Enter sends nothing and the hint says so, stronger.
    await frame.locator('#prompt').fill('   \n  ');
    assert.equal(await send.isDisabled(), true);
    await frame.locator('#prompt').press('Control+Enter');
    await see(frame.locator('#send-hint.attention'), 'hint-attention');
    await page.waitForTimeout(1_000);
    assert.equal(await frame.locator('section.run').count(), 0, 'no run started');
    await page.screenshot({ path: join(ARTIFACTS, 'panel-state-empty-prompt.png') });

    // A prompt: Send takes it, the hint goes; emptied again, both come back.
    await frame.locator('#prompt').fill('Fix the README');
    assert.equal(await send.isDisabled(), false);
    await see(hint, 'hint-gone', STEP_TIMEOUT_MS, 'hidden');
    await frame.locator('#prompt').fill('');
    assert.equal(await send.isDisabled(), true);
    await see(hint, 'hint-back');
    assert.equal(await tabTitle(), TITLE, 'no run yet: the title is the workspace alone');
  });

  it('row 1: archived and restored from the tree while the panel is in the background, the panel comes back active', async () => {
    await openReadme();
    await contextMenu('Archive Workspace').catch((e) => fail('archive', e));
    // The title follows at once, whatever tab is visible.
    await see(panelTab(' (archived)'), 'title-archived');
    assert.equal(existsSync(workspace.path), false, 'the worktree is gone once archived');
    await contextMenu('Restore Workspace').catch((e) => fail('restore', e));
    await see(page.locator('.tabs-container .tab', { hasText: TITLE }).filter({ hasNotText: 'archived' }), 'title-restored');
    assert.equal(existsSync(workspace.path), true, 'the worktree is back');

    const frame = await backToPanel();
    await assertActive(frame, 'restored-in-background');
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'panel-state-restored-in-background.png') });
  });

  it("row 1: archived while in the background, restored with the panel's own Restore button, and still active after another tab", async () => {
    await openReadme();
    await contextMenu('Archive Workspace').catch((e) => fail('archive-again', e));
    await see(panelTab(' (archived)'), 'title-archived-again');

    // Back in view: archived, the prompt box off, a Restore button in the note.
    let frame = await backToPanel();
    await see(frame.locator('.panel-head', { hasText: '(archived)' }), 'header-archived');
    assert.equal(await frame.locator('#prompt').isDisabled(), true);
    const restore = frame.locator('#composer-note button[data-action="restoreWorkspace"]');
    await see(restore, 'restore-button');
    assert.equal(await restore.innerText(), 'Restore');
    await page.screenshot({ path: join(ARTIFACTS, 'panel-state-archived.png') });

    // Restore from the panel: the button waits, then the note goes and the prompt box takes prompts.
    await restore.click();
    await assertActive(frame, 'restored-from-panel');
    await see(page.locator('.tabs-container .tab', { hasText: TITLE }).filter({ hasNotText: 'archived' }), 'title-restored-from-panel');

    // Another tab, then the panel again: its page reloads, and shows the workspace as it is now, not as it was when built.
    await openReadme();
    frame = await backToPanel();
    await assertActive(frame, 'restored-after-tab');
    assert.equal(await frame.locator('#composer-note button').count(), 0, 'no Restore button is left');
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'panel-state-restored-from-panel.png') });
  });

  it('row 6: the tab title says the latest run is running, then succeeded; row 9: the first turn has no session marker', async () => {
    const frame = await panel();
    // A slow model: the run stays "running" for a while.
    api.setDelay(4_000);
    await frame.locator('#prompt').fill('Please write notes.txt');
    await frame.locator('#prompt').press('Control+Enter');
    await see(panelTab(' · running'), 'title-running', RUN_TIMEOUT_MS);
    await page.screenshot({ path: join(ARTIFACTS, 'panel-state-title-running.png') });
    await see(panelTab(' · succeeded'), 'title-succeeded', RUN_TIMEOUT_MS);
    api.setDelay(0);
    assert.equal(await tabTitle(), `${TITLE} · succeeded`);
    const first = frame.locator('section.run').nth(0);
    await see(first.locator('.run-foot .state-succeeded'), 'first-succeeded');
    assert.equal(await first.locator('.session-break').count(), 0, 'the first turn starts the conversation: no marker');
    await page.screenshot({ path: join(ARTIFACTS, 'panel-state-title-succeeded.png') });
  });

  it('row 9: a follow-up says "continued session"; a turn with New session ticked says "new session"', async () => {
    const frame = await panel();
    const runs = frame.locator('section.run');
    await frame.locator('#prompt').fill('Go on, please');
    await frame.locator('#prompt').press('Control+Enter');
    await see(runs.nth(1).locator('.run-foot .state-succeeded'), 'follow-up-succeeded', RUN_TIMEOUT_MS);
    await see(runs.nth(1).locator('.run-head .session-break', { hasText: 'continued session' }), 'continued-marker');

    await frame.locator('#newSession').check();
    await frame.locator('#prompt').fill('Start over, please');
    await frame.locator('#prompt').press('Control+Enter');
    await see(runs.nth(2).locator('.run-foot .state-succeeded'), 'new-session-succeeded', RUN_TIMEOUT_MS);
    await see(runs.nth(2).locator('.run-head .session-break', { hasText: 'new session' }), 'new-marker');
    assert.equal(await runs.nth(1).locator('.session-break').innerText(), 'continued session');
    assert.equal(await runs.nth(2).locator('.session-break').innerText(), 'new session');
    await runs.nth(1).scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'panel-state-session-markers.png') });
  });

  it('row 8: a tool call denied with a message shows "denied" and the message, not "error"', async () => {
    const frame = await panel();
    await frame.locator('#permissionMode').selectOption('default');
    api.setTool({ name: 'Bash', input: { command: 'rm -rf build', description: 'Remove the build folder' } });
    await frame.locator('#prompt').fill('Clean the build folder');
    await frame.locator('#prompt').press('Control+Enter');
    const run = frame.locator('section.run').nth(3);
    const card = run.locator('.run-requests .request.request-tool');
    await see(card, 'deny-request', RUN_TIMEOUT_MS);
    await see(panelTab(' · waiting'), 'title-waiting');
    await card.locator('button[data-request-action="deny"]').click();
    const message = card.locator('.request-message-text');
    await see(message, 'deny-message');
    await message.fill(DENY_MESSAGE);
    await message.press('Enter');
    await see(run.locator('.run-foot .state-succeeded'), 'deny-succeeded', RUN_TIMEOUT_MS);
    api.setTool(undefined);

    const tool = run.locator('details.tool', { hasText: 'Bash' });
    await see(tool.locator('.tool-status', { hasText: 'denied' }), 'tool-denied');
    assert.equal(await tool.evaluate((d) => d.classList.contains('tool-denied')), true);
    assert.equal(await tool.evaluate((d) => d.classList.contains('tool-error')), false, 'not the error badge');
    assert.equal(await tool.locator('.tool-status').innerText(), 'denied');
    // The message, in the summary line, and in full when opened.
    assert.match(await tool.locator('summary').innerText(), new RegExp(DENY_MESSAGE));
    await tool.locator('summary').click();
    assert.equal(await tool.locator('.tool-label', { hasText: 'Denied' }).count(), 1);
    assert.match(await tool.locator('pre.tool-result.is-denied').innerText(), new RegExp(DENY_MESSAGE));
    assert.equal(await tool.locator('.is-error').count(), 0);
    await tool.scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'panel-state-tool-denied.png') });

    // A new panel reads the run back from its transcript: still "denied" (the sidecar's toolResult says so).
    const tab = panelTab();
    await tab.hover();
    await tab
      .locator('.tab-actions .action-label[aria-label^="Close"]')
      .click({ timeout: STEP_TIMEOUT_MS })
      .catch((e) => fail('close-tab', e));
    await see(panelTab(), 'tab-closed', STEP_TIMEOUT_MS, 'hidden');
    await runCommand('Grove: Open Agent Panel', 'Grove: Open Agent Panel', UI_TIMEOUT_MS).catch((e) => fail('open-palette', e));
    await quickInput()
      .locator('.monaco-list-row', { hasText: WORKSPACE_NAME })
      .first()
      .click({ timeout: UI_TIMEOUT_MS })
      .catch((e) => fail('open-pick', e));
    const reopened = (await panel()).locator('section.run').nth(3).locator('details.tool', { hasText: 'Bash' });
    await see(reopened.locator('.tool-status', { hasText: 'denied' }), 'tool-denied-from-transcript');
    assert.match(await reopened.locator('summary').innerText(), new RegExp(DENY_MESSAGE));
  });

  it('row 6: a cancelled run says so in the tab title', async () => {
    const frame = await panel();
    await frame.locator('#permissionMode').selectOption('acceptEdits');
    api.setDelay(10 * 60_000);
    await frame.locator('#prompt').fill('Take all the time you need');
    await frame.locator('#prompt').press('Control+Enter');
    const run = frame.locator('section.run').nth(4);
    await see(run.locator('.state-running'), 'cancel-running', RUN_TIMEOUT_MS);
    await see(panelTab(' · running'), 'title-running-again');
    await run.locator('button[data-action="cancel"]').click();
    await see(panelTab(' · cancelled'), 'title-cancelled', STEP_TIMEOUT_MS);
    api.setDelay(0);
    assert.equal(await tabTitle(), `${TITLE} · cancelled`);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'panel-state-title-cancelled.png') });
  });
});
