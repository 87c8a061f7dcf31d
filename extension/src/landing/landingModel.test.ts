// Unit tests of landingModel: which actions apply to a GitStatus, the summary, tooltip and context values, commit and pull-request texts, confirmations, and what each result and refusal of the sidecar says and offers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allContextValues, ContextValues } from '../common/commands';
import { sidecarError } from '../common/errors';
import { ErrorCodes } from '../common/protocol';
import { conflicted, gitStatus } from './landingFixtures';
import {
  abortConfirmation,
  actionLabel,
  actionTitle,
  aheadBehindText,
  baseLabel,
  choiceLabel,
  errorFiles,
  failureNotice,
  fileNames,
  flattenBody,
  joinMessage,
  LANDING_ACTIONS,
  landingActions,
  landingContext,
  landingContextSuffix,
  mergeConfirmation,
  mergedNotice,
  mergeMethod,
  runIsBusy,
  splitMessage,
  stateDescription,
  stateParts,
  stateTooltip,
  subjectProblem,
  syncNotice,
  unflattenBody,
  type NoticeTarget,
} from './landingModel';

const target: NoticeTarget = { name: 'fix-login', branch: 'grove/fix-login', base: 'main', remote: 'origin' };

/** A refusal as the sidecar answers it. */
function refusal(code: number, data: unknown = null, message = 'refused') {
  return sidecarError({ code, message, data });
}

describe('landing actions', () => {
  it('offers nothing without a status, and only Push/PR steps while the agent is busy', () => {
    assert.deepEqual(landingActions(undefined, false), []);
    const status = gitStatus({ ahead: 2, behind: 1, uncommitted: 3 });
    assert.deepEqual(landingActions(status, false), ['commit', 'sync', 'merge', 'apply', 'push', 'createPullRequest']);
    assert.deepEqual(landingActions(status, true), ['push', 'createPullRequest']);
    assert.equal(runIsBusy('running'), true);
    assert.equal(runIsBusy('waiting'), true);
    assert.equal(runIsBusy('succeeded'), false);
    assert.equal(runIsBusy(undefined), false);
  });

  it('offers Commit for uncommitted work, Sync when behind, Merge and Apply when ahead', () => {
    assert.deepEqual(landingActions(gitStatus(), false), []);
    assert.deepEqual(landingActions(gitStatus({ uncommitted: 1 }), false), ['commit', 'apply']);
    assert.deepEqual(landingActions(gitStatus({ behind: 4 }), false), ['sync']);
    assert.deepEqual(landingActions(gitStatus({ ahead: 1 }), false), ['merge', 'apply', 'push', 'createPullRequest']);
  });

  it('offers Push only for commits the remote lacks, and a pull request only while none is open', () => {
    const pushed = { remote: 'origin', branch: 'grove/fix-login', ahead: 0, behind: 0 };
    assert.deepEqual(landingActions(gitStatus({ ahead: 1, upstream: pushed }), false), ['merge', 'apply', 'createPullRequest']);
    assert.ok(landingActions(gitStatus({ ahead: 2, upstream: { ...pushed, ahead: 1 } }), false).includes('push'));
    const open = { url: 'https://github.example/o/r/pull/7', number: 7, state: 'OPEN' };
    assert.deepEqual(landingActions(gitStatus({ ahead: 1, upstream: pushed, pullRequest: open }), false), ['merge', 'apply', 'openPullRequest']);
    const closed = { ...open, state: 'CLOSED' };
    assert.ok(landingActions(gitStatus({ ahead: 1, upstream: pushed, pullRequest: closed }), false).includes('createPullRequest'));
  });

  it('offers only the way out of a stopped sync: Resolve with Agent while conflicts are left, Continue, Abort', () => {
    assert.deepEqual(landingActions(conflicted(), false), ['resolveConflicts', 'syncContinue', 'syncAbort']);
    assert.deepEqual(landingActions(conflicted([]), false), ['syncContinue', 'syncAbort']);
    // The agent resolving them is at work.
    assert.deepEqual(landingActions(conflicted(), true), []);
  });

  it('offers Archive and Delete after a merge, and never Merge or a pull request again', () => {
    const merged = gitStatus({ merged: true, behind: 2 });
    assert.deepEqual(landingActions(merged, false), ['archive', 'delete']);
    const withPr = gitStatus({ merged: true, pullRequest: { url: 'u', number: 3, state: 'MERGED' } });
    assert.deepEqual(landingActions(withPr, false), ['openPullRequest', 'archive', 'delete']);
  });

  it('does not merge into, or open a pull request against, a base that is a commit', () => {
    const detached = gitStatus({ base: '0123456789abcdef0123456789abcdef01234567', ahead: 1 });
    assert.deepEqual(landingActions(detached, false), ['apply', 'push']);
    assert.equal(baseLabel(detached), '01234567');
  });

  it('labels each action, with the base and the pull request number', () => {
    assert.equal(actionLabel('sync', 'main'), 'Sync with main');
    assert.equal(actionLabel('merge', 'develop'), 'Merge into develop…');
    assert.equal(actionLabel('openPullRequest', 'main', 12), 'Open Pull Request #12');
    for (const action of LANDING_ACTIONS) {
      assert.ok(actionLabel(action, 'main').length > 0);
      assert.ok(actionTitle(action, conflicted(), 'origin').length > 10, action);
    }
    assert.equal(actionTitle('commit', gitStatus({ uncommitted: 1 }), 'origin'), 'Commit 1 uncommitted file on grove/fix-login');
  });
});

describe('landing state', () => {
  it('shows ahead and behind as arrows, conflicts first, the pull request and merged', () => {
    assert.equal(aheadBehindText(gitStatus()), '');
    assert.equal(aheadBehindText(gitStatus({ ahead: 2, behind: 1 })), '↑2 ↓1');
    assert.equal(stateDescription(undefined), '');
    assert.equal(stateDescription(gitStatus({ ahead: 2, behind: 1, uncommitted: 4 })), '↑2 ↓1');
    assert.equal(stateDescription(conflicted(['a.ts', 'b.ts'])), '⚠ 2 conflicts · ↑1 ↓1');
    const pr = { url: 'https://github.example/o/r/pull/12', number: 12, state: 'OPEN' };
    assert.equal(stateDescription(gitStatus({ ahead: 1, pullRequest: pr })), '↑1 ↓0 · PR #12 open');
    assert.equal(stateDescription(gitStatus({ merged: true })), 'merged into main');
    // How far the base moved on after the merge is no news.
    assert.equal(stateDescription(gitStatus({ merged: true, behind: 2 })), 'merged into main');
    assert.equal(stateDescription(conflicted([])), '⚠ rebase stopped · ↑1 ↓1');
  });

  it('names the conflicted files in the warning part', () => {
    const [part] = stateParts(conflicted(['src/a.ts', 'src/b.ts']));
    assert.equal(part?.warning, true);
    assert.equal(part.title, 'The rebase stopped at conflicts in:\nsrc/a.ts\nsrc/b.ts');
  });

  it('says in the tooltip where the branch stands against the base, the remote and the pull request', () => {
    const upstream = { remote: 'origin', branch: 'grove/fix-login', ahead: 1, behind: 0 };
    assert.deepEqual(stateTooltip(gitStatus({ ahead: 2, uncommitted: 1, upstream })), [
      'Against main: 2 commits ahead, 0 behind',
      'Uncommitted: 1 file',
      'Remote: origin/grove/fix-login, 1 to push, 0 to pull',
    ]);
    assert.deepEqual(stateTooltip(conflicted(['x.ts'], { merged: false })), [
      'Against main: 1 commit ahead, 1 behind',
      'The rebase with main stopped at conflicts in: x.ts',
      'Not pushed',
    ]);
  });

  it('makes context values the package.json patterns know, and the palette keys', () => {
    const suffix = landingContextSuffix(landingActions(gitStatus({ ahead: 2, behind: 1, uncommitted: 3 }), false));
    assert.equal(suffix, '.commit.sync.merge.apply.push.createPr');
    assert.equal(landingContextSuffix(landingActions(conflicted(), false)), '.conflicts.syncStopped');
    assert.equal(landingContextSuffix(landingActions(gitStatus({ merged: true }), false)), '.merged');
    const values = allContextValues();
    assert.ok(values.includes(`${ContextValues.workspaceActive}.hasRuns${suffix}`));
    assert.ok(values.includes(`${ContextValues.workspaceActive}.conflicts.syncStopped`));
    // `\.sync\b` is not `.syncStopped`, `\.merge\b` not `.merged`.
    assert.ok(!/\.sync\b/.test('.conflicts.syncStopped'));
    assert.ok(!/\.merge\b/.test('.merged'));

    const context = landingContext([landingActions(gitStatus({ uncommitted: 1 }), false), landingActions(conflicted(), false)]);
    assert.deepEqual(context, {
      'grove.canCommit': true,
      'grove.canSync': false,
      'grove.canMerge': false,
      'grove.canApply': true,
      'grove.canPush': false,
      'grove.canCreatePullRequest': false,
      'grove.hasPullRequest': false,
      'grove.hasConflicts': true,
      'grove.syncStopped': true,
    });
  });
});

describe('commit and pull-request texts', () => {
  it('splits a message into its first line and body, and joins them back', () => {
    const message = 'Fix the login\n\n- Fix the login\n- Add a test';
    assert.deepEqual(splitMessage(message), { subject: 'Fix the login', body: '- Fix the login\n- Add a test' });
    assert.equal(joinMessage('Fix the login form ', '- Fix the login\n- Add a test\n'), 'Fix the login form\n\n- Fix the login\n- Add a test');
    assert.deepEqual(splitMessage('Work from fix-login'), { subject: 'Work from fix-login', body: '' });
    assert.equal(joinMessage('One line', '  '), 'One line');
    assert.deepEqual(splitMessage('a\r\nb'), { subject: 'a', body: 'b' });
    assert.equal(subjectProblem('  '), 'Write what the change does (one line).');
    assert.equal(subjectProblem('Fix'), undefined);
  });

  it('shows a body in one line with ↵ for its line breaks, and reads it back', () => {
    const body = '- Fix the login\n- Add a test';
    const flat = flattenBody(body);
    assert.equal(flat, '- Fix the login ↵ - Add a test');
    assert.equal(unflattenBody(flat), body);
    assert.equal(unflattenBody('first↵second ↵third'), 'first\nsecond\nthird');
    assert.equal(unflattenBody(''), '');
  });
});

describe('confirmations', () => {
  it('says how Merge lands the branch, and what it leaves out', () => {
    assert.equal(mergeMethod('squash'), 'squash');
    assert.equal(mergeMethod('octopus'), 'merge');
    const confirm = mergeConfirmation('fix-login', gitStatus({ ahead: 2, behind: 1, uncommitted: 1 }), 'squash');
    assert.equal(confirm.message, 'Merge “fix-login” into main?');
    assert.equal(confirm.confirm, 'Merge into main');
    assert.match(confirm.detail, /^The 2 commits of grove\/fix-login land on main as one squashed commit/);
    assert.match(confirm.detail, /main has moved on \(1 commit the branch lacks\)/);
    assert.match(confirm.detail, /The uncommitted file of the workspace is not included: commit first to land it too/);
    const one = mergeConfirmation('fix-login', gitStatus({ ahead: 1 }), 'merge');
    assert.match(one.detail, /^The commit of grove\/fix-login lands on main as a merge commit \(a fast-forward when main has not moved\)/);
    assert.doesNotMatch(one.detail, /moved on|not included/);
    assert.equal(abortConfirmation('fix-login', conflicted()).confirm, 'Abort Rebase');
  });
});

describe('notices', () => {
  it('tells how a sync ended; conflicts offer the agent, the merge editor and Abort', () => {
    assert.deepEqual(syncNotice(target, { status: 'upToDate', conflicted: [] }), {
      severity: 'info',
      message: '“fix-login” has everything of main already.',
      choices: [],
    });
    const stopped = syncNotice(target, { status: 'conflicts', conflicted: ['src/a.ts', 'b.ts'] });
    assert.equal(stopped.severity, 'warning');
    assert.match(stopped.message, /stopped at conflicts in src\/a\.ts, b\.ts/);
    assert.deepEqual(stopped.choices.map(choiceLabel), ['Resolve with Agent', 'Open Merge Editor', 'Abort…']);
  });

  it('says there is nothing to commit, and puts a hook’s output in the output channel', () => {
    assert.equal(failureNotice('commit', target, refusal(ErrorCodes.NothingToCommit)).severity, 'info');
    const hook = failureNotice('commit', target, refusal(ErrorCodes.HookFailed, { output: 'lint: 2 errors\n' }));
    assert.equal(hook.output, 'lint: 2 errors\n');
    assert.match(hook.message, /hook refused the commit .* output is in the Grove output channel/);
    assert.deepEqual(hook.choices, ['showOutput', 'commitAgain']);
  });

  it('offers Commit First when a sync meets uncommitted work, Sync First when a merge meets conflicts', () => {
    const dirty = failureNotice('sync', target, refusal(ErrorCodes.WorkspaceDirty, { files: ['a.ts'] }));
    assert.deepEqual(dirty.choices.map(choiceLabel), ['Commit First']);
    assert.match(dirty.message, /uncommitted changes \(a\.ts\): commit them first, then sync with main/);
    const conflicts = failureNotice('merge', target, refusal(ErrorCodes.Conflicts, { files: ['a.ts', 'b.ts'] }));
    assert.deepEqual(conflicts.choices.map(choiceLabel), ['Sync First']);
    assert.match(conflicts.message, /conflicts with main in a\.ts, b\.ts/);
    const markers = failureNotice('syncContinue', target, refusal(ErrorCodes.Conflicts, { files: ['a.ts'] }));
    assert.match(markers.message, /still hold conflict markers: a\.ts/);
    assert.deepEqual(markers.choices, ['openMergeEditor', 'resolveWithAgent']);
  });

  it('names the files a merge or an apply would touch in a dirty checkout', () => {
    const data = { files: ['README.md', 'src/app.ts'], checkout: '/home/dev/shop' };
    const merge = failureNotice('merge', target, refusal(ErrorCodes.DirtyCheckout, data));
    assert.match(
      merge.message,
      /^Nothing was changed: \/home\/dev\/shop has uncommitted changes to files the merge into main would change: README\.md, src\/app\.ts\./,
    );
    const apply = failureNotice('apply', target, refusal(ErrorCodes.DirtyCheckout, data));
    assert.match(apply.message, /the changes of “fix-login” would change: README\.md, src\/app\.ts/);
    const applyConflicts = failureNotice('apply', target, refusal(ErrorCodes.Conflicts, { files: ['x'] }));
    assert.match(applyConflicts.message, /do not apply cleanly to the main checkout \(x\)/);
  });

  it('explains a refused push and offers Force with Lease', () => {
    const rejected = failureNotice('push', target, refusal(ErrorCodes.PushRejected, { output: '! [rejected] (non-fast-forward)' }));
    assert.equal(rejected.output, '! [rejected] (non-fast-forward)');
    assert.deepEqual(rejected.choices.map(choiceLabel), ['Force with Lease…', 'Show Output']);
    assert.match(rejected.message, /^origin refused the push of grove\/fix-login/);
  });

  it('shows the fix when gh is missing or signed out, and the compare page when there is one', () => {
    const missing = failureNotice('createPullRequest', target, refusal(ErrorCodes.GhNotFound, { compareUrl: 'https://github.example/o/r/compare/main...x' }));
    assert.deepEqual(missing.choices.map(choiceLabel), ['Install gh', 'Set gh Path', 'Open Compare Page']);
    assert.match(missing.message, /gh, which it did not find on PATH/);
    const withPath = failureNotice('createPullRequest', { ...target, ghPath: '/opt/gh' }, refusal(ErrorCodes.GhNotFound, { compareUrl: null }));
    assert.match(withPath.message, /did not find at \/opt\/gh \(grove\.ghPath\)/);
    assert.deepEqual(withPath.choices, ['installGh', 'setGhPath']);
    const signedOut = failureNotice('createPullRequest', target, refusal(ErrorCodes.GhAuthRequired, { compareUrl: 'https://x/compare' }));
    assert.deepEqual(signedOut.choices.map(choiceLabel), ['Open Terminal', 'Open Compare Page', 'Try Again']);
    assert.match(signedOut.message, /gh auth login/);
  });

  it('points a busy workspace to its agent, a dead sidecar to a restart, git failures to the logs', () => {
    assert.deepEqual(failureNotice('merge', target, refusal(ErrorCodes.WorkspaceBusy)).choices, ['openAgentPanel']);
    assert.deepEqual(failureNotice('merge', target, sidecarError(new Error('not running'))).choices, ['restartSidecar', 'showLogs']);
    const git = failureNotice('sync', target, refusal(ErrorCodes.GitFailed, null, 'git rebase failed: fatal: bad'));
    assert.equal(git.message, 'Grove could not sync “fix-login”: git rebase failed: fatal: bad');
    assert.deepEqual(git.choices, ['showLogs']);
  });

  it('offers Archive and Delete after a merge', () => {
    const merged = mergedNotice(target, '89abcdef0123456789');
    assert.match(merged.message, /^Merged “fix-login” into main \(89abcdef\)/);
    assert.deepEqual(merged.choices.map(choiceLabel), ['Archive Workspace', 'Delete Workspace…']);
  });

  it('reads files from refusals, and lists at most a few', () => {
    assert.deepEqual(errorFiles({ files: ['a', 3, 'b'] }), ['a', 'b']);
    assert.deepEqual(errorFiles(null), []);
    assert.equal(fileNames(['a', 'b', 'c', 'd', 'e', 'f', 'g']), 'a, b, c, d, e and 2 more');
  });
});
