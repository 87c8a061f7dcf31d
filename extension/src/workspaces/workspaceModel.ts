// What the Workspaces view and its commands show, computed without vscode: name checks (the box's own and the sidecar's verdict, a kept branch), tree rows with short words (the run's outcome, "new result"), descriptions, tooltips, context values (with the landing actions that apply), conflicted files, the sides of a diff, questions before a worktree goes (its terminals, its unsaved files) and sidecar errors.
import { ContextKeys, ContextValues, WORKSPACE_HAS_RUNS } from '../common/commands';
import type { SidecarError } from '../common/errors';
import { isRecord } from '../common/json';
import {
  ErrorCodes,
  type FileChange,
  type GitStatus,
  type Run,
  type Workspace,
  type WorkspaceChanges,
  type WorkspaceCheckNameResult,
} from '../common/protocol';
import { landingActions, landingContextSuffix, runIsBusy, stateDescription, stateTooltip } from '../landing/landingModel';
import { runOutcome, type RunOutcome } from './resultSeen';
import type { ChangesEntry, WorkspaceStore } from './workspaceStore';

// ---------------------------------------------------------------------------------------------
// Names

/** At most this many characters (Unicode scalar values, as Rust's `chars()` counts them). */
const MAX_NAME_CHARS = 64;

/**
 * Characters that change how the text around them is shown (bidirectional overrides, isolates and
 * marks, line and paragraph separators) or show as nothing (zero-width ones, the byte-order mark,
 * soft hyphen, tag characters): `invisible` of `server/src/workspaces/names.rs`, range for range.
 */
const INVISIBLE: readonly (readonly [number, number])[] = [
  [0x00ad, 0x00ad],
  [0x034f, 0x034f],
  [0x061c, 0x061c],
  [0x115f, 0x115f],
  [0x1160, 0x1160],
  [0x17b4, 0x17b4],
  [0x17b5, 0x17b5],
  [0x180e, 0x180e],
  [0x200b, 0x200f],
  [0x2028, 0x202e],
  [0x2060, 0x206f],
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f],
  [0xfeff, 0xfeff],
  [0xffa0, 0xffa0],
  [0xfff9, 0xfffb],
  [0xe0000, 0xe007f],
];

/** Whether the character `c` (one code point) is one the sidecar refuses as invisible or direction-changing. */
export function isInvisible(c: string): boolean {
  const code = c.codePointAt(0);
  return code !== undefined && INVISIBLE.some(([from, to]) => code >= from && code <= to);
}

/**
 * Why `name` cannot be a workspace name, or undefined when it can: `invalid_reason` of
 * `server/src/workspaces/names.rs`, check for check and word for word (its own answer, -32022,
 * stays authoritative). Lengths count characters (code points), as Rust's `chars()` does.
 */
export function invalidNameReason(name: string): string | undefined {
  // Code points, as Rust's chars() yields them (not UTF-16 units, not grapheme clusters).
  const chars = Array.from(name);
  if (name === '') return 'is empty';
  if (chars.length > MAX_NAME_CHARS) return 'is longer than 64 characters';
  if (name.startsWith('-')) return "starts with '-'";
  if (name.startsWith('.') || name.endsWith('.')) return "starts or ends with '.'";
  if (name.endsWith('.lock')) return "ends with '.lock'";
  if (name.includes('..')) return "contains '..'";
  if (name.includes('@{') || name === '@') return "contains '@{' or is '@'";
  if (chars.some(isInvisible)) return 'contains an invisible or direction-changing character';
  // Rust's char::is_control is the category Cc, char::is_whitespace the White_Space property.
  if (chars.some((c) => /^[\p{Cc}\p{White_Space}]$/u.test(c) || '/\\~^:?*['.includes(c))) return "contains a space, '/', or one of \\ ~ ^ : ? * [";
  return undefined;
}

/**
 * The input box's check of a new workspace's name: undefined when fine (empty means "generate one"),
 * else the message to show, worded as the sidecar words it.
 */
export function nameProblem(name: string, takenNames: Iterable<string>): string | undefined {
  if (name === '') return undefined;
  const why = invalidNameReason(name);
  if (why !== undefined) return `The workspace name ${JSON.stringify(name)} ${why}.`;
  for (const taken of takenNames) {
    if (taken === name) return `A workspace named ${JSON.stringify(name)} exists already in this repository.`;
  }
  return undefined;
}

/**
 * A name as people type it made into a workspace name: "Fix Login!" → "fix-login". Lower case,
 * accents dropped, every run of other characters one '-', no '-' or '.' at either end, at most 64
 * characters; '' when nothing is left.
 */
export function slugifyName(typed: string): string {
  const plain = typed
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9._]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[-.]+|[-.]+$/g, '');
  let slug = plain.slice(0, MAX_NAME_CHARS).replace(/[-.]+$/g, '');
  while (slug.endsWith('.lock')) slug = slug.slice(0, -'.lock'.length).replace(/[-.]+$/g, '');
  return slug;
}

/** What the name box says while a name is typed, and the name it creates when accepted. */
export interface NameCheck {
  /** The name that is created: the slug of what was typed ('' for a generated one). */
  name: string;
  /** An error (the box refuses it) or a note (it says what will be created). */
  message?: { text: string; severity: 'error' | 'info' };
}

/** The name box's verdict on `typed`: the slug it becomes, and a message when that differs or cannot be. */
export function checkTypedName(typed: string, takenNames: Iterable<string>): NameCheck {
  const trimmed = typed.trim();
  if (trimmed === '') return { name: '' };
  const slug = slugifyName(trimmed);
  if (slug === '') return { name: '', message: { text: `${JSON.stringify(trimmed)} has no letters or digits to make a name of.`, severity: 'error' } };
  const problem = nameProblem(slug, takenNames);
  if (problem !== undefined) return { name: slug, message: { text: problem, severity: 'error' } };
  if (slug !== trimmed) return { name: slug, message: { text: `The workspace will be named “${slug}” (branch-safe).`, severity: 'info' } };
  return { name: slug };
}

/** The sidecar's `grove/workspace/checkName` answer, as the name box reads it. */
export type NameAnswer = WorkspaceCheckNameResult;

/** What the name box says and does once the sidecar's answer for a name is in. */
export interface NameVerdict {
  message?: { text: string; severity: 'error' | 'warning' | 'info' };
  /** Enter goes on: to the base step, or (with `keptBranch`) to the choice of continuing on that branch. */
  accept: boolean;
  /** A local branch kept from a deleted workspace, that a new workspace can continue on. */
  keptBranch?: string;
}

/**
 * The name step's verdict on what was typed: the box's own check first (instant), then the
 * sidecar's answer when there is one (`undefined`: not asked, or an older sidecar that does not
 * know the request; create still refuses what it must).
 */
export function nameVerdict(local: NameCheck, answer: NameAnswer | undefined): NameVerdict {
  if (local.message?.severity === 'error') return { message: local.message, accept: false };
  if (local.name === '' || answer === undefined || answer.ok) return local.message ? { message: local.message, accept: true } : { accept: true };
  if (answer.keptBranch !== null) {
    return {
      message: {
        text: `The branch ${answer.keptBranch} exists already, with no workspace on it. Press Enter to continue on it, or type another name.`,
        severity: 'warning',
      },
      accept: true,
      keptBranch: answer.keptBranch,
    };
  }
  return { message: { text: answer.message ?? `The name “${local.name}” cannot be used.`, severity: 'error' }, accept: false };
}

/** The two ways on from a name whose branch was kept: its labels, as the quick pick shows them. */
export function keptBranchChoices(branch: string): { continueLabel: string; anotherLabel: string; detail: string } {
  return {
    continueLabel: `Continue on the kept branch ${branch}`,
    anotherLabel: 'Choose another name',
    detail: `A new workspace on ${branch} as it is, its commits kept; next, the branch its changes are counted against.`,
  };
}

/** The `when`-clause keys of the workspaces feature (the palette hides commands that would do nothing). */
export interface WorkspaceContext {
  [ContextKeys.hasRepository]: boolean;
  [ContextKeys.hasWorkspace]: boolean;
  [ContextKeys.hasActiveWorkspace]: boolean;
  [ContextKeys.hasArchivedWorkspace]: boolean;
}

export function workspaceContext(repositories: readonly string[], workspaces: readonly Workspace[]): WorkspaceContext {
  return {
    [ContextKeys.hasRepository]: repositories.length > 0,
    [ContextKeys.hasWorkspace]: workspaces.length > 0,
    [ContextKeys.hasActiveWorkspace]: workspaces.some((ws) => ws.state === 'active'),
    [ContextKeys.hasArchivedWorkspace]: workspaces.some((ws) => ws.state === 'archived'),
  };
}

/**
 * Local branches for the base-ref picker: the current branch first (the default, as the sidecar's),
 * the rest as git listed them; without `exclude` (a kept branch is no base of its own).
 */
export function orderBranches(branches: readonly string[], current: string | undefined, exclude?: string): string[] {
  const unique = [...new Set(branches.filter((b) => b !== '' && b !== exclude))];
  if (current === undefined || !unique.includes(current)) return unique;
  return [current, ...unique.filter((b) => b !== current)];
}

// ---------------------------------------------------------------------------------------------
// Tree nodes and rows

/** An element of the Workspaces tree. */
export type TreeNode =
  | { kind: 'repo'; repoPath: string }
  /** `workspaceId`, so that commands of other features (`{workspaceId}`) take the row as it is. */
  | { kind: 'workspace'; workspaceId: string }
  | { kind: 'file'; workspaceId: string; path: string }
  /** The latest run of a workspace once finished: its outcome, opened in the agent panel. */
  | { kind: 'result'; workspaceId: string; runId: string }
  /** A file a stopped sync left with conflicts. */
  | { kind: 'conflict'; workspaceId: string; path: string }
  | { kind: 'message'; id: string; text: string; icon: string; action?: RowAction };

/** What a row does when clicked. */
export type RowAction =
  | { kind: 'openAgentPanel'; workspaceId: string }
  | { kind: 'openChange'; workspaceId: string; path: string }
  /** Opens the agent panel of a finished run, which counts as its result seen. */
  | { kind: 'openResult'; workspaceId: string; runId: string }
  | { kind: 'newWorkspace'; repoPath: string }
  /** Opens a file of a worktree in the editor (a conflicted file shows its conflict markers there). */
  | { kind: 'openFile'; path: string };

export interface TreeRow {
  /** Stable across refreshes, so that expansion and selection survive. */
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  /** A codicon name. */
  icon?: string;
  /** A theme color id for the icon. */
  iconColor?: string;
  /** For file rows: the file in the worktree (gives the file icon). */
  resourcePath?: string;
  /** `viewItem` in `when` clauses. */
  contextValue: string;
  collapsible: 'none' | 'collapsed' | 'expanded';
  action?: RowAction;
}

/** The last path component. */
export function baseName(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  const slash = trimmed.lastIndexOf('/');
  return slash < 0 ? trimmed : trimmed.slice(slash + 1);
}

function dirName(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** Tells whether a finished run is a result the user has not opened yet (resultSeen's ResultSeen). */
export interface ResultNews {
  isNew(run: Run | undefined): boolean;
}

const NO_NEWS: ResultNews = { isNew: () => false };

/** The label of the agent CLI a run used (`grove/agents/list`'s, by its `agent`, else its provider), or undefined when not known. */
export type AgentOfRun = (run: Run) => string | undefined;

const NO_AGENT: AgentOfRun = () => undefined;

/** The children of a node (the top level when undefined). */
export function childNodes(store: WorkspaceStore, node?: TreeNode): TreeNode[] {
  if (!node) {
    const status = store.status;
    if (status.kind === 'unavailable') return [{ kind: 'message', id: 'unavailable', text: status.message, icon: 'error' }];
    if (status.kind === 'loading') return [{ kind: 'message', id: 'loading', text: 'Loading workspaces…', icon: 'sync~spin' }];
    return store.repositories().map((repoPath) => ({ kind: 'repo', repoPath }));
  }
  switch (node.kind) {
    case 'repo': {
      const workspaces = store.workspacesOf(node.repoPath);
      if (workspaces.length === 0) {
        const action: RowAction = { kind: 'newWorkspace', repoPath: node.repoPath };
        return [{ kind: 'message', id: `${node.repoPath}:empty`, text: 'No workspaces yet: create one…', icon: 'add', action }];
      }
      return workspaces.map((ws) => ({ kind: 'workspace', workspaceId: ws.id }));
    }
    case 'workspace': {
      const ws = store.workspace(node.workspaceId);
      if (ws?.state !== 'active') return [];
      // The latest result first (what the agent came to), then conflicts: they are what needs doing, and each opens with its markers.
      const run = store.latestRun(node.workspaceId);
      const head: TreeNode[] = run && runOutcome(run.state) ? [{ kind: 'result', workspaceId: node.workspaceId, runId: run.runId }] : [];
      const conflicted = store.gitStatus(node.workspaceId)?.conflicted ?? [];
      head.push(...conflicted.map((path): TreeNode => ({ kind: 'conflict', workspaceId: node.workspaceId, path })));
      const entry = store.changes(node.workspaceId);
      if (!entry) return [...head, { kind: 'message', id: `${node.workspaceId}:counting`, text: 'Looking for changes…', icon: 'sync~spin' }];
      if (entry.kind === 'failed') return [...head, { kind: 'message', id: `${node.workspaceId}:failed`, text: entry.message, icon: 'error' }];
      const files = entry.changes.files.filter((f) => !conflicted.includes(f.path));
      if (files.length === 0 && conflicted.length === 0)
        return [...head, { kind: 'message', id: `${node.workspaceId}:none`, text: 'No changes', icon: 'check' }];
      return [...head, ...files.map((f): TreeNode => ({ kind: 'file', workspaceId: node.workspaceId, path: f.path }))];
    }
    case 'file':
    case 'conflict':
    case 'result':
    case 'message':
      return [];
  }
}

/** The row of a node, or undefined when what it stands for is gone. `news` says which finished runs are new results. */
export function treeRow(store: WorkspaceStore, node: TreeNode, news: ResultNews = NO_NEWS, agentOf: AgentOfRun = NO_AGENT): TreeRow | undefined {
  switch (node.kind) {
    case 'repo':
      return repositoryRow(store, node.repoPath);
    case 'workspace': {
      const ws = store.workspace(node.workspaceId);
      const run = store.latestRun(node.workspaceId);
      return ws && workspaceRow(ws, store.changes(ws.id), run, store.signedIn, store.gitStatus(ws.id), news.isNew(run), run && agentOf(run));
    }
    case 'result': {
      const ws = store.workspace(node.workspaceId);
      const run = store.latestRun(node.workspaceId);
      return ws && run?.runId === node.runId && runOutcome(run.state) ? resultRow(ws, run, news.isNew(run), agentOf(run)) : undefined;
    }
    case 'conflict': {
      const ws = store.workspace(node.workspaceId);
      const status = store.gitStatus(node.workspaceId);
      return ws && status?.conflicted.includes(node.path) ? conflictedFileRow(ws, status, node.path) : undefined;
    }
    case 'file': {
      const ws = store.workspace(node.workspaceId);
      const entry = store.changes(node.workspaceId);
      const file = entry?.kind === 'known' ? entry.changes.files.find((f) => f.path === node.path) : undefined;
      return ws && file && changedFileRow(ws, file);
    }
    case 'message': {
      const row: TreeRow = {
        id: `message:${node.id}`,
        label: node.text,
        tooltip: node.text,
        icon: node.icon,
        contextValue: ContextValues.message,
        collapsible: 'none',
      };
      if (node.action) row.action = node.action;
      return row;
    }
  }
}

export function repositoryRow(store: WorkspaceStore, repoPath: string): TreeRow {
  const workspaces = store.workspacesOf(repoPath);
  const inWindow = store.folderRepos.includes(repoPath);
  const active = workspaces.filter((ws) => ws.state === 'active').length;
  const count = workspaces.length === 0 ? 'no workspaces' : `${active} active, ${workspaces.length - active} archived`;
  return {
    id: `repo:${repoPath}`,
    label: baseName(repoPath),
    description: repoPath,
    tooltip: `${repoPath}\n${count}${inWindow ? '' : '\n(not open in this window)'}`,
    icon: 'repo',
    contextValue: ContextValues.repository,
    // Always expandable: a tree remembers a row first shown without children as collapsed.
    collapsible: 'expanded',
  };
}

/** "no changes", "1 changed", "12 changed". */
export function changeCountText(changes: WorkspaceChanges): string {
  const n = changes.files.length;
  return n === 0 ? 'no changes' : `${n} changed`;
}

/**
 * The one word a row shows for its latest run, short enough for a narrow sidebar (the tooltip says
 * the rest): "waiting", "running", "queued", "needs sign-in" (or "retry" once signed in), and for a
 * finished run "new result" until it is opened, then its outcome.
 */
export function runWord(run: Run, signedIn = false, isNew = false): string {
  switch (run.state) {
    case 'running':
    case 'queued':
      return run.state;
    case 'waiting':
      return 'waiting';
    case 'authRequired':
      return signedIn ? 'retry' : 'needs sign-in';
    case 'succeeded':
    case 'failed':
    case 'cancelled':
      return isNew ? 'new result' : run.state;
  }
}

/** A run's state in a sentence, for tooltips. */
export function runStateSentence(run: Run, signedIn = false, isNew = false): string {
  const error = run.error ? ` (${run.error})` : '';
  switch (run.state) {
    case 'running':
      return 'The agent is running.';
    case 'queued':
      return 'The agent is queued: it starts when another run ends.';
    case 'waiting':
      return 'The agent is waiting for you: answer its request in the agent panel.';
    case 'authRequired':
      return signedIn ? 'The agent needed sign-in; you are signed in now: retry it from its panel.' : `The agent needs sign-in${error}.`;
    case 'succeeded':
    case 'failed':
    case 'cancelled': {
      const outcome = run.state === 'succeeded' ? 'succeeded' : run.state === 'failed' ? `failed${error}` : 'was cancelled';
      return `The latest agent run ${outcome}.${isNew ? ' A new result: open its agent panel to see it.' : ''}`;
    }
  }
}

/** The icon of a finished run: a check, a cross or a slash; the check filled while the result is new. */
export function outcomeIcon(outcome: RunOutcome, isNew: boolean): { icon: string; color?: string } {
  switch (outcome) {
    case 'succeeded':
      return { icon: isNew ? 'pass-filled' : 'pass', color: 'testing.iconPassed' };
    case 'failed':
      return { icon: 'error', color: 'list.errorForeground' };
    case 'cancelled':
      return { icon: 'circle-slash' };
  }
}

function workspaceIcon(
  ws: Workspace,
  run: Run | undefined,
  signedIn: boolean,
  status: GitStatus | undefined,
  isNew: boolean,
): { icon: string; color?: string } {
  switch (run?.state) {
    case 'running':
      return { icon: 'sync~spin' };
    case 'queued':
      return { icon: 'clock' };
    case 'waiting':
      return { icon: 'bell-dot', color: 'list.warningForeground' };
    case 'authRequired':
      return signedIn ? { icon: 'debug-restart' } : { icon: 'warning', color: 'list.warningForeground' };
    default:
      break;
  }
  if (ws.state === 'archived') return { icon: 'archive' };
  if (status && status.operation !== null) return { icon: 'warning', color: 'list.warningForeground' };
  const outcome = run && runOutcome(run.state);
  if (outcome) return outcomeIcon(outcome, isNew);
  if (ws.setup?.success === false) return { icon: 'git-branch', color: 'list.warningForeground' };
  if (status?.merged === true) return { icon: 'git-merge' };
  return { icon: 'git-branch' };
}

/** `grove.workspace.active` or `.archived`, then `.hasRuns`, then (active ones) the landing actions it offers now. */
export function workspaceContextValue(ws: Workspace, run: Run | undefined, status?: GitStatus): string {
  const base = ws.state === 'active' ? ContextValues.workspaceActive : ContextValues.workspaceArchived;
  const runs = run ? WORKSPACE_HAS_RUNS : '';
  const landing = ws.state === 'active' ? landingContextSuffix(landingActions(status, runIsBusy(run?.state))) : '';
  return `${base}${runs}${landing}`;
}

/**
 * The short words after the name, the essential first (a narrow sidebar cuts the end): the agent
 * when it needs the user or has news ("waiting", "new result", "failed", "running"), the changed
 * files, conflicts and ahead/behind, then a finished run's outcome and "archived". The branch and
 * the full sentences are in the tooltip.
 */
export function workspaceDescription(
  ws: Workspace,
  changes: ChangesEntry | undefined,
  run: Run | undefined,
  signedIn = false,
  status?: GitStatus,
  isNew = false,
): string {
  const parts: string[] = [];
  const word = run && runWord(run, signedIn, isNew);
  const quiet = run !== undefined && !isNew && (run.state === 'succeeded' || run.state === 'cancelled');
  if (word !== undefined && !quiet) parts.push(word);
  if (ws.state === 'active' && changes?.kind === 'known') parts.push(changeCountText(changes.changes));
  const landing = ws.state === 'active' ? stateDescription(status) : '';
  if (landing !== '') parts.push(landing);
  if (word !== undefined && quiet) parts.push(word);
  if (ws.state === 'archived') parts.push('archived');
  return parts.join(' · ');
}

export function workspaceTooltip(
  ws: Workspace,
  changes: ChangesEntry | undefined,
  run: Run | undefined,
  status?: GitStatus,
  signedIn = false,
  isNew = false,
  agent?: string,
): string {
  const lines = [ws.name, `Branch: ${ws.branch} (from ${ws.baseRef} at ${ws.baseCommit.slice(0, 8)})`, `State: ${ws.state}`];
  if (run) lines.push(runStateSentence(run, signedIn, isNew));
  if (run && agent !== undefined) lines.push(`Agent of the latest run: ${agent}`);
  if (ws.state === 'active') lines.push(`Path: ${ws.path}`, `Ports: ${ws.port}–${ws.port + 9} (GROVE_PORT)`);
  if (changes?.kind === 'known') {
    const c = changes.changes;
    lines.push(`Changes: ${changeCountText(c)}; ${c.ahead} commit(s) ahead of ${ws.baseRef}, ${c.behind} behind`);
  } else if (changes?.kind === 'failed') {
    lines.push(`Changes: unknown (${changes.message})`);
  }
  if (ws.state === 'active' && status) lines.push(...stateTooltip(status));
  if (ws.profile !== undefined) lines.push(`Default profile: ${ws.profile}`);
  if (ws.setup && !ws.setup.success) lines.push(`Setup script failed: ${ws.setup.message ?? `exit status ${String(ws.setup.exitCode)}`}`);
  return lines.join('\n');
}

export function workspaceRow(
  ws: Workspace,
  changes: ChangesEntry | undefined,
  run: Run | undefined,
  signedIn = false,
  status?: GitStatus,
  isNew = false,
  /** The label of the agent CLI of the latest run, when known. */
  agent?: string,
): TreeRow {
  const { icon, color } = workspaceIcon(ws, run, signedIn, status, isNew);
  const row: TreeRow = {
    id: `ws:${ws.id}`,
    label: ws.name,
    description: workspaceDescription(ws, changes, run, signedIn, status, isNew),
    tooltip: workspaceTooltip(ws, changes, run, status, signedIn, isNew, agent),
    icon,
    contextValue: workspaceContextValue(ws, run, status),
    collapsible: ws.state === 'active' ? 'collapsed' : 'none',
  };
  if (color !== undefined) row.iconColor = color;
  // A click expands the row (its result and changed files); the inline button opens the agent panel.
  return row;
}

const OUTCOME_LABELS: Record<RunOutcome, string> = { succeeded: 'Agent succeeded', failed: 'Agent failed', cancelled: 'Agent cancelled' };

/** The first child of an active workspace once its latest run finished: the outcome; a click opens the agent panel (the result seen). */
export function resultRow(ws: Workspace, run: Run, isNew: boolean, agent?: string): TreeRow | undefined {
  const outcome = runOutcome(run.state);
  if (!outcome) return undefined;
  const { icon, color } = outcomeIcon(outcome, isNew);
  const prompt = run.prompt.length > 200 ? `${run.prompt.slice(0, 199)}…` : run.prompt;
  const by = agent === undefined ? '' : `\nAgent: ${agent}`;
  const row: TreeRow = {
    id: `result:${ws.id}`,
    label: OUTCOME_LABELS[outcome],
    tooltip: `${runStateSentence(run, false, isNew)}${by}\nPrompt: ${prompt}\nClick to open it in the agent panel.`,
    icon,
    contextValue: ContextValues.message,
    collapsible: 'none',
    action: { kind: 'openResult', workspaceId: ws.id, runId: run.runId },
  };
  // Which agent came to it, beside the outcome (after "new result", which is news).
  const description = [isNew ? 'new result' : undefined, agent].filter((d) => d !== undefined).join(' · ');
  if (description !== '') row.description = description;
  if (color !== undefined) row.iconColor = color;
  return row;
}

/**
 * The workspace id a command was given: a tree row (a workspace, or a file of one), `{workspaceId}`
 * (as other features pass it) or a Workspace; undefined otherwise (the command asks).
 */
export function workspaceArgument(arg: unknown): string | undefined {
  if (!isRecord(arg)) return undefined;
  if (typeof arg.workspaceId === 'string') return arg.workspaceId;
  if (typeof arg.id === 'string' && typeof arg.repoPath === 'string' && typeof arg.branch === 'string') return arg.id;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Changed files

const STATUS_LETTERS: Record<FileChange['status'], string> = {
  added: 'A',
  modified: 'M',
  deleted: 'D',
  renamed: 'R',
  copied: 'C',
  typeChanged: 'T',
  untracked: 'U',
};

const STATUS_WORDS: Record<FileChange['status'], string> = {
  added: 'added',
  modified: 'modified',
  deleted: 'deleted',
  renamed: 'renamed',
  copied: 'copied',
  typeChanged: 'type changed',
  untracked: 'untracked',
};

/** "+3 −1", or "binary" when git gives no counts. */
export function lineCounts(file: FileChange): string {
  if (file.additions === null || file.deletions === null) return 'binary';
  return `+${file.additions} −${file.deletions}`;
}

/** "modified +3 −1", "renamed from a.ts +0 −0". */
export function fileStatusText(file: FileChange): string {
  const from = file.oldPath !== undefined && file.oldPath !== file.path ? ` from ${file.oldPath}` : '';
  return `${STATUS_WORDS[file.status]}${from} ${lineCounts(file)}`;
}

export function changedFileRow(ws: Workspace, file: FileChange): TreeRow {
  const dir = dirName(file.path);
  return {
    id: `file:${ws.id}:${file.path}`,
    label: baseName(file.path),
    description: `${dir === '' ? '' : `${dir} · `}${STATUS_LETTERS[file.status]} ${lineCounts(file)}`,
    tooltip: `${file.path}\n${fileStatusText(file)}`,
    resourcePath: `${ws.path}/${file.path}`,
    contextValue: ContextValues.changedFile,
    collapsible: 'none',
    action: { kind: 'openChange', workspaceId: ws.id, path: file.path },
  };
}

/** One side of a changed file's diff: the file at the base commit, in the worktree, or an empty document (nothing there). */
export type DiffSide = { kind: 'base'; path: string } | { kind: 'worktree'; path: string } | { kind: 'empty' };

/**
 * The two sides of a changed file's diff: an added or untracked file against an empty left side
 * (it is not at the base), a deleted one against an empty right side, a renamed one from its old path.
 */
export function diffSides(file: FileChange): { left: DiffSide; right: DiffSide } {
  const added = file.status === 'added' || file.status === 'untracked';
  return {
    left: added ? { kind: 'empty' } : { kind: 'base', path: file.oldPath ?? file.path },
    right: file.status === 'deleted' ? { kind: 'empty' } : { kind: 'worktree', path: file.path },
  };
}

/** A file a stopped sync left with conflicts: opens in the editor with its conflict markers. */
export function conflictedFileRow(ws: Workspace, status: GitStatus, path: string): TreeRow {
  const dir = dirName(path);
  const operation = status.operation ?? 'sync';
  return {
    id: `conflict:${ws.id}:${path}`,
    label: baseName(path),
    description: `${dir === '' ? '' : `${dir} · `}conflict`,
    tooltip: `${path}\nThe ${operation} with ${status.base} stopped at conflicts here: resolve them (or let an agent), then Continue.`,
    icon: 'warning',
    iconColor: 'list.warningForeground',
    resourcePath: `${ws.path}/${path}`,
    contextValue: ContextValues.conflictedFile,
    collapsible: 'none',
    action: { kind: 'openFile', path: `${ws.path}/${path}` },
  };
}

/** An item of the "Show Changes" quick pick. */
export function changePickItem(file: FileChange): { label: string; description: string } {
  return { label: file.path, description: fileStatusText(file) };
}

/** The title of the multi-file diff editor of a workspace: "Changes in name (against main)". */
export function changesTitle(workspaceName: string, baseRef: string): string {
  return `Changes in ${workspaceName} (against ${baseRef})`;
}

/** Whether a tab is the multi-file diff editor of a workspace: its title, to which the editor adds the count ("… (2 files)"). */
export function isChangesTabLabel(label: string, workspaceName: string, baseRef: string): boolean {
  const title = changesTitle(workspaceName, baseRef);
  return label === title || (/^ \(\d+ files?\)$/.test(label.slice(title.length)) && label.startsWith(title));
}

/** The title of a diff editor: "name: path (base ↔ workspace)". */
export function diffTitle(workspaceName: string, path: string): string {
  return `${workspaceName}: ${path} (base ↔ workspace)`;
}

/** What the left side of a diff shows for a binary file. */
export const BINARY_PLACEHOLDER = '(A binary file: its content at the base commit is not shown.)';

/** The query of a `grove-base:` URI: which workspace and file; `empty` for an empty document (the right side of a deletion). */
export interface BaseQuery {
  id: string;
  path: string;
  empty?: boolean;
}

export function encodeBaseQuery(query: BaseQuery): string {
  return JSON.stringify(query.empty ? { id: query.id, path: query.path, empty: true } : { id: query.id, path: query.path });
}

export function decodeBaseQuery(text: string): BaseQuery | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(value) || typeof value.id !== 'string' || typeof value.path !== 'string') return undefined;
  return value.empty === true ? { id: value.id, path: value.path, empty: true } : { id: value.id, path: value.path };
}

/** The text of the left side of a diff from a `fileAtBase` answer. */
export function baseText(answer: { content: string | null; binary: boolean }): string {
  if (answer.binary) return BINARY_PLACEHOLDER;
  return answer.content ?? '';
}

// ---------------------------------------------------------------------------------------------
// Sidecar errors and confirmations

/** `data.files` of a WorkspaceDirty error. */
export function dirtyFiles(data: unknown): string[] {
  if (!isRecord(data) || !Array.isArray(data.files)) return [];
  return data.files.filter((f): f is string => typeof f === 'string');
}

/** `data.snapshot` of a WorkspaceDirty error: the archived workspace holds saved work. */
export function hasSnapshot(data: unknown): boolean {
  return isRecord(data) && typeof data.snapshot === 'string' && data.snapshot !== '';
}

/** `data` of an UnmergedBranch error. */
export function unmergedBranch(data: unknown): { branch: string | undefined; commits: number | undefined } {
  if (!isRecord(data)) return { branch: undefined, commits: undefined };
  return {
    branch: typeof data.branch === 'string' ? data.branch : undefined,
    commits: typeof data.unmergedCommits === 'number' ? data.unmergedCommits : undefined,
  };
}

/** The first `max` files, one a line, and "…and N more". */
export function fileList(files: readonly string[], max = 10): string {
  const lines = files.slice(0, max);
  if (files.length > max) lines.push(`…and ${files.length - max} more`);
  return lines.join('\n');
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export interface Confirmation {
  message: string;
  detail: string;
}

/** The modal after archive answered WorkspaceDirty. */
export function archiveDirtyConfirmation(ws: Workspace, files: readonly string[]): Confirmation {
  return {
    message: `“${ws.name}” has ${plural(files.length, 'uncommitted or untracked file')}.`,
    detail: `${fileList(files)}\n\n“Save Snapshot and Archive” saves them as a snapshot (not on the branch ${ws.branch}) and removes the worktree; restoring the workspace brings them back as uncommitted work.`,
  };
}

/** The first modal of "Delete": what would be lost. */
export function deleteConfirmation(ws: Workspace): Confirmation {
  const worktree =
    ws.state === 'active'
      ? `Its worktree at ${ws.path} is removed. If it holds uncommitted work, Grove asks again before discarding it.`
      : 'It is archived: no worktree is left on disk.';
  return {
    message: `Delete the workspace “${ws.name}”?`,
    detail: `${worktree}\n\nThe branch ${ws.branch} is kept, with its commits, unless you choose “Delete Workspace and Branch”; commits that ${ws.baseRef} does not have make Grove ask again.`,
  };
}

/**
 * The second modal of "Delete", after the sidecar refused: names what "Delete Anyway" would lose.
 * `uncommitted` lists the worktree's uncommitted files when known (they are lost too with force).
 */
export function deleteForceConfirmation(ws: Workspace, failure: SidecarError, uncommitted: readonly string[]): Confirmation {
  const lost: string[] = [];
  if (failure.code === ErrorCodes.UnmergedBranch) {
    const { branch, commits } = unmergedBranch(failure.data);
    const count = commits === undefined ? 'commits' : plural(commits, 'commit');
    lost.push(`The branch ${branch ?? ws.branch} has ${count} that ${ws.baseRef} does not have; deleting the branch loses them.`);
  }
  const files = failure.code === ErrorCodes.WorkspaceDirty ? dirtyFiles(failure.data) : [...uncommitted];
  if (files.length > 0) lost.push(`${plural(files.length, 'uncommitted or untracked file')} will be discarded:\n${fileList(files)}`);
  if (failure.code === ErrorCodes.WorkspaceDirty && hasSnapshot(failure.data)) {
    lost.push('The work saved when it was archived (its snapshot) will be discarded.');
  } else if (failure.code === ErrorCodes.UnmergedBranch && ws.state === 'archived') {
    lost.push('Any work saved when it was archived (a snapshot) will be discarded too.');
  }
  if (lost.length === 0) lost.push(failure.message);
  return { message: `Deleting “${ws.name}” would lose work.`, detail: lost.join('\n\n') };
}

/** Whether `path` is `root` or inside it (both absolute; a trailing '/' on either is ignored). */
export function isInside(path: string, root: string): boolean {
  const r = root.replace(/\/+$/, '');
  const p = path.replace(/\/+$/, '');
  return r !== '' && (p === r || p.startsWith(`${r}/`));
}

/** Whether a terminal whose working folders (where it was started, where its shell is now) are `cwds` is in the worktree `root`. */
export function terminalInWorktree(cwds: readonly (string | undefined)[], root: string): boolean {
  return cwds.some((cwd) => cwd !== undefined && isInside(cwd, root));
}

/** "1 terminal is open in this worktree: it will be closed." / "2 terminals are open …: they will be closed." */
export function terminalsNote(names: readonly string[]): string {
  const n = names.length;
  const which = n === 0 ? '' : ` (${names.map((name) => `“${name}”`).join(', ')})`;
  return n === 1 ? `1 terminal is open in this worktree${which}: it will be closed.` : `${n} terminals are open in this worktree${which}: they will be closed.`;
}

/** A modal that asks before something is done: its words, its one agreeing button, and the safe one first (the default, Enter). */
export interface Question extends Confirmation {
  /** The first button, so the one Enter picks: it only shows what is asked about, and stops. */
  show: string;
  /** The button that goes on. */
  agree: string;
}

/** What archive or delete does to a worktree, in the words of its questions. */
export type WorktreeVerb = 'archive' | 'delete';

const VERB_WORDS: Record<WorktreeVerb, { button: string; ing: string }> = {
  archive: { button: 'Archive', ing: 'Archiving' },
  delete: { button: 'Delete', ing: 'Deleting' },
};

/** The modal before archiving or deleting a workspace that has terminals open in its worktree: they are closed first, once agreed. */
export function terminalsQuestion(ws: Workspace, terminalNames: readonly string[], verb: WorktreeVerb): Question {
  const one = terminalNames.length === 1;
  const { button, ing } = VERB_WORDS[verb];
  const after =
    verb === 'archive'
      ? `Archiving removes the worktree at ${ws.path}; the branch ${ws.branch} is kept, and restoring the workspace brings the worktree back.`
      : `${ing} removes the worktree at ${ws.path}: a terminal left there would be in a deleted folder.`;
  return {
    message: `${button} “${ws.name}”?`,
    detail: `${terminalsNote(terminalNames)}\n\n${after}`,
    show: one ? 'Show the Terminal' : 'Show the Terminals',
    agree: `Close the ${one ? 'Terminal' : 'Terminals'} and ${button}`,
  };
}

/** `path` relative to `root` when inside it, else as it is. */
export function relativeTo(path: string, root: string): string {
  const r = root.replace(/\/+$/, '');
  return isInside(path, r) && path.length > r.length ? path.slice(r.length + 1).replace(/\/+$/, '') : path;
}

/** The files among `paths` (of documents with unsaved changes) that are in the worktree `root`. */
export function unsavedInWorktree(paths: readonly string[], root: string): string[] {
  return paths.filter((path) => isInside(path, root));
}

/**
 * The modal before archiving or deleting a workspace whose files have unsaved changes in the editor:
 * "N files in this worktree have unsaved changes", the files, and "Save and Archive"/"Save and Delete".
 */
export function unsavedQuestion(ws: Workspace, paths: readonly string[], verb: WorktreeVerb): Question {
  const n = paths.length;
  const { button } = VERB_WORDS[verb];
  const files = fileList(paths.map((p) => relativeTo(p, ws.path)));
  const then =
    verb === 'archive'
      ? `“Save and Archive” saves them, then archives “${ws.name}”: what is not committed is kept in a snapshot and comes back when you restore it.`
      : `“Save and Delete” saves them, then deletes “${ws.name}”: Grove asks again before discarding uncommitted work.`;
  return {
    message: n === 1 ? '1 file in this worktree has unsaved changes.' : `${n} files in this worktree have unsaved changes.`,
    detail: `${files}\n\n${then}`,
    show: n === 1 ? 'Show the File' : 'Show the Files',
    agree: `Save and ${button}`,
  };
}

/** What restore says, and whether it offers a terminal (when archiving closed some). */
export function restoredMessage(ws: Workspace, terminalsClosed: number): string {
  const terminals = terminalsClosed === 0 ? '' : ` Archiving closed ${plural(terminalsClosed, 'terminal')} there: open one again?`;
  return `Restored ${ws.name} at ${ws.path}.${terminals}`;
}

/** A short message for an error shown in a notification: what was being done, then the sidecar's words. */
export function failureMessage(action: string, failure: SidecarError): string {
  return `${action}: ${failure.message}`;
}
