// Landing a workspace's work, computed without vscode: which actions apply to a GitStatus now, its summary and tooltip, context values and keys, commit and pull-request texts, confirmations, and what each result or refusal of the sidecar tells the user and offers next.
import { ContextKeys, LANDING_FLAGS } from '../common/commands';
import type { SidecarError } from '../common/errors';
import { isRecord } from '../common/json';
import { ErrorCodes, type GitStatus, type MergeMethod, type RunState, type WorkspaceSyncResult } from '../common/protocol';

// ---------------------------------------------------------------------------------------------
// Actions

/** What can be done with a workspace's work (each a command; `archive`/`delete` are the workspaces feature's). */
export type LandingAction =
  | 'commit'
  | 'sync'
  | 'merge'
  | 'apply'
  | 'push'
  | 'createPullRequest'
  | 'openPullRequest'
  | 'resolveConflicts'
  | 'syncContinue'
  | 'syncAbort'
  | 'archive'
  | 'delete';

/** Every action, in the order they are offered. */
export const LANDING_ACTIONS: readonly LandingAction[] = [
  'resolveConflicts',
  'syncContinue',
  'syncAbort',
  'commit',
  'sync',
  'merge',
  'apply',
  'push',
  'createPullRequest',
  'openPullRequest',
  'archive',
  'delete',
];

/** A run in these states changes the worktree (or is about to): git steps wait for it. */
export function runIsBusy(state: RunState | undefined): boolean {
  return state === 'queued' || state === 'running' || state === 'waiting';
}

const FULL_COMMIT = /^[0-9a-f]{40}$/;

/** The base as people read it: a branch name, or a commit's first 8 characters (a base taken from a detached HEAD). */
export function baseLabel(status: Pick<GitStatus, 'base'>): string {
  return FULL_COMMIT.test(status.base) ? status.base.slice(0, 8) : status.base;
}

/**
 * The actions that apply to a workspace now, in LANDING_ACTIONS order. While its agent is busy,
 * nothing that changes the worktree or the branch is offered (the sidecar refuses it); a sync
 * stopped at conflicts offers only its way out.
 */
export function landingActions(status: GitStatus | undefined, busy: boolean): LandingAction[] {
  if (!status) return [];
  const offered = new Set<LandingAction>();
  if (status.operation !== null) {
    if (!busy) {
      if (status.conflicted.length > 0) offered.add('resolveConflicts');
      offered.add('syncContinue');
      offered.add('syncAbort');
    }
  } else {
    const detached = FULL_COMMIT.test(status.base);
    if (!busy) {
      if (status.uncommitted > 0) offered.add('commit');
      if (status.behind > 0 && !status.merged) offered.add('sync');
      if (status.ahead > 0 && !status.merged && !detached) offered.add('merge');
      if ((status.ahead > 0 || status.uncommitted > 0) && !status.merged) offered.add('apply');
    }
    const unpushed = status.upstream === null ? status.ahead > 0 && !status.merged : status.upstream.ahead > 0;
    if (unpushed) offered.add('push');
    const pr = status.pullRequest;
    if (status.ahead > 0 && !status.merged && !detached && (pr === null || pr.state === 'CLOSED')) offered.add('createPullRequest');
    if (status.merged && !busy) {
      offered.add('archive');
      offered.add('delete');
    }
  }
  if (status.pullRequest !== null) offered.add('openPullRequest');
  return LANDING_ACTIONS.filter((a) => offered.has(a));
}

/** A button's words for an action (`base`: the base branch; `pr`: the pull request's number). */
export function actionLabel(action: LandingAction, base: string, pr?: number): string {
  switch (action) {
    case 'commit':
      return 'Commit…';
    case 'sync':
      return `Sync with ${base}`;
    case 'merge':
      return `Merge into ${base}…`;
    case 'apply':
      return 'Apply to Main Checkout';
    case 'push':
      return 'Push';
    case 'createPullRequest':
      return 'Create Pull Request…';
    case 'openPullRequest':
      return pr === undefined ? 'Open Pull Request' : `Open Pull Request #${pr}`;
    case 'resolveConflicts':
      return 'Resolve Conflicts with Agent';
    case 'syncContinue':
      return 'Continue';
    case 'syncAbort':
      return 'Abort…';
    case 'archive':
      return 'Archive';
    case 'delete':
      return 'Delete…';
  }
}

/** A button's tooltip: what the action does. */
export function actionTitle(action: LandingAction, status: GitStatus, remote: string): string {
  const base = baseLabel(status);
  switch (action) {
    case 'commit':
      return `Commit ${plural(status.uncommitted, 'uncommitted file')} on ${status.branch}`;
    case 'sync':
      return `Bring the ${plural(status.behind, 'new commit')} of ${base} into ${status.branch}`;
    case 'merge':
      return `Land the ${plural(status.ahead, 'commit')} of ${status.branch} on ${base}`;
    case 'apply':
      return "Bring this workspace's changes into the main checkout, uncommitted";
    case 'push':
      return `Push ${status.branch} to ${status.upstream?.remote ?? remote}`;
    case 'createPullRequest':
      return `Open a pull request of ${status.branch} against ${base} (GitHub CLI)`;
    case 'openPullRequest':
      return status.pullRequest ? `Open ${status.pullRequest.url}` : 'Open the pull request';
    case 'resolveConflicts':
      return `Start an agent run that resolves the conflicts in ${fileNames(status.conflicted)}`;
    case 'syncContinue':
      return `Go on with the ${status.operation ?? 'sync'} once the conflicts are resolved`;
    case 'syncAbort':
      return `Undo the stopped ${status.operation ?? 'sync'}: the branch as it was before`;
    case 'archive':
      return 'Its work is on the base: remove the worktree, keep the branch';
    case 'delete':
      return 'Its work is on the base: delete the workspace';
  }
}

// ---------------------------------------------------------------------------------------------
// What the tree and the panel show

/** "↑2 ↓1": commits ahead of the base and behind it; '' when level with it. */
export function aheadBehindText(status: Pick<GitStatus, 'ahead' | 'behind'>): string {
  if (status.ahead === 0 && status.behind === 0) return '';
  return `↑${status.ahead} ↓${status.behind}`;
}

/** "open", "closed", "merged", or gh's word as it is. */
export function pullRequestState(state: string): string {
  return state.toLowerCase();
}

/** One piece of the state, for a chip in the panel or a part of the tree's description. */
export interface StatePart {
  text: string;
  /** A codicon name. */
  icon?: string;
  /** Drawn as a warning (conflicts). */
  warning?: boolean;
  title?: string;
}

/** The state in short pieces: conflicts first (what needs doing), then ahead/behind, the pull request, merged. */
export function stateParts(status: GitStatus): StatePart[] {
  const parts: StatePart[] = [];
  const base = baseLabel(status);
  if (status.operation !== null) {
    const n = status.conflicted.length;
    parts.push(
      n > 0
        ? {
            text: plural(n, 'conflict'),
            icon: 'warning',
            warning: true,
            title: `The ${status.operation} stopped at conflicts in:\n${fileList(status.conflicted)}`,
          }
        : { text: `${status.operation} stopped`, icon: 'warning', warning: true, title: `The ${status.operation} with ${base} waits: Continue or Abort` },
    );
  }
  // Once its work is on the base, how far the base has moved on says nothing more.
  const counts = status.merged && status.ahead === 0 ? '' : aheadBehindText(status);
  if (counts !== '') parts.push({ text: counts, title: `${plural(status.ahead, 'commit')} ahead of ${base}, ${status.behind} behind` });
  if (status.uncommitted > 0) parts.push({ text: `${status.uncommitted} uncommitted`, title: plural(status.uncommitted, 'uncommitted file') });
  if (status.pullRequest !== null) {
    const pr = status.pullRequest;
    parts.push({ text: `PR #${pr.number} ${pullRequestState(pr.state)}`, icon: 'git-pull-request', title: pr.url });
  }
  if (status.merged) parts.push({ text: `merged into ${base}`, icon: 'git-merge', title: `The work of ${status.branch} is on ${base}` });
  return parts;
}

/** The tree's short words: conflicts, ahead/behind, the pull request, merged (uncommitted files show as changes already). */
export function stateDescription(status: GitStatus | undefined): string {
  if (!status) return '';
  return stateParts(status)
    .filter((p) => !p.text.endsWith(' uncommitted'))
    .map((p) => (p.warning ? `⚠ ${p.text}` : p.text))
    .join(' · ');
}

/** The tooltip's lines about landing. */
export function stateTooltip(status: GitStatus): string[] {
  const base = baseLabel(status);
  const lines = [`Against ${base}: ${plural(status.ahead, 'commit')} ahead, ${status.behind} behind`];
  if (status.uncommitted > 0) lines.push(`Uncommitted: ${plural(status.uncommitted, 'file')}`);
  if (status.operation !== null) {
    lines.push(
      status.conflicted.length > 0
        ? `The ${status.operation} with ${base} stopped at conflicts in: ${fileNames(status.conflicted)}`
        : `The ${status.operation} with ${base} waits: Continue or Abort`,
    );
  }
  const up = status.upstream;
  if (up === null) lines.push('Not pushed');
  else lines.push(`Remote: ${up.remote}/${up.branch}, ${up.ahead} to push, ${up.behind} to pull`);
  if (status.pullRequest !== null) {
    const pr = status.pullRequest;
    lines.push(`Pull request #${pr.number} (${pullRequestState(pr.state)}): ${pr.url}`);
  }
  if (status.merged) lines.push(`Merged into ${base}`);
  return lines;
}

/** The landing part of an active workspace's context value: LANDING_FLAGS of the actions offered, in table order. */
export function landingContextSuffix(actions: readonly LandingAction[]): string {
  const has = new Set(actions);
  const flags: string[] = [];
  if (has.has('commit')) flags.push(LANDING_FLAGS.commit);
  if (has.has('sync')) flags.push(LANDING_FLAGS.sync);
  if (has.has('merge')) flags.push(LANDING_FLAGS.merge);
  if (has.has('apply')) flags.push(LANDING_FLAGS.apply);
  if (has.has('push')) flags.push(LANDING_FLAGS.push);
  if (has.has('createPullRequest')) flags.push(LANDING_FLAGS.createPullRequest);
  if (has.has('openPullRequest')) flags.push(LANDING_FLAGS.openPullRequest);
  if (has.has('resolveConflicts')) flags.push(LANDING_FLAGS.conflicts);
  if (has.has('syncContinue') || has.has('syncAbort')) flags.push(LANDING_FLAGS.syncStopped);
  if (has.has('archive')) flags.push(LANDING_FLAGS.merged);
  return flags.join('');
}

/** The `when`-clause keys of landing: whether some active workspace offers each action now. */
export interface LandingContext {
  [ContextKeys.canCommit]: boolean;
  [ContextKeys.canSync]: boolean;
  [ContextKeys.canMerge]: boolean;
  [ContextKeys.canApply]: boolean;
  [ContextKeys.canPush]: boolean;
  [ContextKeys.canCreatePullRequest]: boolean;
  [ContextKeys.hasPullRequest]: boolean;
  [ContextKeys.hasConflicts]: boolean;
  [ContextKeys.syncStopped]: boolean;
}

export function landingContext(offered: readonly (readonly LandingAction[])[]): LandingContext {
  const any = (action: LandingAction) => offered.some((actions) => actions.includes(action));
  return {
    [ContextKeys.canCommit]: any('commit'),
    [ContextKeys.canSync]: any('sync'),
    [ContextKeys.canMerge]: any('merge'),
    [ContextKeys.canApply]: any('apply'),
    [ContextKeys.canPush]: any('push'),
    [ContextKeys.canCreatePullRequest]: any('createPullRequest'),
    [ContextKeys.hasPullRequest]: any('openPullRequest'),
    [ContextKeys.hasConflicts]: any('resolveConflicts'),
    [ContextKeys.syncStopped]: any('syncContinue') || any('syncAbort'),
  };
}

// ---------------------------------------------------------------------------------------------
// Messages: commits and pull requests

/** A commit message's first line and the rest (after the blank line), as the input box edits them. */
export function splitMessage(message: string): { subject: string; body: string } {
  const text = message.replace(/\r\n/g, '\n');
  const newline = text.indexOf('\n');
  if (newline < 0) return { subject: text.trim(), body: '' };
  return {
    subject: text.slice(0, newline).trim(),
    body: text
      .slice(newline + 1)
      .replace(/^\n+/, '')
      .trimEnd(),
  };
}

/** The first line, then a blank line and the body when there is one. */
export function joinMessage(subject: string, body: string): string {
  const b = body.trim();
  return b === '' ? subject.trim() : `${subject.trim()}\n\n${b}`;
}

/** What the subject box refuses: nothing to say, or more than one line. */
export function subjectProblem(subject: string): string | undefined {
  if (subject.trim() === '') return 'Write what the change does (one line).';
  return undefined;
}

/** The mark that stands for a line break in the one-line body box. */
export const LINE_BREAK = ' ↵ ';

/** A multi-line text for a one-line input box: each line break shown as ↵. */
export function flattenBody(body: string): string {
  return body.replace(/\r?\n/g, LINE_BREAK);
}

/** The text of the one-line box back to lines: each ↵ (with the spaces around it) a line break. */
export function unflattenBody(text: string): string {
  return text.replace(/ ?↵ ?/g, '\n').trim();
}

// ---------------------------------------------------------------------------------------------
// Confirmations

export interface Confirmation {
  message: string;
  detail: string;
  /** The button that goes ahead. */
  confirm: string;
}

const MERGE_WORDS: Record<MergeMethod, string> = {
  merge: 'a merge commit (a fast-forward when {base} has not moved)',
  squash: 'one squashed commit holding all its changes',
  rebase: 'its commits replayed on top of {base}',
};

/** The method setting as the sidecar reads it: anything else is the default, merge. */
export function mergeMethod(value: unknown): MergeMethod {
  return value === 'squash' || value === 'rebase' ? value : 'merge';
}

/** The modal before Merge into <base>. */
export function mergeConfirmation(name: string, status: GitStatus, method: MergeMethod): Confirmation {
  const base = baseLabel(status);
  const ahead = status.ahead === 1 ? `The commit of ${status.branch} lands` : `The ${status.ahead} commits of ${status.branch} land`;
  const lines = [`${ahead} on ${base} as ${MERGE_WORDS[method].replace('{base}', base)} (grove.mergeMethod: ${method}).`];
  if (status.behind > 0) {
    lines.push(
      `${base} has moved on (${plural(status.behind, 'commit')} the branch lacks): Grove merges against ${base} as it is now, so nothing that reached it is undone.`,
    );
  }
  if (status.uncommitted > 0) {
    const files = status.uncommitted === 1 ? 'The uncommitted file of the workspace is' : `The ${status.uncommitted} uncommitted files of the workspace are`;
    lines.push(`${files} not included: commit first to land ${status.uncommitted === 1 ? 'it' : 'them'} too.`);
  }
  lines.push(`Where ${base} is checked out, files with uncommitted changes there are never touched: Grove refuses and names them.`);
  return { message: `Merge “${name}” into ${base}?`, detail: lines.join('\n\n'), confirm: `Merge into ${base}` };
}

/** The modal before Abort. */
export function abortConfirmation(name: string, status: GitStatus): Confirmation {
  const operation = status.operation ?? 'sync';
  return {
    message: `Abort the ${operation} of “${name}”?`,
    detail: `${status.branch} goes back exactly as it was before the sync; conflict resolutions made so far are dropped.`,
    confirm: `Abort ${operation === 'rebase' ? 'Rebase' : 'Merge'}`,
  };
}

/** The modal behind "Force with Lease". */
export function forcePushConfirmation(branch: string, remote: string): Confirmation {
  return {
    message: `Replace ${remote}/${branch} with this branch?`,
    detail: `Force with lease replaces the remote branch only if it is still where Grove last fetched it; commits pushed there since then make it refuse. Commits on ${remote}/${branch} that this branch lacks are dropped from it.`,
    confirm: 'Force Push with Lease',
  };
}

/** The question before a pull request of a branch that is not on the remote yet. */
export function pushFirstConfirmation(branch: string, remote: string): Confirmation {
  return {
    message: `${branch} is not on ${remote} yet.`,
    detail: `A pull request needs the branch on ${remote}: Grove pushes it (and sets its upstream), then creates the pull request.`,
    confirm: 'Push and Create',
  };
}

// ---------------------------------------------------------------------------------------------
// Notices: results and refusals, and what each offers next

/** A step the user can take from a notification. */
export type Choice =
  | 'commitFirst'
  | 'commitAgain'
  | 'syncFirst'
  | 'resolveWithAgent'
  | 'openMergeEditor'
  | 'continue'
  | 'abort'
  | 'forceWithLease'
  | 'showOutput'
  | 'openTerminal'
  | 'openCompare'
  | 'installGh'
  | 'setGhPath'
  | 'openAgentPanel'
  | 'tryAgain'
  | 'showLogs'
  | 'restartSidecar'
  | 'merge'
  | 'push'
  | 'createPullRequest'
  | 'openUrl'
  | 'archive'
  | 'delete';

const CHOICE_LABELS: Record<Choice, string> = {
  commitFirst: 'Commit First',
  commitAgain: 'Commit Again…',
  syncFirst: 'Sync First',
  resolveWithAgent: 'Resolve with Agent',
  openMergeEditor: 'Open Merge Editor',
  continue: 'Continue',
  abort: 'Abort…',
  forceWithLease: 'Force with Lease…',
  showOutput: 'Show Output',
  openTerminal: 'Open Terminal',
  openCompare: 'Open Compare Page',
  installGh: 'Install gh',
  setGhPath: 'Set gh Path',
  openAgentPanel: 'Open Agent Panel',
  tryAgain: 'Try Again',
  showLogs: 'Show Logs',
  restartSidecar: 'Restart Sidecar',
  merge: 'Merge…',
  push: 'Push',
  createPullRequest: 'Create Pull Request…',
  openUrl: 'Open',
  archive: 'Archive Workspace',
  delete: 'Delete Workspace…',
};

export function choiceLabel(choice: Choice): string {
  return CHOICE_LABELS[choice];
}

/** What a notification says and offers; `output` goes to the output channel first (a hook's or git's words). */
export interface Notice {
  severity: 'info' | 'warning' | 'error';
  message: string;
  choices: Choice[];
  output?: string;
}

/** The request a failure came from. */
export type LandingStep = 'commit' | 'sync' | 'syncContinue' | 'syncAbort' | 'resolve' | 'merge' | 'apply' | 'push' | 'createPullRequest';

/** What a notice needs to know of the workspace. */
export interface NoticeTarget {
  name: string;
  branch: string;
  /** The base branch as people read it. */
  base: string;
  /** The remote push and pull requests use (grove.remote). */
  remote: string;
  /** grove.ghPath, '' when unset. */
  ghPath?: string;
}

const STEP_WORDS: Record<LandingStep, string> = {
  commit: 'commit',
  sync: 'sync',
  syncContinue: 'continue the sync of',
  syncAbort: 'abort the sync of',
  resolve: 'start an agent on the conflicts of',
  merge: 'merge',
  apply: 'apply',
  push: 'push',
  createPullRequest: 'create a pull request of',
};

/** `data.files` of a refusal. */
export function errorFiles(data: unknown): string[] {
  if (!isRecord(data) || !Array.isArray(data.files)) return [];
  return data.files.filter((f): f is string => typeof f === 'string');
}

/** A string field of a refusal's `data` ('' when absent). */
export function errorText(data: unknown, field: 'output' | 'checkout' | 'compareUrl'): string {
  if (!isRecord(data)) return '';
  const value = data[field];
  return typeof value === 'string' ? value : '';
}

/** The notice for a failed landing request: what happened, in words, and the step that leads on. */
export function failureNotice(step: LandingStep, target: NoticeTarget, failure: SidecarError): Notice {
  const where = `“${target.name}”`;
  const files = errorFiles(failure.data);
  switch (failure.code) {
    case ErrorCodes.NothingToCommit:
      return { severity: 'info', message: `${where} has nothing to commit: every change is committed already.`, choices: [] };
    case ErrorCodes.HookFailed:
      return {
        severity: 'error',
        message: `A git hook refused the commit in ${where}; nothing was committed and the files are as they were. The hook's output is in the Grove output channel: fix what it reports, then commit again.`,
        choices: ['showOutput', 'commitAgain'],
        output: errorText(failure.data, 'output'),
      };
    case ErrorCodes.WorkspaceDirty:
      return {
        severity: 'warning',
        message: `${where} has uncommitted changes${files.length > 0 ? ` (${fileNames(files)})` : ''}: commit them first, then sync with ${target.base}.`,
        choices: ['commitFirst'],
      };
    case ErrorCodes.WorkspaceBusy:
      return {
        severity: 'warning',
        message: `An agent is running in ${where}: ${STEP_WORDS[step]} it when the run has ended (or cancel the run).`,
        choices: ['openAgentPanel'],
      };
    case ErrorCodes.DirtyCheckout: {
      const checkout = errorText(failure.data, 'checkout');
      const there = checkout === '' ? 'the checkout it changes' : checkout;
      const what = step === 'apply' ? 'the changes of ' + where : `the merge into ${target.base}`;
      return {
        severity: 'error',
        message: `Nothing was changed: ${there} has uncommitted changes to files ${what} would change: ${fileNames(files)}. Commit or stash them there, then try again.`,
        choices: ['tryAgain'],
      };
    }
    case ErrorCodes.Conflicts:
      return conflictsNotice(step, target, files);
    case ErrorCodes.PushRejected:
      return {
        severity: 'warning',
        message: `${target.remote} refused the push of ${target.branch}: it has commits this branch lacks (someone pushed, or a sync rewrote the branch). Git's answer is in the Grove output channel. Push again after syncing, or replace the remote branch with Force with Lease.`,
        choices: ['forceWithLease', 'showOutput'],
        output: errorText(failure.data, 'output'),
      };
    case ErrorCodes.GhNotFound: {
      const found = target.ghPath !== undefined && target.ghPath !== '' ? `at ${target.ghPath} (grove.ghPath)` : 'on PATH';
      const choices: Choice[] = ['installGh', 'setGhPath'];
      if (errorText(failure.data, 'compareUrl') !== '') choices.push('openCompare');
      return {
        severity: 'error',
        message: `Grove creates pull requests with the GitHub CLI, gh, which it did not find ${found}. Install gh (or set grove.ghPath), then try again; or open the compare page and create the pull request in the browser.`,
        choices,
      };
    }
    case ErrorCodes.GhAuthRequired: {
      const choices: Choice[] = ['openTerminal'];
      if (errorText(failure.data, 'compareUrl') !== '') choices.push('openCompare');
      choices.push('tryAgain');
      return {
        severity: 'error',
        message:
          'The GitHub CLI is not signed in: run “gh auth login” in a terminal (Open Terminal does), then try again; or open the compare page and create the pull request in the browser.',
        choices,
      };
    }
    case undefined:
      return { severity: 'error', message: `Grove could not ${STEP_WORDS[step]} ${where}: ${failure.message}`, choices: ['restartSidecar', 'showLogs'] };
    case ErrorCodes.GitFailed:
      return { severity: 'error', message: `Grove could not ${STEP_WORDS[step]} ${where}: ${failure.message}`, choices: ['showLogs'] };
    default:
      return { severity: 'error', message: `Grove could not ${STEP_WORDS[step]} ${where}: ${failure.message}`, choices: [] };
  }
}

function conflictsNotice(step: LandingStep, target: NoticeTarget, files: readonly string[]): Notice {
  const where = `“${target.name}”`;
  const list = fileNames(files);
  switch (step) {
    case 'syncContinue':
      return {
        severity: 'warning',
        message: `These files of ${where} still hold conflict markers: ${list}. Resolve them (or let an agent), then Continue.`,
        choices: ['openMergeEditor', 'resolveWithAgent'],
      };
    case 'apply':
      return {
        severity: 'warning',
        message: `Nothing was changed: the changes of ${where} do not apply cleanly to the main checkout (${list}). Sync the workspace with ${target.base} first, or merge it instead.`,
        choices: ['syncFirst'],
      };
    default:
      return {
        severity: 'warning',
        message: `Nothing was changed: ${where} conflicts with ${target.base} in ${list}. Sync it with ${target.base} first (resolving the conflicts there), then merge.`,
        choices: ['syncFirst'],
      };
  }
}

/** What a sync (or Continue) answered. */
export function syncNotice(target: NoticeTarget, result: WorkspaceSyncResult): Notice {
  const where = `“${target.name}”`;
  switch (result.status) {
    case 'done':
      return { severity: 'info', message: `${where} is in step with ${target.base} now.`, choices: [] };
    case 'upToDate':
      return { severity: 'info', message: `${where} has everything of ${target.base} already.`, choices: [] };
    case 'conflicts':
      return {
        severity: 'warning',
        message: `Syncing ${where} with ${target.base} stopped at conflicts in ${fileNames(result.conflicted)}. Resolve them (with an agent, or in the editor), then Continue; or Abort.`,
        choices: ['resolveWithAgent', 'openMergeEditor', 'abort'],
      };
  }
}

/** After a merge: the work is on the base; the workspace can go. */
export function mergedNotice(target: NoticeTarget, commit: string): Notice {
  return {
    severity: 'info',
    message: `Merged “${target.name}” into ${target.base} (${commit.slice(0, 8)}). Its work is on ${target.base}: archive or delete the workspace when you are done with it.`,
    choices: ['archive', 'delete'],
  };
}

export function committedNotice(target: NoticeTarget, commit: string, files: readonly string[], next: readonly Choice[]): Notice {
  return { severity: 'info', message: `Committed ${plural(files.length, 'file')} on ${target.branch} (${commit.slice(0, 8)}).`, choices: [...next] };
}

export function appliedNotice(target: NoticeTarget, files: readonly string[]): Notice {
  return {
    severity: 'info',
    message: `Applied the changes of “${target.name}” to the main checkout, uncommitted: ${plural(files.length, 'file')} (${fileNames(files)}).`,
    choices: [],
  };
}

export function pushedNotice(remote: string, branch: string, next: readonly Choice[]): Notice {
  return { severity: 'info', message: `Pushed ${branch} to ${remote}.`, choices: [...next] };
}

export function pullRequestNotice(number: number, url: string): Notice {
  return { severity: 'info', message: `Created pull request #${number}: ${url}`, choices: ['openUrl'] };
}

// ---------------------------------------------------------------------------------------------
// Helpers

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "a.ts, b.ts and 3 more": at most `max` names. */
export function fileNames(files: readonly string[], max = 5): string {
  if (files.length === 0) return '(no files named)';
  const shown = files.slice(0, max).join(', ');
  return files.length > max ? `${shown} and ${files.length - max} more` : shown;
}

/** One file a line, at most `max`, then "…and N more". */
export function fileList(files: readonly string[], max = 10): string {
  const lines = files.slice(0, max);
  if (files.length > max) lines.push(`…and ${files.length - max} more`);
  return lines.join('\n');
}
