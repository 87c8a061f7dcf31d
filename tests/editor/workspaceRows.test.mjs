// Real-editor test of the Workspaces tree's rows (issue 20): an added file's row opens a diff against empty (row 10); a finished run shows its outcome and "new result" until opened (row 6); archive asks to save unsaved editors of the worktree and says which terminals are open there (Enter only shows them) and closes them first, restore brings the saved content, normal file rows, refreshed tabs and a terminal offer (row 2); a deleted workspace (its terminal closed first) has its kept branch offered on the name step and continued on, against the base the user picks (row 4).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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

const STEP_TIMEOUT_MS = 60_000;
/** A whole agent turn, CLI start included, on a busy machine. */
const RUN_TIMEOUT_MS = 150_000;
/** A fake Console key: it starts with sk-ant-api, so Grove passes it to the CLI. */
const API_KEY = 'sk-ant-api03-ROWSLOOPBACKKEY00000000000';
/** The workspace most steps use. */
const WS = 'rows';
/** The workspace deleted (its branch kept) and created again on that branch. */
const KEPT = 'kept';
const ADDED_FILE = 'src/added.js';
const ADDED_TEXT = 'export const added = true;';
const KEPT_FILE = 'kept-work.txt';
/** An edit typed into a worktree file and saved only when archive asks. */
const EDIT_TEXT = '// saved before archive';

const git = (cwd, ...args) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('Workspace rows in a real editor: diffs, results, archive and restore, a kept branch (code-server + claude CLI)', { timeout: 15 * 60_000 }, () => {
  const tools = resolveTools();
  // Real paths: the sidecar names repositories by their canonical path.
  const { tempDir, removeAll } = tempFolders({ realPaths: true });
  const session = new EditorSession(tools);
  let api;
  let editor;
  let page;
  let repo;
  let workspace;

  const fail = (name, error) =>
    reportFailure({
      page,
      editor,
      name: `rows-${name}`,
      error,
      toasts: true,
      details: () => ({ 'stand-in': `${api?.requests.length} Messages API requests` }),
    });
  const { sidebar, quickInput, see, click, pick, runCommandWhenReady } = workbenchSteps({ page: () => page, fail, timeout: STEP_TIMEOUT_MS });
  const workspacesPane = () => sidebar().locator('.pane', { has: page.locator('.pane-header', { hasText: 'Workspaces' }) });
  /** The tree row of a workspace: its name is the row's label (file rows may carry the name in their path). */
  const wsRow = (name) => workspacesPane().locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${name}$`) }) });
  const treeRow = (text) => workspacesPane().locator('.monaco-list-row', { hasText: text }).first();
  const tab = (text) => page.locator('.tabs-container .tab', { hasText: text });
  const dialog = () => page.locator('.monaco-dialog-box');
  const toast = (text) => page.locator('.notification-toast', { hasText: text });
  const terminals = () => page.locator('.integrated-terminal .xterm');
  const shot = async (name) => {
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
  };

  /** Whether an element is drawn in the list's error color (as the editor marks a deleted file). */
  const inErrorColor = (locator) =>
    locator.evaluate((el) => {
      const probe = document.createElement('span');
      probe.style.color = 'var(--vscode-list-errorForeground)';
      document.body.append(probe);
      const error = getComputedStyle(probe).color;
      probe.remove();
      return getComputedStyle(el).color === error;
    });

  /** Picks `item` in the context menu of `row`; a menu may ignore a click that comes right after it opened. */
  async function contextMenu(row, item, name) {
    await row.click({ button: 'right', timeout: STEP_TIMEOUT_MS }).catch((e) => fail(`${name}-menu`, e));
    const entry = page.locator('.context-view .action-item', { hasText: item }).first();
    await see(entry, `${name}-entry`);
    await page.waitForTimeout(300);
    await entry.click({ timeout: STEP_TIMEOUT_MS }).catch((e) => fail(`${name}-click`, e));
    const stillOpen = await entry.waitFor({ state: 'hidden', timeout: 3_000 }).then(
      () => false,
      () => true,
    );
    if (stillOpen) await entry.click({ timeout: STEP_TIMEOUT_MS }).catch((e) => fail(`${name}-click-again`, e));
  }

  /** Expands a workspace row (a click toggles it) unless its children show already. */
  async function expand(row, child, name) {
    if ((await row.getAttribute('aria-expanded')) !== 'true') await click(row, `${name}-expand`);
    await see(child, `${name}-child`);
  }

  before(async () => {
    api = await startMessagesApi({ finalText: 'Done.' });
    const setup = loopbackAgentSetup(tools, tempDir, 'rows', api.url, API_KEY);
    const { home, env } = setup;
    repo = setup.repo;
    workspace = await createWorkspace(env, repo, tools.claude, WS);
    // A workspace with a commit of its own on its branch: deleted (the branch kept), then continued on.
    const kept = await createWorkspace(env, repo, tools.claude, KEPT);
    writeFileSync(join(kept.path, KEPT_FILE), 'work worth keeping\n');
    git(kept.path, 'add', KEPT_FILE);
    git(kept.path, 'commit', '-q', '-m', 'Work worth keeping');
    ({ editor, page } = await session.start(
      // The desktop editor's default (the web one saves after a delay): an edit stays unsaved until saved.
      { folder: repo, home, env, settings: { 'files.autoSave': 'off' } },
      { viewport: { width: 1280, height: 900 }, failure: { name: 'rows-start', toasts: true } },
    ));
  });

  after(async () => {
    await session.close();
    await api?.close();
    removeAll();
  });

  it('row 10: an added file row opens its diff against an empty left side, not the plain file', async () => {
    mkdirSync(join(workspace.path, 'src'), { recursive: true });
    writeFileSync(join(workspace.path, ADDED_FILE), `${ADDED_TEXT}\n`);
    await page
      .locator('.activitybar .action-item a[aria-label^="Grove"]')
      .click({ timeout: UI_TIMEOUT_MS })
      .catch((e) => fail('sidebar', e));
    // The short words: the count first, no branch or state (they are in the tooltip).
    await see(wsRow(WS).filter({ hasText: '1 changed' }), 'row10-count', UI_TIMEOUT_MS);
    assert.doesNotMatch(await wsRow(WS).innerText(), /grove\/rows|active/);
    const addedRow = treeRow('added.js');
    await expand(wsRow(WS), addedRow, 'row10');
    await click(addedRow, 'row10-file');
    await see(tab(`${WS}: ${ADDED_FILE} (base ↔ workspace)`), 'row10-tab');
    const diff = page.locator('.monaco-diff-editor');
    await see(diff.locator('.editor.modified', { hasText: ADDED_TEXT }), 'row10-modified');
    assert.equal((await diff.locator('.editor.original .view-lines').innerText()).trim(), '', 'the left side (the base) is empty');
    await shot('rows-10-added-file-diff');
  });

  it('row 6: a finished run shows its outcome and "new result" until it is opened from the tree', async () => {
    // A slow model: the run is still going when its panel goes to the background.
    api.setDelay(3_000);
    await runCommandWhenReady('Grove: Run Agent', 'Grove: Run Agent', UI_TIMEOUT_MS).catch((e) => fail('row6-palette', e));
    await click(quickInput().locator('.monaco-list-row', { hasText: WS }).first(), 'row6-pick');
    const frame = await agentPanelFrame(page, UI_TIMEOUT_MS);
    if (!frame) await fail('row6-panel', new Error('the agent panel did not appear'));
    await frame.locator('#prompt').fill('Please write notes.txt');
    await frame.locator('#prompt').press('Control+Enter');
    await see(wsRow(WS).filter({ hasText: /running|queued/ }), 'row6-running', RUN_TIMEOUT_MS);
    // The user looks at something else while the agent works.
    await click(tab(`${WS}: ${ADDED_FILE}`), 'row6-other-tab');
    await see(wsRow(WS).filter({ hasText: 'new result' }), 'row6-new-result', RUN_TIMEOUT_MS);
    api.setDelay(0);
    assert.equal(await wsRow(WS).locator('.custom-view-tree-node-item-icon.codicon-pass-filled').count(), 1, 'a filled check: succeeded, not opened yet');
    const result = treeRow('Agent succeeded');
    await see(result.filter({ hasText: 'new result' }), 'row6-result-row');
    await shot('rows-6-new-result');

    // Opened from the tree: the panel shows the run, and the row says its outcome, no longer news.
    await click(result, 'row6-open');
    await see(tab(`Agent · ${WS}`), 'row6-panel-tab');
    await see(wsRow(WS).filter({ hasText: 'new result' }), 'row6-seen', STEP_TIMEOUT_MS, 'hidden');
    await see(wsRow(WS).filter({ hasText: 'succeeded' }), 'row6-outcome');
    assert.equal(await wsRow(WS).locator('.custom-view-tree-node-item-icon.codicon-pass').count(), 1, 'a check: succeeded');
    await shot('rows-6-result-opened');
  });

  it('row 2: archive names the terminal in the worktree and closes it; restore brings normal rows, refreshed tabs and a terminal offer', async () => {
    // A terminal in the worktree, one file's diff (kept open: a double click on its preview tab) and the changes of the workspace, open.
    await contextMenu(wsRow(WS), 'Open Terminal Here', 'row2-terminal');
    await see(terminals().first(), 'row2-terminal-open');
    await click(treeRow('added.js'), 'row2-diff');
    const diffTab = tab(`${WS}: ${ADDED_FILE} (base ↔ workspace)`);
    await see(diffTab, 'row2-diff-tab');
    await diffTab.dblclick({ timeout: STEP_TIMEOUT_MS }).catch((e) => fail('row2-keep-diff', e));
    await wsRow(WS).hover();
    await click(wsRow(WS).locator('.action-label[aria-label="Show Changes"]'), 'row2-show-changes');
    const changesTab = tab(`Changes in ${WS} (against main)`);
    await see(changesTab, 'row2-changes-tab');
    assert.equal(await diffTab.count(), 1, 'the diff stays open beside the changes');

    const changed = /(\d+) changed/.exec(await wsRow(WS).innerText())?.[1];
    assert.ok(changed, 'the row counts the changed files');

    // An edit of a worktree file, typed in the diff's right side and not saved.
    await click(diffTab, 'row2-diff-front');
    await click(page.locator('.monaco-diff-editor .editor.modified .view-lines'), 'row2-edit-focus');
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type(EDIT_TEXT);
    await see(diffTab.and(page.locator('.tab.dirty')), 'row2-dirty-tab');
    assert.doesNotMatch(readFileSync(join(workspace.path, ADDED_FILE), 'utf8'), new RegExp(EDIT_TEXT), 'not saved yet');

    // Archive: first the unsaved file; Enter (the focused button) would only show it.
    await contextMenu(wsRow(WS), 'Archive Workspace', 'row2-archive');
    await see(dialog().filter({ hasText: '1 file in this worktree has unsaved changes.' }), 'row2-unsaved');
    assert.match(await dialog().innerText(), new RegExp(ADDED_FILE));
    await see(dialog().locator('.monaco-button:focus', { hasText: 'Show the File' }), 'row2-unsaved-default');
    await shot('rows-2-archive-unsaved');
    await click(dialog().locator('.monaco-button', { hasText: 'Save and Archive' }), 'row2-save');
    // Then the confirmation says which terminal is open there, and that it will be closed; Enter would only show it.
    await see(dialog().filter({ hasText: `1 terminal is open in this worktree (“${WS}”): it will be closed.` }), 'row2-asked');
    await see(dialog().locator('.monaco-button:focus', { hasText: 'Show the Terminal' }), 'row2-terminal-default');
    assert.match(readFileSync(join(workspace.path, ADDED_FILE), 'utf8'), new RegExp(EDIT_TEXT), 'saved before archiving');
    await shot('rows-2-archive-terminals');
    await click(dialog().locator('.monaco-button', { hasText: 'Close the Terminal and Archive' }), 'row2-agree');
    // Its untracked files are saved as a snapshot.
    await see(dialog().filter({ hasText: 'uncommitted or untracked file' }), 'row2-dirty');
    await click(dialog().locator('.monaco-button', { hasText: 'Save Snapshot and Archive' }), 'row2-snapshot');
    await see(wsRow(WS).filter({ hasText: 'archived' }), 'row2-archived');
    assert.equal(existsSync(workspace.path), false, 'the worktree is gone once archived');
    await see(terminals().first(), 'row2-terminal-closed', STEP_TIMEOUT_MS, 'hidden');
    // Its tabs would show its files deleted: closed.
    await see(changesTab, 'row2-changes-closed', STEP_TIMEOUT_MS, 'hidden');
    await see(diffTab, 'row2-diff-closed', STEP_TIMEOUT_MS, 'hidden');

    // Restore: the saved work is back, the tabs open again from the new state, a terminal is offered.
    await contextMenu(wsRow(WS), 'Restore Workspace', 'row2-restore');
    const restored = toast(`Restored ${WS}`);
    await see(restored.filter({ hasText: 'Archiving closed 1 terminal there' }), 'row2-restored');
    await see(wsRow(WS).filter({ hasText: `${changed} changed` }), 'row2-count');
    await see(changesTab, 'row2-changes-again');
    // The edited diff was in front when archived: it is in front again; the changes behind it.
    await click(changesTab, 'row2-changes-front');
    const multi = page.locator('.multiDiffEditor');
    await see(multi.locator('.header', { hasText: 'added.js' }).first(), 'row2-changes-file');
    await see(diffTab, 'row2-diff-again');
    // The edit saved before archiving came back with the snapshot, on disk and in the diff.
    assert.match(readFileSync(join(workspace.path, ADDED_FILE), 'utf8'), new RegExp(EDIT_TEXT), 'the saved edit is restored');
    await click(diffTab, 'row2-diff-front-again');
    await see(page.locator('.monaco-diff-editor .editor.modified', { hasText: EDIT_TEXT }), 'row2-edit-restored');
    // The file rows are plain again: no "deleted" decoration (red, struck through) from before the restore.
    const addedRow = treeRow('added.js');
    await expand(wsRow(WS), addedRow, 'row2');
    // The agent's notes.txt too, when its run was part of this session.
    const rows = existsSync(join(workspace.path, 'notes.txt')) ? [addedRow, treeRow('notes.txt')] : [addedRow];
    for (const row of rows) {
      await see(row, 'row2-file-row');
      assert.equal(await row.locator('.monaco-icon-label.strikethrough').count(), 0, 'not struck through');
      assert.equal(await inErrorColor(row.locator('.label-name').first()), false, 'not red');
    }
    await shot('rows-2-restored');

    await click(restored.locator('.monaco-button', { hasText: 'Open Terminal Here' }), 'row2-reopen-terminal');
    await see(terminals().first(), 'row2-terminal-again');
    await shot('rows-2-terminal-again');
  });

  it('row 4: a deleted workspace\'s name is told on the name step, and "Continue on the kept branch" keeps its work', async () => {
    const keptPath = git(repo, 'worktree', 'list', '--porcelain')
      .split('\n\n')
      .find((entry) => entry.includes(`branch refs/heads/grove/${KEPT}`))
      ?.match(/^worktree (.*)$/m)?.[1];
    assert.ok(keptPath, 'the kept workspace has a worktree');

    // A terminal in its worktree: delete asks about it too, and closes it before the worktree goes.
    await contextMenu(wsRow(KEPT), 'Open Terminal Here', 'row4-terminal');
    // Named in the terminal list (several terminals) or the panel's title (one).
    const keptTerminal = page.locator('.terminal-tabs-entry, .single-terminal-tab', { hasText: KEPT }).first();
    await see(keptTerminal, 'row4-terminal-open');

    // Delete it, keeping its branch.
    await contextMenu(wsRow(KEPT), 'Delete Workspace', 'row4-delete');
    await see(dialog().filter({ hasText: `Delete the workspace “${KEPT}”?` }), 'row4-delete-dialog');
    await click(dialog().locator('.monaco-button', { hasText: /^Delete Workspace$/ }), 'row4-delete-confirm');
    await see(dialog().filter({ hasText: `1 terminal is open in this worktree (“${KEPT}”): it will be closed.` }), 'row4-delete-terminal');
    await see(dialog().locator('.monaco-button:focus', { hasText: 'Show the Terminal' }), 'row4-delete-terminal-default');
    await shot('rows-4-delete-terminal');
    await click(dialog().locator('.monaco-button', { hasText: 'Close the Terminal and Delete' }), 'row4-delete-terminal-agree');
    await see(toast(`its branch grove/${KEPT} is kept`), 'row4-deleted');
    await see(keptTerminal, 'row4-terminal-closed', STEP_TIMEOUT_MS, 'hidden');
    await see(wsRow(KEPT), 'row4-row-gone', STEP_TIMEOUT_MS, 'hidden');

    // New Workspace with the same name: the name step says so at once, before any base branch.
    await runCommandWhenReady('Grove: New Workspace', 'Grove: New Workspace', UI_TIMEOUT_MS).catch((e) => fail('row4-palette', e));
    await see(quickInput().locator('.quick-input-title', { hasText: /^New Grove Workspace in demo$/ }), 'row4-name-box');
    await page.keyboard.type(KEPT);
    const message = quickInput().locator('.quick-input-message', { hasText: `The branch grove/${KEPT} exists already` });
    await see(message, 'row4-message');
    await shot('rows-4-name-step');

    // "Choose another name" comes back to the name, as typed.
    await page.keyboard.press('Enter');
    await see(quickInput().locator('.monaco-list-row', { hasText: `Continue on the kept branch grove/${KEPT}` }), 'row4-choices');
    await shot('rows-4-choices');
    await pick('Choose another name', 'row4-another');
    await see(quickInput().locator('.quick-input-title', { hasText: /^New Grove Workspace in demo$/ }), 'row4-name-again');
    await see(message, 'row4-message-again');
    assert.equal(await quickInput().locator('.quick-input-box input').inputValue(), KEPT);

    // Continue on the kept branch: a workspace with its commit and file, against the base the user picks
    // (the main checkout is on another branch now, which the sidecar would take if none were sent).
    git(repo, 'switch', '-q', '-c', 'side');
    await page.keyboard.press('Enter');
    await pick(`Continue on the kept branch grove/${KEPT}`, 'row4-continue');
    await see(quickInput().locator('.quick-input-title', { hasText: `base branch of grove/${KEPT}` }), 'row4-base-step');
    await see(quickInput().locator('.monaco-list-row', { hasText: 'current branch' }).filter({ hasText: 'side' }), 'row4-base-current');
    await see(quickInput().locator('.monaco-list-row', { hasText: 'main' }).first(), 'row4-base-main');
    await shot('rows-4-base-step');
    const bases = await quickInput().locator('.monaco-list-row .label-name').allInnerTexts();
    assert.ok(bases.includes('main') && !bases.includes(`grove/${KEPT}`), `the kept branch is not its own base: ${bases.join(', ')}`);
    await pick('main', 'row4-base');
    await see(toast(`ready on the kept branch grove/${KEPT}, with its commits (changes against main)`), 'row4-ready', UI_TIMEOUT_MS);
    git(repo, 'switch', '-q', 'main');
    await see(wsRow(KEPT), 'row4-row');
    const worktree = git(repo, 'worktree', 'list', '--porcelain')
      .split('\n\n')
      .find((entry) => entry.includes(`branch refs/heads/grove/${KEPT}`))
      ?.match(/^worktree (.*)$/m)?.[1];
    assert.ok(worktree, 'a worktree on the kept branch');
    assert.equal(readFileSync(join(worktree, KEPT_FILE), 'utf8'), 'work worth keeping\n');
    assert.match(git(worktree, 'log', '--format=%s', '-1'), /^Work worth keeping$/m);
    await shot('rows-4-continued');
  });
});
