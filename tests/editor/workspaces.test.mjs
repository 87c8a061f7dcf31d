// Real-editor test of workspaces: in code-server, "Grove: New Workspace" from the command palette on a real git repository (a typed name made branch-safe), the Workspaces tree, its change count, a diff against the base, every change at once in the multi-file diff editor, archive and restore (the tree and the open diff follow), and a deleted workspace's agent panel.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { minimalEnv, resolveTools } from './codeServer.mjs';
import { ARTIFACTS, editorPerTest, frameWith, tempFolders, UI_TIMEOUT_MS } from './harness.mjs';

/** Other tests may run beside this one. */
const STEP_TIMEOUT_MS = 60_000;

// Real paths: the sidecar names repositories by their canonical path.
const { tempDir, removeAll } = tempFolders({ realPaths: true });

const git = (cwd, ...args) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** A git repository on `main` with a few committed files and a setup script that prints a line and takes a moment. */
function gitRepository() {
  const repo = join(tempDir('grove-repo-'), 'shop');
  mkdirSync(join(repo, 'src'), { recursive: true });
  mkdirSync(join(repo, '.grove'));
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'config', 'user.name', 'Grove Test');
  git(repo, 'config', 'user.email', 'test@example.invalid');
  writeFileSync(join(repo, 'README.md'), '# Shop\n\nA small shop.\n');
  writeFileSync(join(repo, 'src', 'app.js'), 'console.log("shop");\n');
  writeFileSync(join(repo, '.grove', 'setup.sh'), 'echo "setup: installing dependencies"\nsleep 4\necho "setup: done"\n');
  chmodSync(join(repo, '.grove', 'setup.sh'), 0o755);
  git(repo, 'add', '.');
  git(repo, 'commit', '-q', '-m', 'A shop');
  return repo;
}

/** The worktree of workspace `name` under the state folder's worktree root (`<repo>-<hash>/<name>`). */
function worktreeOf(stateDir, name) {
  const root = join(stateDir, 'worktrees');
  for (const repoDir of existsSync(root) ? readdirSync(root) : []) {
    const path = join(root, repoDir, name);
    if (existsSync(path)) return path;
  }
  throw new Error(`no worktree named ${name} under ${root}`);
}

describe('Grove workspaces in a real editor (code-server)', { timeout: 8 * 60_000 }, () => {
  const tools = resolveTools();
  const openEditor = editorPerTest(tools, removeAll);

  it('creates a workspace from the command palette, shows it with its change count, and diffs a file', async (t) => {
    const repo = gitRepository();
    const stateDir = tempDir('grove-state-');
    const { page, failed } = await openEditor(t, 'grove-workspaces', {
      folder: repo,
      home: tempDir('grove-home-'),
      // The default minimal environment, plus a state folder of this test's own.
      env: { ...minimalEnv(tools), GROVE_STATE_DIR: stateDir },
    });
    const quickInput = page.locator('.quick-input-widget');

    // The Grove container, from the activity bar: the repository appears once the sidecar answered.
    await page.locator('.activitybar .action-item a[aria-label^="Grove"]').click({ timeout: UI_TIMEOUT_MS }).catch(failed);
    const sidebar = page.locator('.part.sidebar');
    const workspacesPane = sidebar.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Workspaces' }) });
    const repoRow = workspacesPane.locator('.monaco-list-row', { hasText: 'shop' }).first();
    await repoRow.waitFor({ timeout: UI_TIMEOUT_MS }).catch(failed);

    // F1, "Grove: New Workspace", a name, the base branch.
    await page.keyboard.press('F1');
    await quickInput.locator('input').waitFor({ timeout: STEP_TIMEOUT_MS }).catch(failed);
    await page.keyboard.type('Grove: New Workspace');
    await quickInput.locator('.monaco-list-row', { hasText: 'Grove: New Workspace' }).first().waitFor({ timeout: STEP_TIMEOUT_MS }).catch(failed);
    await page.keyboard.press('Enter');
    await quickInput.locator('.quick-input-title', { hasText: 'New Grove Workspace in shop' }).waitFor({ timeout: STEP_TIMEOUT_MS }).catch(failed);
    // A name typed as people write it is offered as one git takes.
    await page.keyboard.type('Fix Login!');
    await quickInput.locator('.quick-input-message', { hasText: 'will be named “fix-login”' }).waitFor({ timeout: STEP_TIMEOUT_MS }).catch(failed);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'grove-workspace-name.png') });
    await page.keyboard.press('Enter');
    await quickInput.locator('.quick-input-title', { hasText: 'base branch' }).waitFor({ timeout: STEP_TIMEOUT_MS }).catch(failed);
    const mainItem = quickInput.locator('.monaco-list-row', { hasText: 'main' }).first();
    await mainItem.waitFor({ timeout: STEP_TIMEOUT_MS }).catch(failed);
    assert.match(await mainItem.innerText(), /current branch/);
    await mainItem.click();

    // The setup script's lines stream into the progress notification.
    const progress = page.locator('.notification-toast', { hasText: 'Creating the workspace fix-login' });
    await progress.filter({ hasText: 'setup: installing dependencies' }).waitFor({ timeout: STEP_TIMEOUT_MS }).catch(failed);

    // The workspace in the tree: branch, state, and no changes yet.
    const wsRow = workspacesPane.locator('.monaco-list-row', { hasText: 'fix-login' }).first();
    await wsRow.filter({ hasText: 'no changes' }).waitFor({ timeout: STEP_TIMEOUT_MS }).catch(failed);
    await page
      .locator('.notification-toast', { hasText: 'The workspace fix-login is ready on the branch grove/fix-login' })
      .waitFor({ timeout: STEP_TIMEOUT_MS })
      .catch(failed);

    // Work in the worktree, as an agent would: the tree counts the changed files.
    const worktree = worktreeOf(stateDir, 'fix-login');
    assert.match(git(worktree, 'branch', '--show-current'), /^grove\/fix-login$/m);
    writeFileSync(join(worktree, 'README.md'), '# Shop\n\nA small shop, with a login.\n');
    writeFileSync(join(worktree, 'src', 'login.js'), 'export function login() {}\n');
    await wsRow.filter({ hasText: '2 changed' }).waitFor({ timeout: STEP_TIMEOUT_MS }).catch(failed);

    // Expanded, the row lists the files; a file opens the diff against the base commit.
    await wsRow.click();
    const readmeRow = workspacesPane.locator('.monaco-list-row', { hasText: 'README.md' }).first();
    await readmeRow.waitFor({ timeout: STEP_TIMEOUT_MS }).catch(failed);
    await workspacesPane.locator('.monaco-list-row', { hasText: 'login.js' }).first().waitFor({ timeout: STEP_TIMEOUT_MS }).catch(failed);
    assert.match(await readmeRow.innerText(), /M\s+\+1 −1/);
    await readmeRow.click();
    await page.locator('.tab', { hasText: 'fix-login: README.md (base ↔ workspace)' }).waitFor({ timeout: STEP_TIMEOUT_MS }).catch(failed);
    const diff = page.locator('.monaco-diff-editor');
    await diff.locator('.editor.original', { hasText: 'A small shop.' }).waitFor({ timeout: STEP_TIMEOUT_MS }).catch(failed);
    await diff.locator('.editor.modified', { hasText: 'A small shop, with a login.' }).waitFor({ timeout: STEP_TIMEOUT_MS }).catch(failed);

    // Let the tree and the editor settle before the picture.
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(ARTIFACTS, 'grove-workspaces.png') });

    // "Show Changes" opens every change at once, in one multi-file diff editor; the new file as added.
    await page.keyboard.press('F1');
    await quickInput.locator('input').fill('>Grove: Show Changes');
    await quickInput.locator('.monaco-list-row.focused', { hasText: 'Grove: Show Changes' }).waitFor({ timeout: STEP_TIMEOUT_MS }).catch(failed);
    await page.keyboard.press('Enter');
    const changesTab = page.locator('.tab', { hasText: 'Changes in fix-login (against main)' });
    await changesTab.waitFor({ timeout: STEP_TIMEOUT_MS }).catch(failed);
    const multi = page.locator('.multiDiffEditor');
    await multi.waitFor({ timeout: STEP_TIMEOUT_MS }).catch(failed);
    const header = (name) => multi.locator('.header', { hasText: name }).first();
    await header('README.md').waitFor({ timeout: STEP_TIMEOUT_MS }).catch(failed);
    await header('login.js').waitFor({ timeout: STEP_TIMEOUT_MS }).catch(failed);
    assert.equal(await page.locator('.tab', { hasText: 'Changes in fix-login' }).count(), 1, 'one multi-file diff editor');
    await multi.locator('.editor.modified', { hasText: 'export function login() {}' }).first().waitFor({ timeout: STEP_TIMEOUT_MS }).catch(failed);
    await page.waitForTimeout(800);
    await page.screenshot({ path: join(ARTIFACTS, 'grove-workspace-changes.png') });
    // The README diff again (the multi-file editor took its preview tab), kept open through archive and restore.
    await readmeRow.dblclick();
    await page.locator('.tab', { hasText: 'fix-login: README.md (base ↔ workspace)' }).waitFor({ timeout: STEP_TIMEOUT_MS }).catch(failed);

    // Archive from the context menu: the uncommitted files are named, and saved as a snapshot only on request.
    const dialog = page.locator('.monaco-dialog-box');
    const contextMenu = async (row, item) => {
      await row.click({ button: 'right' });
      const entry = page.locator('.context-view .action-item', { hasText: item }).first();
      await entry.waitFor({ timeout: STEP_TIMEOUT_MS });
      // A menu ignores a click that comes right after it opened.
      await page.waitForTimeout(300);
      await entry.click({ timeout: STEP_TIMEOUT_MS });
      // Still open (the click was ignored): once more.
      if (
        await entry.waitFor({ state: 'hidden', timeout: 3_000 }).then(
          () => false,
          () => true,
        )
      )
        await entry.click({ timeout: STEP_TIMEOUT_MS });
    };
    await contextMenu(wsRow, 'Archive Workspace').catch(failed);
    await dialog.filter({ hasText: '2 uncommitted or untracked files' }).waitFor({ timeout: STEP_TIMEOUT_MS }).catch(failed);
    assert.match(await dialog.innerText(), /README\.md/);
    await dialog.locator('.monaco-button', { hasText: 'Save Snapshot and Archive' }).click();
    await wsRow.filter({ hasText: 'archived' }).waitFor({ timeout: STEP_TIMEOUT_MS }).catch(failed);
    assert.equal(existsSync(worktree), false, 'the worktree is gone once archived');

    // Restore brings the worktree back with the saved work, says so, and the tree and the open diff follow.
    await contextMenu(wsRow, 'Restore Workspace').catch(failed);
    await page.locator('.notification-toast', { hasText: 'Restored fix-login' }).waitFor({ timeout: STEP_TIMEOUT_MS }).catch(failed);
    await wsRow.filter({ hasText: '2 changed' }).waitFor({ timeout: STEP_TIMEOUT_MS }).catch(failed);
    assert.equal(existsSync(join(worktree, 'src', 'login.js')), true, 'the snapshot came back');
    await diff.locator('.editor.modified', { hasText: 'A small shop, with a login.' }).waitFor({ timeout: STEP_TIMEOUT_MS }).catch(failed);
    assert.equal(
      await page
        .locator('.tab', { hasText: 'README.md (base ↔ workspace)' })
        .filter({ hasText: /deleted/i })
        .count(),
      0,
    );
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(ARTIFACTS, 'grove-workspace-restored.png') });

    // The agent panel, from the row's own button (a click on the row expands it).
    await wsRow.hover();
    await wsRow.locator('.action-label[aria-label="Open Agent Panel"]').click({ timeout: STEP_TIMEOUT_MS }).catch(failed);
    const panel = await frameWith(page, '#grove-agent-panel', STEP_TIMEOUT_MS, 500);
    assert.ok(panel, 'the agent panel opened');
    await panel.locator('#runs p.empty').waitFor({ timeout: STEP_TIMEOUT_MS }).catch(failed);
    assert.equal(await panel.locator('#prompt').isDisabled(), false);
    await page.locator('.tab', { hasText: 'fix-login: README.md (base ↔ workspace)' }).click();

    // Delete asks first, then again when work would be lost; only "Delete Anyway" forces it.
    await contextMenu(wsRow, 'Delete Workspace').catch(failed);
    await dialog.filter({ hasText: 'Delete the workspace “fix-login”?' }).waitFor({ timeout: STEP_TIMEOUT_MS }).catch(failed);
    await dialog.locator('.monaco-button', { hasText: /^Delete Workspace$/ }).click();
    await dialog.filter({ hasText: 'would lose work' }).waitFor({ timeout: STEP_TIMEOUT_MS }).catch(failed);
    assert.match(await dialog.innerText(), /login\.js/);
    await dialog.locator('.monaco-button', { hasText: 'Delete Anyway' }).click();
    await workspacesPane.locator('.monaco-list-row', { hasText: 'No workspaces yet' }).waitFor({ timeout: STEP_TIMEOUT_MS }).catch(failed);
    assert.equal(existsSync(worktree), false, 'the worktree is removed');
    assert.match(git(repo, 'branch', '--list', 'grove/fix-login'), /grove\/fix-login/, 'the branch is kept');

    // The deleted workspace's panel is read-only, with a note, and takes no prompt.
    await page.locator('.tab', { hasText: 'Agent · fix-login (deleted)' }).click({ timeout: STEP_TIMEOUT_MS }).catch(failed);
    const deleted = await frameWith(page, '#grove-agent-panel', STEP_TIMEOUT_MS, 500);
    await deleted.locator('#composer-note', { hasText: 'was deleted' }).waitFor({ timeout: STEP_TIMEOUT_MS }).catch(failed);
    assert.equal(await deleted.locator('#prompt').isDisabled(), true);
    assert.equal(await deleted.locator('#send').isDisabled(), true);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'grove-agent-deleted.png') });
  });
});
