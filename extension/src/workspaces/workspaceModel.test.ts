// Unit tests of workspaceModel: name checks as the sidecar makes them, tree rows, texts, base-document queries, errors and confirmations.
import { sidecarError } from '../common/errors';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCodes } from '../common/protocol';
import {
  changeCountText,
  changesTitle,
  diffSides,
  isChangesTabLabel,
  isInside,
  keptBranchChoices,
  nameVerdict,
  restoredMessage,
  terminalsNote,
  terminalsQuestion,
  terminalInWorktree,
  relativeTo,
  unsavedInWorktree,
  unsavedQuestion,
  checkTypedName,
  slugifyName,
  workspaceContext,
  archiveDirtyConfirmation,
  baseText,
  BINARY_PLACEHOLDER,
  childNodes,
  changedFileRow,
  decodeBaseQuery,
  deleteConfirmation,
  deleteForceConfirmation,
  diffTitle,
  dirtyFiles,
  encodeBaseQuery,
  fileList,
  fileStatusText,
  invalidNameReason,
  isInvisible,
  nameProblem,
  orderBranches,
  repositoryRow,
  treeRow,
  workspaceArgument,
  runWord,
  workspaceRow,
  type TreeNode,
} from './workspaceModel';
import { WorkspaceStore } from './workspaceStore';
import { archived, changes, file, OTHER_REPO, REPO, run, workspace } from './workspaceFixtures';
import { conflicted, gitStatus } from '../landing/landingFixtures';

describe('typed workspace names', () => {
  it('makes a name git takes of what people type', () => {
    assert.equal(slugifyName('Fix Login!'), 'fix-login');
    assert.equal(slugifyName('  Café  au lait  '), 'cafe-au-lait');
    assert.equal(slugifyName('release/1.2..3'), 'release-1.2.3');
    assert.equal(slugifyName('-.hidden.lock'), 'hidden');
    assert.equal(slugifyName('!!!'), '');
    assert.equal(slugifyName('a'.repeat(80)).length, 64);
  });

  it('says what the box creates, and refuses what cannot be a name or is taken', () => {
    assert.deepEqual(checkTypedName('', []), { name: '' });
    assert.deepEqual(checkTypedName('fix-login', []), { name: 'fix-login' });
    assert.deepEqual(checkTypedName('Fix Login!', []), {
      name: 'fix-login',
      message: { text: 'The workspace will be named “fix-login” (branch-safe).', severity: 'info' },
    });
    assert.equal(checkTypedName('Fix Login!', ['fix-login']).message?.severity, 'error');
    assert.equal(checkTypedName('???', []).message?.severity, 'error');
  });
});

describe("the name step with the sidecar's answer", () => {
  const ok = { ok: true, message: null, keptBranch: null };

  it('refuses at once what the box itself refuses, without asking', () => {
    const v = nameVerdict(checkTypedName('???', []), undefined);
    assert.equal(v.accept, false);
    assert.equal(v.message?.severity, 'error');
    assert.equal(nameVerdict(checkTypedName('fix-login', ['fix-login']), ok).accept, false);
  });

  it("goes on with a name the sidecar takes, keeping the box's note", () => {
    assert.deepEqual(nameVerdict(checkTypedName('fix-login', []), ok), { accept: true });
    assert.deepEqual(nameVerdict(checkTypedName('Fix Login!', []), ok), {
      message: { text: 'The workspace will be named “fix-login” (branch-safe).', severity: 'info' },
      accept: true,
    });
    // No answer (an older sidecar, or a generated name): create refuses what it must.
    assert.deepEqual(nameVerdict(checkTypedName('fix-login', []), undefined), { accept: true });
    assert.deepEqual(nameVerdict(checkTypedName('', []), { ok: false, message: 'x', keptBranch: null }), { accept: true });
  });

  it('says on the name step why the sidecar refuses a name', () => {
    const v = nameVerdict(checkTypedName('main', []), { ok: false, message: 'The branch grove/main is checked out in /src/shop.', keptBranch: null });
    assert.deepEqual(v, { message: { text: 'The branch grove/main is checked out in /src/shop.', severity: 'error' }, accept: false });
    assert.equal(nameVerdict(checkTypedName('x', []), { ok: false, message: null, keptBranch: null }).message?.text, 'The name “x” cannot be used.');
  });

  it('offers a kept branch: a warning that Enter goes on to the choice', () => {
    const v = nameVerdict(checkTypedName('fix-login', []), { ok: false, message: 'A branch grove/fix-login exists already.', keptBranch: 'grove/fix-login' });
    assert.equal(v.accept, true);
    assert.equal(v.keptBranch, 'grove/fix-login');
    assert.equal(v.message?.severity, 'warning');
    assert.match(
      v.message.text,
      /^The branch grove\/fix-login exists already, with no workspace on it\. Press Enter to continue on it, or type another name\.$/,
    );
    const choices = keptBranchChoices('grove/fix-login');
    assert.equal(choices.continueLabel, 'Continue on the kept branch grove/fix-login');
    assert.equal(choices.anotherLabel, 'Choose another name');
    // The base is still asked (the sidecar would take the main checkout's current branch): the detail says so.
    assert.equal(choices.detail, 'A new workspace on grove/fix-login as it is, its commits kept; next, the branch its changes are counted against.');
    assert.doesNotMatch(choices.detail, /no base branch/);
  });
});

describe('workspace context keys', () => {
  it('says what the palette can offer', () => {
    assert.deepEqual(workspaceContext([], []), {
      'grove.hasRepository': false,
      'grove.hasWorkspace': false,
      'grove.hasActiveWorkspace': false,
      'grove.hasArchivedWorkspace': false,
    });
    assert.deepEqual(workspaceContext([REPO], [archived()]), {
      'grove.hasRepository': true,
      'grove.hasWorkspace': true,
      'grove.hasActiveWorkspace': false,
      'grove.hasArchivedWorkspace': true,
    });
    assert.equal(changesTitle('fix-login', 'main'), 'Changes in fix-login (against main)');
  });
});

describe('workspace names', () => {
  // The cases of server/src/workspaces/names.rs's tests, one for one.
  it('refuses what git or a shell would misread (rejects_what_git_or_a_shell_would_misread)', () => {
    for (const bad of [
      '../evil',
      'a b',
      'x.lock',
      '-rf',
      'x'.repeat(300),
      'feat/../../x',
      'x~1',
      '',
      '.hidden',
      'a..b',
      'a:b',
      'a\tb',
      '@',
      'x@{1}',
      'tail.',
      'evil\u{202E}gnp.exe',
      'a\u{2066}b',
      'zero\u{200B}width',
      '\u{FEFF}bom',
      'joiner\u{200D}',
      'é'.repeat(65),
    ]) {
      assert.notEqual(invalidNameReason(bad), undefined, `${JSON.stringify(bad)} should be refused`);
    }
    for (const good of ['fix-login', 'feature_1', 'v2.0', 'UPPER', 'a', 'y'.repeat(64), 'é'.repeat(64), 'café-zürich']) {
      assert.equal(invalidNameReason(good), undefined, JSON.stringify(good));
    }
  });

  it('finds line separators and tag characters invisible (line_separators_and_tag_characters_are_invisible)', () => {
    for (const c of ['\u{2028}', '\u{2029}', '\u{E0000}', '\u{E0001}', '\u{E0041}', '\u{E007F}']) {
      const hex = c.codePointAt(0)?.toString(16);
      assert.equal(isInvisible(c), true, `U+${hex}`);
      assert.notEqual(invalidNameReason(`a${c}b`), undefined, `U+${hex}`);
    }
    for (const c of ['a', 'é', ' ', '\u{2027}', '\u{2030}', '\u{E0080}', '\u{DFFFF}']) {
      assert.equal(isInvisible(c), false, `U+${c.codePointAt(0)?.toString(16)}`);
    }
  });

  it("says why in the sidecar's words", () => {
    assert.equal(invalidNameReason('evil\u{202E}gnp.exe'), 'contains an invisible or direction-changing character');
    assert.equal(invalidNameReason('zero\u{200B}width'), 'contains an invisible or direction-changing character');
    assert.equal(invalidNameReason('a b'), "contains a space, '/', or one of \\ ~ ^ : ? * [");
    for (const bad of ['a/b', 'a\\b', 'a^b', 'a?b', 'a*b', 'a[b', 'a\u0007b', 'a\u00a0b']) {
      assert.equal(invalidNameReason(bad), "contains a space, '/', or one of \\ ~ ^ : ? * [", JSON.stringify(bad));
    }
  });

  it('counts the 64 characters as characters (code points), as names.rs does, not bytes or UTF-16 units', () => {
    assert.equal(invalidNameReason('é'.repeat(64)), undefined);
    assert.equal(invalidNameReason('é'.repeat(65)), 'is longer than 64 characters');
    // An astral character is two UTF-16 units and four bytes, one char.
    assert.equal(invalidNameReason('𝒳'.repeat(64)), undefined);
    assert.equal(invalidNameReason('𝒳'.repeat(65)), 'is longer than 64 characters');
  });

  it('words problems as the sidecar, allows empty (generated) and refuses taken names', () => {
    assert.equal(nameProblem('', []), undefined);
    assert.equal(nameProblem('a b', []), 'The workspace name "a b" contains a space, \'/\', or one of \\ ~ ^ : ? * [.');
    assert.equal(nameProblem('fix-login', ['fix-login']), 'A workspace named "fix-login" exists already in this repository.');
    assert.equal(nameProblem('fix-login', ['other']), undefined);
  });
});

describe('orderBranches', () => {
  it('puts the current branch first and keeps the rest in order', () => {
    assert.deepEqual(orderBranches(['dev', 'main', 'topic'], 'main'), ['main', 'dev', 'topic']);
  });

  it('leaves out a kept branch continued on: it is not a base of its own', () => {
    assert.deepEqual(orderBranches(['grove/kept', 'main', 'dev'], 'main', 'grove/kept'), ['main', 'dev']);
  });

  it('leaves the order when detached or unknown, and drops blanks and duplicates', () => {
    assert.deepEqual(orderBranches(['b', '', 'a', 'b'], undefined), ['b', 'a']);
    assert.deepEqual(orderBranches(['a'], 'gone'), ['a']);
  });
});

describe('workspace rows', () => {
  it('shows the agent word first, then the change count; the branch and state only in the tooltip', () => {
    const row = workspaceRow(workspace(), { kind: 'known', changes: changes([file(), file({ path: 'b' })]) }, run());
    assert.equal(row.label, 'fix-login');
    assert.equal(row.description, 'running · 2 changed');
    assert.equal(row.icon, 'sync~spin');
    assert.equal(row.contextValue, 'grove.workspace.active.hasRuns');
    assert.equal(row.collapsible, 'collapsed');
    assert.match(row.tooltip ?? '', /^fix-login\nBranch: grove\/fix-login \(from main at 01234567\)\nState: active\nThe agent is running\.\n/);
    // A click expands the row; the panel has its own inline button.
    assert.equal(row.action, undefined);
  });

  it('says no changes, and nothing about runs it has not seen', () => {
    const row = workspaceRow(workspace(), { kind: 'known', changes: changes([]) }, undefined);
    assert.equal(row.description, 'no changes');
    assert.equal(row.contextValue, 'grove.workspace.active');
    assert.equal(row.action, undefined);
    assert.equal(workspaceRow(workspace(), undefined, undefined).description, '');
    assert.equal(row.icon, 'git-branch');
  });

  it('names each run state in one short word', () => {
    const describe = (state: Parameters<typeof run>[0], isNew = false) =>
      workspaceRow(workspace(), { kind: 'known', changes: changes([file()]) }, run(state), false, undefined, isNew).description;
    assert.equal(describe({ state: 'queued' }), 'queued · 1 changed');
    assert.equal(describe({ state: 'authRequired' }), 'needs sign-in · 1 changed');
    assert.equal(describe({ state: 'failed' }), 'failed · 1 changed');
    // A finished run not opened yet is news, whatever its outcome; once seen, a success or a cancel comes last.
    assert.equal(describe({ state: 'failed' }, true), 'new result · 1 changed');
    assert.equal(describe({ state: 'succeeded' }, true), 'new result · 1 changed');
    assert.equal(describe({ state: 'succeeded' }), '1 changed · succeeded');
    assert.equal(describe({ state: 'cancelled' }), '1 changed · cancelled');
    assert.equal(workspaceRow(workspace(), undefined, run({ state: 'authRequired' })).iconColor, 'list.warningForeground');
    // Signed in since (the same status every view follows): the run can be retried.
    const recovered = workspaceRow(workspace(), undefined, run({ state: 'authRequired' }), true);
    assert.equal(recovered.description, 'retry');
    assert.equal(recovered.icon, 'debug-restart');
    assert.equal(recovered.iconColor, undefined);
    assert.match(recovered.tooltip ?? '', /you are signed in now: retry it from its panel\./);
  });

  it('keeps every word short enough for a narrow sidebar', () => {
    const states = ['queued', 'running', 'waiting', 'authRequired', 'succeeded', 'failed', 'cancelled'] as const;
    for (const state of states) {
      for (const isNew of [false, true]) {
        for (const signedIn of [false, true])
          assert.ok(runWord(run({ state }), signedIn, isNew).length <= 13, `${state}: ${runWord(run({ state }), signedIn, isNew)}`);
      }
    }
    assert.equal(runWord(run({ state: 'waiting' })), 'waiting');
    // A finished run in the words (row 6): succeeded, failed, cancelled; never the tab title's shorter "done".
    assert.deepEqual(
      (['succeeded', 'failed', 'cancelled'] as const).map((state) => runWord(run({ state }))),
      ['succeeded', 'failed', 'cancelled'],
    );
    assert.equal(changeCountText(changes([file(), file(), file()])), '3 changed');
  });

  it('shows the latest run outcome with an icon: a check, a cross, a slash', () => {
    const icon = (state: Parameters<typeof run>[0], isNew = false) => {
      const row = workspaceRow(workspace(), undefined, run(state), false, undefined, isNew);
      return [row.icon, row.iconColor];
    };
    assert.deepEqual(icon({ state: 'succeeded' }, true), ['pass-filled', 'testing.iconPassed']);
    assert.deepEqual(icon({ state: 'succeeded' }), ['pass', 'testing.iconPassed']);
    assert.deepEqual(icon({ state: 'failed' }, true), ['error', 'list.errorForeground']);
    assert.deepEqual(icon({ state: 'cancelled' }), ['circle-slash', undefined]);
    // Archived, the archive icon says more than an old result.
    assert.equal(workspaceRow(archived(), undefined, run({ state: 'succeeded' }), false, undefined, true).icon, 'archive');
    const tooltip = workspaceRow(workspace(), undefined, run({ state: 'succeeded' }), false, undefined, true).tooltip ?? '';
    assert.match(tooltip, /The latest agent run succeeded\. A new result: open its agent panel to see it\./);
    assert.doesNotMatch(workspaceRow(workspace(), undefined, run({ state: 'succeeded' })).tooltip ?? '', /new result/i);
  });

  it('shows a workspace whose agent waits for an answer: first in the description, a bell, the tooltip says where to answer', () => {
    const row = workspaceRow(workspace(), { kind: 'known', changes: changes([file()]) }, run({ state: 'waiting' }));
    assert.equal(row.description, 'waiting · 1 changed');
    assert.equal(row.icon, 'bell-dot');
    assert.equal(row.iconColor, 'list.warningForeground');
    assert.match(row.tooltip ?? '', /The agent is waiting for you: answer its request in the agent panel\./);
    assert.equal(row.contextValue, 'grove.workspace.active.hasRuns');
  });

  it('shows archived workspaces without changes and not expandable', () => {
    const row = workspaceRow(archived(), undefined, undefined);
    assert.equal(row.description, 'archived');
    assert.equal(row.contextValue, 'grove.workspace.archived');
    assert.equal(row.collapsible, 'none');
    assert.equal(row.icon, 'archive');
    assert.equal(workspaceRow(archived(), undefined, run({ state: 'failed' })).description, 'failed · archived');
  });

  it('tells about a failed setup and the latest run in the tooltip', () => {
    const ws = workspace({ setup: { success: false, exitCode: 2, message: 'npm ci failed' } });
    const tooltip = workspaceRow(ws, { kind: 'failed', message: 'git broke' }, run({ state: 'failed', error: 'boom' })).tooltip ?? '';
    assert.match(tooltip, /Setup script failed: npm ci failed/);
    assert.match(tooltip, /Changes: unknown \(git broke\)/);
    assert.match(tooltip, /The latest agent run failed \(boom\)\./);
    assert.doesNotMatch(tooltip, /Default profile/);
    assert.match(workspaceRow(workspace({ profile: 'ollama:local' }), undefined, undefined).tooltip ?? '', /\nDefault profile: ollama:local/);
    assert.match(tooltip, /Ports: 41000–41009/);
  });
});

describe('result rows', () => {
  const news = (fresh: boolean) => ({ isNew: () => fresh });

  it('puts a finished run first among the children, opening its panel', () => {
    const s = new WorkspaceStore();
    s.load([REPO], [workspace()], [run({ runId: 'r1', state: 'succeeded', endedAt: '2026-11-21T10:09:00Z' })]);
    s.setChanges('id-fix-login', { kind: 'known', changes: changes([file()]) });
    const node: TreeNode = { kind: 'workspace', workspaceId: 'id-fix-login' };
    const children = childNodes(s, node);
    assert.deepEqual(children, [
      { kind: 'result', workspaceId: 'id-fix-login', runId: 'r1' },
      { kind: 'file', workspaceId: 'id-fix-login', path: 'src/login.ts' },
    ]);
    const fresh = treeRow(s, children[0] as TreeNode, news(true));
    assert.equal(fresh?.label, 'Agent succeeded');
    assert.equal(fresh.description, 'new result');
    assert.equal(fresh.icon, 'pass-filled');
    assert.deepEqual(fresh.action, { kind: 'openResult', workspaceId: 'id-fix-login', runId: 'r1' });
    assert.match(fresh.tooltip ?? '', /Prompt: Fix the login/);
    const seen = treeRow(s, children[0] as TreeNode, news(false));
    assert.equal(seen?.description, undefined);
    assert.equal(seen?.icon, 'pass');
    assert.equal(treeRow(s, node, news(true))?.description, 'new result · 1 changed');
  });

  it("names the agent of the latest run by its registry label, on the workspace's tooltip and beside the outcome", () => {
    const s = new WorkspaceStore();
    s.load([REPO], [workspace()], [run({ runId: 'r1', state: 'succeeded', endedAt: '2026-11-21T10:09:00Z', agent: 'gemini' })]);
    const labels: Record<string, string> = { gemini: 'Gemini CLI' };
    const agentOf = (r: { agent?: string }) => (r.agent === undefined ? undefined : labels[r.agent]);
    const ws = treeRow(s, { kind: 'workspace', workspaceId: 'id-fix-login' }, news(false), agentOf);
    assert.match(ws?.tooltip ?? '', /The latest agent run succeeded\.\nAgent of the latest run: Gemini CLI\n/);
    const result = { kind: 'result', workspaceId: 'id-fix-login', runId: 'r1' } as const;
    assert.equal(treeRow(s, result, news(true), agentOf)?.description, 'new result · Gemini CLI');
    assert.equal(treeRow(s, result, news(false), agentOf)?.description, 'Gemini CLI');
    assert.match(treeRow(s, result, news(false), agentOf)?.tooltip ?? '', /\nAgent: Gemini CLI\nPrompt: /);
    // Not known (no registry yet, or an agent it does not list): nothing said.
    assert.doesNotMatch(treeRow(s, { kind: 'workspace', workspaceId: 'id-fix-login' })?.tooltip ?? '', /Agent/);
    assert.equal(treeRow(s, result, news(false))?.description, undefined);
  });

  it('has none while the run is busy, and goes when a later run starts', () => {
    const s = new WorkspaceStore();
    s.load([REPO], [workspace()], [run({ runId: 'r1', state: 'running' })]);
    s.setChanges('id-fix-login', { kind: 'known', changes: changes([]) });
    const node: TreeNode = { kind: 'workspace', workspaceId: 'id-fix-login' };
    assert.equal(childNodes(s, node)[0]?.kind, 'message');
    s.runChanged(run({ runId: 'r1', state: 'cancelled' }));
    assert.equal(treeRow(s, { kind: 'result', workspaceId: 'id-fix-login', runId: 'r1' })?.label, 'Agent cancelled');
    s.runChanged(run({ runId: 'r2', state: 'queued', createdAt: '2026-11-21T11:00:00Z' }));
    assert.equal(treeRow(s, { kind: 'result', workspaceId: 'id-fix-login', runId: 'r1' }), undefined);
  });
});

describe('workspace rows with a git status', () => {
  it('shows ahead/behind and offers the landing actions that apply in the context value', () => {
    const status = gitStatus({ ahead: 2, behind: 1, uncommitted: 1 });
    const row = workspaceRow(workspace(), { kind: 'known', changes: changes([file()]) }, run({ state: 'succeeded' }), false, status);
    assert.equal(row.description, '1 changed · ↑2 ↓1 · succeeded');
    assert.equal(row.contextValue, 'grove.workspace.active.hasRuns.commit.sync.merge.apply.push.createPr');
    assert.match(row.tooltip ?? '', /\nAgainst main: 2 commits ahead, 1 behind\nUncommitted: 1 file\nNot pushed/);
    // A running agent holds back the git steps.
    assert.equal(workspaceRow(workspace(), undefined, run(), false, status).contextValue, 'grove.workspace.active.hasRuns.push.createPr');
    // An archived workspace offers none.
    assert.equal(workspaceRow(archived(), undefined, undefined, false, status).contextValue, 'grove.workspace.archived');
  });

  it('shows a stopped sync with a warning and its conflicted files first among the children', () => {
    const s = new WorkspaceStore();
    s.load([REPO], [workspace()], []);
    s.setChanges('id-fix-login', { kind: 'known', changes: changes([file({ path: 'src/login.ts' }), file({ path: 'README.md' })]) });
    s.setGitStatus('id-fix-login', conflicted(['src/login.ts']));
    const node: TreeNode = { kind: 'workspace', workspaceId: 'id-fix-login' };
    const row = treeRow(s, node);
    assert.equal(row?.icon, 'warning');
    assert.equal(row.description, '2 changed · ⚠ 1 conflict · ↑1 ↓1');
    assert.equal(row.contextValue, 'grove.workspace.active.conflicts.syncStopped');
    const children = childNodes(s, node);
    assert.deepEqual(children, [
      { kind: 'conflict', workspaceId: 'id-fix-login', path: 'src/login.ts' },
      { kind: 'file', workspaceId: 'id-fix-login', path: 'README.md' },
    ]);
    const conflictRow = treeRow(s, children[0] as TreeNode);
    assert.equal(conflictRow?.description, 'src · conflict');
    assert.deepEqual(conflictRow.action, { kind: 'openFile', path: `${workspace().path}/src/login.ts` });
  });

  it('marks a merged workspace and offers Archive and Delete', () => {
    const row = workspaceRow(workspace(), undefined, undefined, false, gitStatus({ merged: true }));
    assert.equal(row.icon, 'git-merge');
    assert.equal(row.description, 'merged into main');
    assert.equal(row.contextValue, 'grove.workspace.active.merged');
  });

  it('keeps git statuses of active workspaces only, and fires only when one differs', () => {
    const s = new WorkspaceStore();
    s.load([REPO], [workspace(), archived({ id: 'old', name: 'old' })], []);
    let fired = 0;
    s.onDidChange(() => fired++);
    s.setGitStatus('old', gitStatus());
    assert.equal(s.gitStatus('old'), undefined);
    s.setGitStatus('id-fix-login', gitStatus({ ahead: 1 }));
    s.setGitStatus('id-fix-login', gitStatus({ ahead: 1 }));
    assert.equal(fired, 1);
    s.workspaceChanged(archived(), false);
    assert.equal(s.gitStatus('id-fix-login'), undefined);
  });
});

describe('changed files', () => {
  it('gives a row with folder, status letter and counts, opening the diff', () => {
    const row = changedFileRow(workspace(), file());
    assert.equal(row.label, 'login.ts');
    assert.equal(row.description, 'src · M +3 −1');
    assert.equal(row.resourcePath, `${workspace().path}/src/login.ts`);
    assert.deepEqual(row.action, { kind: 'openChange', workspaceId: 'id-fix-login', path: 'src/login.ts' });
  });

  it('words statuses, renames and binary files', () => {
    assert.equal(fileStatusText(file({ status: 'untracked', additions: 4, deletions: 0 })), 'untracked +4 −0');
    assert.equal(fileStatusText(file({ status: 'renamed', oldPath: 'old.ts', path: 'new.ts' })), 'renamed from old.ts +3 −1');
    assert.equal(fileStatusText(file({ status: 'added', additions: null, deletions: null })), 'added binary');
    assert.equal(changedFileRow(workspace(), file({ path: 'top.txt', status: 'deleted' })).description, 'D +3 −1');
  });

  it('diffs every changed file against the base: an added one against empty, a deleted one against empty', () => {
    assert.deepEqual(diffSides(file()), { left: { kind: 'base', path: 'src/login.ts' }, right: { kind: 'worktree', path: 'src/login.ts' } });
    for (const status of ['added', 'untracked'] as const) {
      assert.deepEqual(diffSides(file({ status })), { left: { kind: 'empty' }, right: { kind: 'worktree', path: 'src/login.ts' } });
    }
    assert.deepEqual(diffSides(file({ status: 'deleted' })), { left: { kind: 'base', path: 'src/login.ts' }, right: { kind: 'empty' } });
    assert.deepEqual(diffSides(file({ status: 'renamed', oldPath: 'old.ts', path: 'new.ts' })), {
      left: { kind: 'base', path: 'old.ts' },
      right: { kind: 'worktree', path: 'new.ts' },
    });
    // Every file row opens through that diff.
    assert.deepEqual(changedFileRow(workspace(), file({ status: 'untracked' })).action, {
      kind: 'openChange',
      workspaceId: 'id-fix-login',
      path: 'src/login.ts',
    });
  });

  it('knows the changes tab of a workspace by its title, with or without the count the editor adds', () => {
    assert.equal(isChangesTabLabel('Changes in fix-login (against main)', 'fix-login', 'main'), true);
    assert.equal(isChangesTabLabel('Changes in fix-login (against main) (1 file)', 'fix-login', 'main'), true);
    assert.equal(isChangesTabLabel('Changes in fix-login (against main) (12 files)', 'fix-login', 'main'), true);
    assert.equal(isChangesTabLabel('Changes in fix-login-2 (against main)', 'fix-login', 'main'), false);
    assert.equal(isChangesTabLabel('Changes in fix-login (against main) notes', 'fix-login', 'main'), false);
  });

  it('titles the diff as "name: path (base ↔ workspace)"', () => {
    assert.equal(diffTitle('fix-login', 'src/a.ts'), 'fix-login: src/a.ts (base ↔ workspace)');
  });

  it('round-trips the query of a base document, and refuses others', () => {
    for (const q of [
      { id: 'a', path: 'x/y z.ts' },
      { id: 'a', path: 'gone.ts', empty: true },
    ]) {
      assert.deepEqual(decodeBaseQuery(encodeBaseQuery(q)), q);
    }
    assert.equal(decodeBaseQuery('not json'), undefined);
    assert.equal(decodeBaseQuery('{"id":1,"path":"x"}'), undefined);
  });

  it('shows a placeholder for binary files and nothing for absent ones', () => {
    assert.equal(baseText({ content: null, binary: true }), BINARY_PLACEHOLDER);
    assert.equal(baseText({ content: null, binary: false }), '');
    assert.equal(baseText({ content: 'a\n', binary: false }), 'a\n');
  });
});

describe('the tree', () => {
  function store(): WorkspaceStore {
    const s = new WorkspaceStore();
    s.load([REPO], [workspace(), archived({ id: 'old', name: 'old' }), workspace({ id: 'b1', name: 'post', repoPath: OTHER_REPO })], [run()]);
    return s;
  }

  it('says it is loading, or why the sidecar is unavailable', () => {
    const s = new WorkspaceStore();
    assert.deepEqual(childNodes(s), [{ kind: 'message', id: 'loading', text: 'Loading workspaces…', icon: 'sync~spin' }]);
    s.setStatus({ kind: 'unavailable', message: 'no sidecar' });
    const [node] = childNodes(s);
    assert.ok(node);
    assert.equal(treeRow(s, node)?.label, 'no sidecar');
  });

  it('lists repositories (the window first), their workspaces (active first), and changed files', () => {
    const s = store();
    assert.deepEqual(childNodes(s), [
      { kind: 'repo', repoPath: REPO },
      { kind: 'repo', repoPath: OTHER_REPO },
    ]);
    assert.deepEqual(childNodes(s, { kind: 'repo', repoPath: REPO }), [
      { kind: 'workspace', workspaceId: 'id-fix-login' },
      { kind: 'workspace', workspaceId: 'old' },
    ]);
    const node: TreeNode = { kind: 'workspace', workspaceId: 'id-fix-login' };
    assert.equal(childNodes(s, node)[0]?.kind, 'message');
    s.setChanges('id-fix-login', { kind: 'known', changes: changes([file()]) });
    assert.deepEqual(childNodes(s, node), [{ kind: 'file', workspaceId: 'id-fix-login', path: 'src/login.ts' }]);
    assert.equal(treeRow(s, { kind: 'file', workspaceId: 'id-fix-login', path: 'src/login.ts' })?.label, 'login.ts');
    assert.equal(treeRow(s, { kind: 'file', workspaceId: 'id-fix-login', path: 'gone' }), undefined);
    assert.deepEqual(childNodes(s, { kind: 'workspace', workspaceId: 'old' }), []);
  });

  it('describes a repository by its workspaces', () => {
    const s = store();
    const row = repositoryRow(s, REPO);
    assert.equal(row.label, 'shop');
    assert.equal(row.collapsible, 'expanded');
    assert.match(row.tooltip ?? '', /1 active, 1 archived/);
    const empty = new WorkspaceStore();
    empty.load(['/src/empty'], [], []);
    assert.match(repositoryRow(empty, '/src/empty').tooltip ?? '', /no workspaces/);
    assert.equal(repositoryRow(empty, '/src/empty').collapsible, 'expanded');
    const [child] = childNodes(empty, { kind: 'repo', repoPath: '/src/empty' });
    assert.ok(child);
    assert.deepEqual(treeRow(empty, child)?.action, { kind: 'newWorkspace', repoPath: '/src/empty' });
  });
});

describe('command arguments', () => {
  it('takes a workspace row, a file row, {workspaceId} or a Workspace', () => {
    assert.equal(workspaceArgument({ kind: 'workspace', workspaceId: 'a' }), 'a');
    assert.equal(workspaceArgument({ kind: 'file', workspaceId: 'b', path: 'x' }), 'b');
    assert.equal(workspaceArgument({ workspaceId: 'c' }), 'c');
    assert.equal(workspaceArgument(workspace()), 'id-fix-login');
    assert.equal(workspaceArgument(undefined), undefined);
    assert.equal(workspaceArgument({ kind: 'repo', repoPath: REPO }), undefined);
  });
});

describe('errors and confirmations', () => {
  it('reads JSON-RPC errors and anything else thrown', () => {
    const failure = sidecarError({ code: ErrorCodes.WorkspaceDirty, message: 'dirty', data: { files: ['a', 1, 'b'] } });
    assert.equal(failure.code, ErrorCodes.WorkspaceDirty);
    assert.deepEqual(dirtyFiles(failure.data), ['a', 'b']);
    assert.deepEqual(sidecarError(new Error('gone')), { code: undefined, message: 'gone', data: undefined });
    assert.deepEqual(sidecarError('odd'), { code: undefined, message: 'odd', data: undefined });
  });

  it('lists the first ten files and how many more', () => {
    const files = Array.from({ length: 13 }, (_, i) => `f${i}`);
    const text = fileList(files);
    assert.equal(text.split('\n').length, 11);
    assert.match(text, /^f0\n/);
    assert.match(text, /\n…and 3 more$/);
    assert.equal(fileList(['a', 'b']), 'a\nb');
  });

  it('asks before archiving dirty work, saying it is saved as a snapshot', () => {
    const c = archiveDirtyConfirmation(workspace(), ['a.ts', 'b.ts']);
    assert.match(c.message, /2 uncommitted or untracked files/);
    assert.match(c.detail, /^a\.ts\nb\.ts\n/);
    assert.match(c.detail, /snapshot/);
  });

  it('says what deleting keeps and loses', () => {
    const c = deleteConfirmation(workspace());
    assert.match(c.detail, /worktree at .*fix-login is removed/);
    assert.match(c.detail, /grove\/fix-login is kept/);
    assert.match(deleteConfirmation(archived()).detail, /no worktree is left/);
  });

  it('names the unmerged commits and the uncommitted files before "Delete Anyway"', () => {
    const unmerged = { code: ErrorCodes.UnmergedBranch, message: 'm', data: { branch: 'grove/fix-login', unmergedCommits: 3 } };
    const c = deleteForceConfirmation(workspace(), unmerged, ['dirty.ts']);
    assert.match(c.detail, /grove\/fix-login has 3 commits that main does not have/);
    assert.match(c.detail, /1 uncommitted or untracked file will be discarded:\ndirty\.ts/);
    const dirty = { code: ErrorCodes.WorkspaceDirty, message: 'm', data: { files: ['x'] } };
    assert.match(deleteForceConfirmation(workspace(), dirty, []).detail, /1 uncommitted or untracked file will be discarded:\nx/);
    const snapshot = { code: ErrorCodes.WorkspaceDirty, message: 'm', data: { files: [], snapshot: 'abc' } };
    assert.match(deleteForceConfirmation(archived(), snapshot, []).detail, /snapshot\) will be discarded/);
  });
});

describe('terminals and restore', () => {
  it('finds paths inside a worktree, not beside it', () => {
    const root = workspace().path;
    assert.equal(isInside(root, root), true);
    assert.equal(isInside(`${root}/`, root), true);
    assert.equal(isInside(`${root}/src`, `${root}/`), true);
    assert.equal(isInside(`${root}-2`, root), false);
    assert.equal(isInside('/elsewhere', root), false);
    assert.equal(isInside('/anything', ''), false);
  });

  it('says which terminals archiving closes', () => {
    assert.equal(terminalsNote(['fix-login', 'bash']), '2 terminals are open in this worktree (“fix-login”, “bash”): they will be closed.');
    assert.equal(terminalsNote(['fix-login']), '1 terminal is open in this worktree (“fix-login”): it will be closed.');
    const c = terminalsQuestion(workspace(), ['fix-login', 'bash'], 'archive');
    assert.equal(c.message, 'Archive “fix-login”?');
    assert.match(c.detail, /^2 terminals are open in this worktree/);
    assert.match(c.detail, /the branch grove\/fix-login is kept/);
    // The first button (Enter) only shows them; closing is the second.
    assert.equal(c.show, 'Show the Terminals');
    assert.equal(c.agree, 'Close the Terminals and Archive');
  });

  it('asks about terminals before delete too', () => {
    const c = terminalsQuestion(workspace(), ['bash'], 'delete');
    assert.equal(c.message, 'Delete “fix-login”?');
    assert.match(c.detail, /^1 terminal is open in this worktree \(“bash”\): it will be closed\.\n\nDeleting removes the worktree at /);
    assert.equal(c.show, 'Show the Terminal');
    assert.equal(c.agree, 'Close the Terminal and Delete');
  });

  it('finds a terminal in a worktree by where it started or where its shell is now', () => {
    const root = workspace().path;
    assert.equal(terminalInWorktree([`${root}/src`, undefined], root), true);
    assert.equal(terminalInWorktree([undefined, root], root), true, 'shell integration says the shell went there');
    assert.equal(terminalInWorktree(['/home/me', `${root}/src`], root), true);
    assert.equal(terminalInWorktree(['/home/me', undefined], root), false);
    assert.equal(terminalInWorktree([undefined, undefined], root), false);
    assert.equal(terminalInWorktree([`${root}-2`], root), false);
  });
});

describe('unsaved files before archive or delete', () => {
  it('finds the unsaved files inside the worktree only', () => {
    const root = workspace().path;
    assert.deepEqual(unsavedInWorktree([`${root}/a.ts`, '/elsewhere/b.ts', `${root}-2/c.ts`, `${root}/src/d.ts`], root), [`${root}/a.ts`, `${root}/src/d.ts`]);
    assert.equal(relativeTo(`${root}/src/d.ts`, root), 'src/d.ts');
    assert.equal(relativeTo(`${root}/src/d.ts`, `${root}/`), 'src/d.ts');
    assert.equal(relativeTo('/elsewhere/b.ts', root), '/elsewhere/b.ts');
  });

  it('says how many, which, and what saving then does; the first button (Enter) only shows them', () => {
    const root = workspace().path;
    const two = unsavedQuestion(workspace(), [`${root}/a.ts`, `${root}/src/d.ts`], 'archive');
    assert.equal(two.message, '2 files in this worktree have unsaved changes.');
    assert.match(two.detail, /^a\.ts\nsrc\/d\.ts\n\n“Save and Archive” saves them, then archives “fix-login”/);
    assert.equal(two.show, 'Show the Files');
    assert.equal(two.agree, 'Save and Archive');
    const one = unsavedQuestion(workspace(), [`${root}/a.ts`], 'delete');
    assert.equal(one.message, '1 file in this worktree has unsaved changes.');
    assert.match(one.detail, /“Save and Delete” saves them, then deletes “fix-login”: Grove asks again before discarding uncommitted work\.$/);
    assert.equal(one.show, 'Show the File');
    assert.equal(one.agree, 'Save and Delete');
  });

  it('offers a terminal again after restore when archiving closed some', () => {
    assert.equal(restoredMessage(workspace(), 0), `Restored fix-login at ${workspace().path}.`);
    assert.equal(restoredMessage(workspace(), 2), `Restored fix-login at ${workspace().path}. Archiving closed 2 terminals there: open one again?`);
  });
});
