// Real-editor test of landing a workspace's work: code-server with the Grove .vsix, the real claude CLI against a loopback Messages API, and the pinned GitHub CLI against a loopback GitHub Enterprise stand-in; (a) an agent writes a file, Commit… and Merge into main from the agent panel's landing bar land it in the main checkout, which then offers Archive and Delete; (b) another workspace is committed from the palette and Create Pull Request… pushes it (asked) and shows the pull request's URL; (c) Sync from the tree's context menu stops at a conflict (a warning and the conflicted file in the tree), Resolve with Agent starts a run that writes the resolution and Grove finishes the rebase.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { minimalEnv, REPO_ROOT, resolveTools } from './codeServer.mjs';
import { startGithubApi } from './githubApi.mjs';
import { ARTIFACTS, createWorkspace, EditorSession, frameWith, gitRepository, reportFailure, tempFolders, UI_TIMEOUT_MS, workbenchSteps } from './harness.mjs';
import { startMessagesApi, WRITE_INPUT } from './messagesApi.mjs';

const STEP_TIMEOUT_MS = 60_000;
/** A whole agent turn, CLI start included, on a busy machine. */
const RUN_TIMEOUT_MS = 150_000;
/** A fake Console key: it starts with sk-ant-api, so Grove passes it to the CLI. */
const API_KEY = 'sk-ant-api03-FAKELANDINGKEY00000000000';
/** gh's token for the stand-in (an Enterprise host reads GH_ENTERPRISE_TOKEN). */
const GH_TOKEN = 'FAKE-gh-enterprise-token-landing';
const MERGE_WS = 'land-merge';
const PR_WS = 'land-pr';
const CONFLICT_WS = 'land-conflict';
const MERGE_PROMPT = 'Write the release notes';
const PR_PROMPT = 'Write the notes for review';
/** The file both the conflicting workspace and main change, and what the agent writes to resolve it. */
const CONFLICT_FILE = 'conflict.txt';
const RESOLVED = 'main side and workspace side\n';

const git = (cwd, ...args) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** The pinned gh: GROVE_TEST_GH, else what tests/tools.sh installs. */
function ghPath() {
  if (process.env.GROVE_TEST_GH) return process.env.GROVE_TEST_GH;
  const out = execFileSync('bash', [join(REPO_ROOT, 'tests', 'tools.sh'), 'gh'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const line = out.split('\n').find((l) => l.startsWith('GROVE_TEST_GH='));
  if (!line) throw new Error('tests/tools.sh gh did not print GROVE_TEST_GH');
  return line.slice('GROVE_TEST_GH='.length);
}

describe('Landing a workspace in a real editor: commit, merge, pull request, conflicts (code-server + claude CLI + gh)', { timeout: 12 * 60_000 }, () => {
  const tools = resolveTools();
  // Real paths: the sidecar names repositories by their canonical path.
  const { tempDir, removeAll } = tempFolders({ realPaths: true });
  const session = new EditorSession(tools);
  let api;
  let github;
  let editor;
  let page;
  let repo;
  let bare;
  /** The workspaces, by name, as the sidecar created them. */
  const ws = {};

  const fail = (name, error) =>
    reportFailure({
      page,
      editor,
      name: `landing-${name}`,
      error,
      toasts: true,
      details: () => ({
        'stand-ins': `${api?.requests.length} Messages API requests; GitHub: ${(github?.requests ?? []).map((r) => `${r.method} ${r.path}`).join(', ')}`,
        git: repo ? git(repo, 'log', '--oneline', '--all', '--graph', '-n', '20') : '',
      }),
    });
  const { sidebar, quickInput, see, click, pick, runCommandWhenReady, runCommand } = workbenchSteps({ page: () => page, fail, timeout: STEP_TIMEOUT_MS });
  const workspacesPane = () => sidebar().locator('.pane', { has: page.locator('.pane-header', { hasText: 'Workspaces' }) });
  const treeRow = (name) => workspacesPane().locator('.monaco-list-row', { hasText: name }).first();
  const toast = (text) => page.locator('.notification-toast', { hasText: text }).first();
  const dialog = () => page.locator('.monaco-dialog-box');

  /** The agent panel of a workspace. */
  async function panel(name) {
    const frame = await frameWith(page, `#grove-agent-panel[data-workspace-id="${ws[name].id}"]`, UI_TIMEOUT_MS, 500);
    if (!frame) await fail(`${name}-panel`, new Error(`the agent panel of ${name} did not appear`));
    return frame;
  }

  /** Runs an agent in a workspace from the palette and waits for its run to succeed (the Messages API stand-in writes notes.txt). */
  async function runAgent(name, prompt) {
    // The palette hands focus back to the agent panel's webview as it closes, which may close the workspace
    // picker that just opened (it does not ignore focus out): then it is asked for again.
    const picker = quickInput().locator('input[placeholder="Run an agent in which workspace?"]');
    for (let attempt = 1; ; attempt++) {
      await runCommandWhenReady('Grove: Run Agent', 'Grove: Run Agent', UI_TIMEOUT_MS).catch((e) => fail(`${name}-palette`, e));
      await see(picker, `${name}-picker`);
      await page.waitForTimeout(500);
      if ((await picker.isVisible()) || attempt === 3) break;
    }
    await pick(name, `${name}-pick`).catch((e) => fail(`${name}-pick`, e));
    const frame = await panel(name);
    await see(frame.locator('#runs p.empty'), `${name}-empty`);
    await frame.locator('#prompt').fill(prompt);
    await frame.locator('#prompt').press('Control+Enter');
    await see(frame.locator('section.run .run-foot .state-succeeded').last(), `${name}-run`, RUN_TIMEOUT_MS);
    return frame;
  }

  /** Whether the command palette lists a command now (its `when` clause holds). */
  async function paletteHas(title) {
    await page.keyboard.press('F1');
    const input = quickInput().locator('.quick-input-box input');
    await see(input, 'palette');
    await input.fill(`>${title}`);
    await page.waitForTimeout(1_500);
    const count = await quickInput().locator('.monaco-list-row', { hasText: title }).count();
    await page.keyboard.press('Escape');
    return count > 0;
  }

  /** A notification's button. */
  async function toastButton(text, button, name) {
    await see(toast(text), `${name}-toast`);
    await click(toast(text).locator('.monaco-button', { hasText: button }), `${name}-toast-button`);
  }

  before(async () => {
    const gh = ghPath();
    api = await startMessagesApi({ finalText: 'Done.' });
    github = await startGithubApi();
    const home = tempDir('grove-landing-home-');
    const stateDir = join(tempDir('grove-landing-state-'), 'state');
    repo = gitRepository(tempDir('grove-landing-repo-'));
    writeFileSync(join(repo, CONFLICT_FILE), 'original\n');
    git(repo, 'add', CONFLICT_FILE);
    git(repo, 'commit', '-q', '-m', 'A file both sides change');
    // origin lives on the stand-in's host (gh is given `-R host/owner/repo` from it); pushes land in a bare repository.
    bare = join(tempDir('grove-landing-remote-'), 'repo.git');
    git(repo, 'init', '-q', '--bare', '-b', 'main', bare);
    const url = `https://${github.host}/owner/repo.git`;
    git(repo, 'remote', 'add', 'origin', url);
    git(repo, 'config', `url.${bare}.pushInsteadOf`, url);

    const env = {
      ...minimalEnv(tools),
      HOME: home,
      GROVE_STATE_DIR: stateDir,
      ANTHROPIC_BASE_URL: api.url,
      ANTHROPIC_API_KEY: API_KEY,
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      // For gh alone (the sidecar hands these to gh and to no other child).
      GH_HOST: github.host,
      GH_ENTERPRISE_TOKEN: GH_TOKEN,
      SSL_CERT_FILE: github.certPath,
      GH_CONFIG_DIR: join(home, '.config', 'gh'),
    };
    for (const name of [MERGE_WS, PR_WS, CONFLICT_WS]) ws[name] = await createWorkspace(env, repo, tools.claude, name);
    // The conflict: the workspace and main change the same line.
    writeFileSync(join(ws[CONFLICT_WS].path, CONFLICT_FILE), 'workspace side\n');
    git(ws[CONFLICT_WS].path, 'commit', '-q', '-am', 'The workspace side');
    writeFileSync(join(repo, CONFLICT_FILE), 'main side\n');
    git(repo, 'commit', '-q', '-am', 'The main side');

    ({ editor, page } = await session.start(
      { folder: repo, home, env, settings: { 'grove.ghPath': gh, 'grove.mergeMethod': 'merge' } },
      { viewport: { width: 1400, height: 900 }, failure: { name: 'landing-start', toasts: true } },
    ));
    await page
      .locator('.activitybar .action-item a[aria-label^="Grove"]')
      .click({ timeout: UI_TIMEOUT_MS })
      .catch((e) => fail('sidebar', e));
    await see(treeRow(CONFLICT_WS).filter({ hasText: '↑1 ↓1' }), 'tree-status', UI_TIMEOUT_MS);
    // The palette offers what applies: Commit… (nothing uncommitted yet) and Open Pull Request (none yet) do not.
    assert.equal(await paletteHas('Grove: Sync Workspace with Base'), true);
    assert.equal(await paletteHas('Grove: Commit Workspace'), false);
    assert.equal(await paletteHas('Grove: Open Pull Request'), false);
  });

  after(async () => {
    await session.close();
    await api?.close();
    await github?.close();
    removeAll();
  });

  it('(a) commits what the agent wrote and merges it into main from the agent panel; the main checkout has the file', async () => {
    const frame = await runAgent(MERGE_WS, MERGE_PROMPT);
    assert.equal(readFileSync(join(ws[MERGE_WS].path, WRITE_INPUT.file_path), 'utf8'), WRITE_INPUT.content);

    // The landing bar: one uncommitted file, Commit… first.
    const bar = frame.locator('#landing');
    await see(bar.locator('.chip', { hasText: '1 uncommitted' }), 'a-uncommitted');
    await click(bar.locator('button[data-land="commit"]'), 'a-commit-button');
    // The message is prefilled from the run's prompt.
    const input = quickInput().locator('input');
    await see(quickInput().locator('.quick-input-title', { hasText: `Commit “${MERGE_WS}” on grove/${MERGE_WS}` }), 'a-commit-box');
    assert.equal(await input.inputValue(), MERGE_PROMPT);
    await page.keyboard.press('Enter');
    await see(toast(`Committed 1 file on grove/${MERGE_WS}`), 'a-committed');
    assert.equal(git(ws[MERGE_WS].path, 'log', '-1', '--format=%s'), MERGE_PROMPT);
    assert.equal(git(ws[MERGE_WS].path, 'status', '--porcelain'), '');

    // One commit ahead, one behind (main moved): Merge into main…, confirmed in a modal that names the method.
    await see(bar.locator('.chip', { hasText: '↑1 ↓1' }), 'a-ahead');
    await click(bar.locator('button[data-land="merge"]', { hasText: 'Merge into main…' }), 'a-merge-button');
    await see(dialog().filter({ hasText: `Merge “${MERGE_WS}” into main?` }), 'a-merge-dialog');
    assert.match(await dialog().innerText(), /The commit of grove\/land-merge lands on main as a merge commit/);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'grove-landing-merge-confirm.png') });
    await click(dialog().locator('.monaco-button', { hasText: 'Merge into main' }), 'a-merge-confirm');
    await see(toast(`Merged “${MERGE_WS}” into main`), 'a-merged');

    // The main checkout has the file, on main, with nothing left uncommitted.
    assert.equal(readFileSync(join(repo, WRITE_INPUT.file_path), 'utf8'), WRITE_INPUT.content);
    assert.equal(git(repo, 'rev-parse', '--abbrev-ref', 'HEAD'), 'main');
    git(repo, 'merge-base', '--is-ancestor', `grove/${MERGE_WS}`, 'main');
    assert.equal(git(repo, 'status', '--porcelain'), '');
    // The workspace shows as merged and offers Archive and Delete, in the panel and in the tree.
    await see(bar.locator('.chip', { hasText: 'merged into main' }), 'a-merged-chip');
    await see(bar.locator('button[data-land="archive"]'), 'a-archive');
    await see(bar.locator('button[data-land="delete"]'), 'a-delete');
    await see(treeRow(MERGE_WS).filter({ hasText: 'merged into main' }), 'a-merged-tree');
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(ARTIFACTS, 'grove-landing-merged.png') });
  });

  it('(b) commits from the palette and creates a pull request (pushed first, asked), showing its URL', async () => {
    await runAgent(PR_WS, PR_PROMPT);
    // Only this workspace has something to commit: the palette's Commit… takes it without asking which.
    await runCommand('Grove: Commit Workspace…', 'b-commit-palette');
    await see(quickInput().locator('.quick-input-title', { hasText: `Commit “${PR_WS}”` }), 'b-commit-box');
    await page.keyboard.press('Enter');
    await see(toast(`Committed 1 file on grove/${PR_WS}`), 'b-committed');

    await runCommand('Grove: Create Pull Request…', 'b-pr-palette');
    // Two workspaces have commits main lacks: which one.
    await pick(PR_WS, 'b-pr-pick');
    await see(dialog().filter({ hasText: `grove/${PR_WS} is not on origin yet.` }), 'b-push-first');
    await click(dialog().locator('.monaco-button', { hasText: 'Push and Create' }), 'b-push-and-create');
    // Title (prefilled like the commit message), description, draft.
    await see(quickInput().locator('.quick-input-title', { hasText: '(1/3): title' }), 'b-title', STEP_TIMEOUT_MS);
    assert.equal(await quickInput().locator('input').inputValue(), PR_PROMPT);
    await page.keyboard.press('Enter');
    // A one-line prompt makes a message without a body: the description is typed, ↵ for a line break.
    await see(quickInput().locator('.quick-input-title', { hasText: '(2/3): description' }), 'b-body');
    assert.equal(await quickInput().locator('input').inputValue(), '');
    await quickInput().locator('input').fill('Notes for review ↵ - written by the agent');
    await page.keyboard.press('Enter');
    await see(quickInput().locator('.quick-input-title', { hasText: '(3/3)' }), 'b-draft');
    await pick('Draft', 'b-draft-pick');

    const url = `https://${github.host}/owner/repo/pull/1`;
    await see(toast(`Created pull request #1: ${url}`), 'b-created', STEP_TIMEOUT_MS);
    await see(toast(url).locator('.monaco-button', { hasText: 'Open' }), 'b-open');
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'grove-landing-pull-request.png') });

    assert.equal(github.pulls.length, 1);
    const pr = github.pulls[0];
    assert.deepEqual(
      { title: pr.title, base: pr.base, head: pr.head, draft: pr.draft },
      { title: PR_PROMPT, base: 'main', head: `grove/${PR_WS}`, draft: true },
    );
    assert.equal(pr.body, 'Notes for review\n- written by the agent');
    assert.deepEqual(github.unknownFields, [], 'gh got exactly the fields it asked for');
    assert.ok(
      github.requests.every((r) => r.authorization === `token ${GH_TOKEN}`),
      'every request of gh carried the enterprise token',
    );
    // The branch reached the remote, and the tree shows the pull request.
    assert.equal(git(bare, 'rev-parse', `refs/heads/grove/${PR_WS}`), git(ws[PR_WS].path, 'rev-parse', 'HEAD'));
    await see(treeRow(PR_WS).filter({ hasText: 'PR #1 open' }), 'b-tree-pr');
    assert.equal(await paletteHas('Grove: Open Pull Request'), true);
  });

  it('(c) stops a sync at a conflict, shows it, and an agent resolves it: Grove finishes the rebase', async () => {
    const row = treeRow(CONFLICT_WS);
    // Sync from the row's context menu.
    await row.click({ button: 'right' });
    const entry = page.locator('.context-view .action-item', { hasText: 'Sync Workspace with Base' }).first();
    await see(entry, 'c-menu');
    await page.waitForTimeout(300);
    await click(entry, 'c-sync');

    await see(toast(`Syncing “${CONFLICT_WS}” with main stopped at conflicts in ${CONFLICT_FILE}`), 'c-conflicts');
    // The tree warns and lists the conflicted file under the workspace.
    await see(row.filter({ hasText: '⚠ 1 conflict' }), 'c-tree-warning');
    await row.click();
    await see(workspacesPane().locator('.monaco-list-row', { hasText: CONFLICT_FILE }).filter({ hasText: 'conflict' }), 'c-tree-file');
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'grove-landing-conflict.png') });
    assert.match(readFileSync(join(ws[CONFLICT_WS].path, CONFLICT_FILE), 'utf8'), /^<<<<<<< /m);

    // Resolve with Agent (from the notification; from the palette if it has gone meanwhile): the stand-in model writes the resolved file.
    api.setTool({ name: 'Write', input: { file_path: CONFLICT_FILE, content: RESOLVED } });
    if (await toast(`Syncing “${CONFLICT_WS}”`).isVisible()) await toastButton(`Syncing “${CONFLICT_WS}”`, 'Resolve with Agent', 'c-resolve');
    else await runCommand('Grove: Resolve Conflicts with Agent', 'c-resolve-palette');
    const frame = await panel(CONFLICT_WS);
    await see(frame.locator('section.run .prompt', { hasText: `grove/${CONFLICT_WS}` }), 'c-run-prompt');
    await see(frame.locator('section.run .run-foot .state-succeeded').last(), 'c-run', RUN_TIMEOUT_MS);

    // Grove continues the rebase once no file holds markers: one commit ahead of main, none behind, nothing stopped.
    await see(row.filter({ hasText: '↑1 ↓0' }), 'c-continued', STEP_TIMEOUT_MS);
    assert.doesNotMatch(await row.innerText(), /⚠/);
    const bar = frame.locator('#landing');
    await see(bar.locator('.chip', { hasText: '↑1 ↓0' }), 'c-bar');
    assert.equal(await bar.locator('.landing-conflicts').count(), 0);
    const worktree = ws[CONFLICT_WS].path;
    assert.equal(readFileSync(join(worktree, CONFLICT_FILE), 'utf8'), RESOLVED);
    assert.equal(git(worktree, 'status', '--porcelain'), '');
    assert.equal(existsSync(join(git(worktree, 'rev-parse', '--absolute-git-dir'), 'rebase-merge')), false, 'no rebase left in progress');
    git(worktree, 'merge-base', '--is-ancestor', 'main', 'HEAD');
    assert.equal(git(worktree, 'log', '-1', '--format=%s'), 'The workspace side');
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(ARTIFACTS, 'grove-landing-resolved.png') });
  });
});
