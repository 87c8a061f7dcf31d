// The agent panel's HTML, built in the extension host from the view model (every agent string escaped, Markdown rendered safely), and the messages between the host and the webview; no vscode import.
import { isActive, isLive, type Item, type RunLog, type SessionMarker, type ToolResult } from './agentModel';
import { renderMarkdown } from './markdown';
import { errorCode } from '../common/errors';
import { ErrorCodes, type AgentCli, type AgentRequest, type Behavior, type GitStatus, type RunState, type Workspace } from '../common/protocol';
import { actionLabel, actionTitle, baseLabel, fileNames, LANDING_ACTIONS, stateParts, type LandingAction } from '../landing/landingModel';
import { renderRequests } from './requestView';
import { agentModels, AUTOMATIC_PROFILE_LABEL, DEFAULT_PERMISSION_MODE, notFoundHint, permissionModes, promptPlaceholder } from './composerModel';
import { documentHead, escapeHtml, scriptTag, type WebviewPage } from '../common/webview';
import { PANEL_ACTIONS, type ComposerOptions, type FromWebview, type PanelAction, type ToWebview } from './panelMessages';
import { formatElapsed } from './webview/panelLogic';

export { formatElapsed };
export type { ComposerOptions, FromWebview, PanelAction, ToWebview };

/** Formats an RFC 3339 time for people. */
export type TimeFormatter = (rfc3339: string) => string;

/** The local time of this machine; a string that is not a time is shown as it is. */
export const localTime: TimeFormatter = (rfc3339) => {
  const date = new Date(rfc3339);
  return Number.isNaN(date.getTime()) ? rfc3339 : date.toLocaleString();
};

/** Tool output beyond this many characters is cut (the transcript keeps all of it). */
export const MAX_SHOWN_CHARS = 20_000;

/** "$0.0003", "$0.12", "$3.40". */
export function formatCost(usd: number): string {
  if (usd === 0) return '$0.00';
  return usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

/** "850 ms", "12.3 s", "2 min 5 s", "1 h 3 min". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const totalSeconds = Math.round(seconds);
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 60) return `${minutes} min ${totalSeconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

const STATE_LABELS: Record<RunState, string> = {
  queued: 'Queued',
  running: 'Running…',
  waiting: 'Waiting for you',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
  authRequired: 'Sign-in needed',
};

export function stateLabel(state: RunState): string {
  return STATE_LABELS[state];
}

/** The latest run's state as the panel's tab says it: the outcome in the words the Workspaces tree uses. */
const TITLE_STATES: Record<RunState, string> = {
  queued: 'queued',
  running: 'running',
  waiting: 'waiting',
  succeeded: 'succeeded',
  failed: 'failed',
  cancelled: 'cancelled',
  authRequired: 'sign-in needed',
};

/**
 * The panel's tab title: the workspace and, at a glance, where its latest run stands
 * ("Agent · shop · running", "· waiting", "· succeeded", "· failed", "· cancelled"); a workspace that takes no prompt
 * says why instead ("(archived)", "(deleted)").
 */
export function panelTitle(workspace: Pick<Workspace, 'name' | 'state'>, removed: boolean, latest: RunState | undefined): string {
  const base = `Agent · ${workspace.name}`;
  if (removed) return `${base} (deleted)`;
  if (workspace.state === 'archived') return `${base} (archived)`;
  return latest === undefined ? base : `${base} · ${TITLE_STATES[latest]}`;
}

/** Shown beside Send while the prompt box is empty (Send is disabled then). */
export const EMPTY_PROMPT_HINT = 'Type a prompt to send';

/** Why a prompt is not sent (empty or only spaces), or undefined when it may be. */
export function promptRefusal(prompt: string): string | undefined {
  return prompt.trim() === '' ? `${EMPTY_PROMPT_HINT}: the prompt is empty.` : undefined;
}

/** A short hint of what a tool call is about, from its usual input fields (file, command, pattern, URL…). */
export function toolSummary(input: unknown): string {
  if (typeof input !== 'object' || input === null) return '';
  const fields = input as Record<string, unknown>;
  for (const key of ['file_path', 'notebook_path', 'path', 'command', 'pattern', 'url', 'query', 'description', 'prompt']) {
    const value = fields[key];
    if (typeof value === 'string' && value.trim() !== '') {
      const line = value.trim().split('\n')[0] ?? '';
      return line.length > 80 ? `${line.slice(0, 79)}…` : line;
    }
  }
  return '';
}

function clip(text: string): string {
  if (text.length <= MAX_SHOWN_CHARS) return escapeHtml(text);
  const rest = text.length - MAX_SHOWN_CHARS;
  return `${escapeHtml(text.slice(0, MAX_SHOWN_CHARS))}\n<span class="clipped">… ${rest} more characters</span>`;
}

function prettyJson(value: unknown): string {
  if (value === undefined || value === null) return '';
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    return '(not shown: not JSON)';
  }
}

/** A tool call's badge: pending, done, error (it ran and failed) or denied (it never ran: the user or a rule said no). */
export function toolStatus(result: ToolResult | null): 'pending' | 'done' | 'error' | 'denied' {
  if (result === null) return 'pending';
  if (result.denied === true) return 'denied';
  return result.isError ? 'error' : 'done';
}

const TOOL_STATUS_TEXT: Record<ReturnType<typeof toolStatus>, string> = { pending: '…', done: 'done', error: 'error', denied: 'denied' };
const TOOL_RESULT_LABEL: Record<ReturnType<typeof toolStatus>, string> = { pending: 'Result', done: 'Result', error: 'Error', denied: 'Denied' };

function renderTool(item: Extract<Item, { kind: 'tool' }>): string {
  const { result } = item;
  const status = toolStatus(result);
  const summary = toolSummary(item.input);
  const input = prettyJson(item.input);
  // A denial's message, in the summary line too: why the tool did not run, without opening it.
  const deniedWhy =
    status === 'denied' && result !== null && result.content.trim() !== ''
      ? ` <span class="tool-denied-message">${escapeHtml(oneLine(result.content))}</span>`
      : '';
  const parts = [
    `<details class="tool tool-${status}" data-tool-id="${escapeHtml(item.id)}">`,
    `<summary><span class="tool-name">${escapeHtml(item.name)}</span>`,
    summary ? ` <span class="tool-summary">${escapeHtml(summary)}</span>` : '',
    ` <span class="tool-status">${TOOL_STATUS_TEXT[status]}</span>${deniedWhy}</summary>`,
  ];
  if (input) parts.push(`<div class="tool-section"><div class="tool-label">Input</div><pre class="tool-input">${clip(input)}</pre></div>`);
  if (result) {
    const resultClass = status === 'denied' ? ' is-denied' : result.isError ? ' is-error' : '';
    // A tool whose CLI reports no output for it (an edit, say) says so, rather than an empty box.
    const body =
      result.content.trim() === '' ? `<div class="tool-result-empty">No output.</div>` : `<pre class="tool-result${resultClass}">${clip(result.content)}</pre>`;
    parts.push(`<div class="tool-section"><div class="tool-label">${TOOL_RESULT_LABEL[status]}</div>${body}</div>`);
  }
  parts.push('</details>');
  return parts.join('');
}

/** The first line of `text`, cut at 120 characters. */
function oneLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}

function renderRateLimit(item: Extract<Item, { kind: 'rateLimit' }>, formatTime: TimeFormatter): string {
  const kind = item.limitType ? ` (${item.limitType.replace(/_/g, ' ')})` : '';
  const what = item.status === 'rejected' ? `Usage limit reached${kind}` : `Rate limit: ${item.status.replace(/_/g, ' ')}${kind}`;
  const when = item.resetsAt ? ` — resets at ${formatTime(item.resetsAt)}` : '';
  const tone = item.status === 'rejected' ? 'warning' : 'info';
  return `<div class="notice notice-${tone}">${escapeHtml(what + when)}</div>`;
}

/** One item of a run's conversation. */
export function renderItem(item: Item, formatTime: TimeFormatter = localTime): string {
  switch (item.kind) {
    case 'text':
      return item.streaming === true
        ? `<div class="md streaming" aria-busy="true">${renderMarkdown(item.text)}</div>`
        : `<div class="md">${renderMarkdown(item.text)}</div>`;
    case 'notice':
      return `<div class="notice notice-info notice-grove">${escapeHtml(item.text)}</div>`;
    case 'sent':
      return `<div class="sent"><span class="sent-label">You, during the run:</span> ${escapeHtml(item.text)}</div>`;
    case 'tool':
      return renderTool(item);
    case 'retry': {
      const status = item.errorStatus === null ? '' : ` (HTTP ${item.errorStatus})`;
      const error = item.error ? `: ${item.error}` : '';
      return `<div class="notice notice-info">${escapeHtml(`Retrying, attempt ${item.attempt}${status}${error}`)}</div>`;
    }
    case 'rateLimit':
      return renderRateLimit(item, formatTime);
    case 'error':
      if (item.hidden === true) return '';
      return `<div class="error-box" role="alert"><span class="error-title">Error</span> ${escapeHtml(item.text)}</div>`;
    case 'output':
      return `<pre class="output">${clip(item.lines.join('\n'))}</pre>`;
  }
}

/** An item wrapped with its index, as the webview stores it. */
export function renderItemSlot(index: number, item: Item, formatTime: TimeFormatter = localTime): string {
  return `<div class="item" data-index="${index}">${renderItem(item, formatTime)}</div>`;
}

/** What a run's rendering depends on besides the run itself. */
export interface RunContext {
  /** The newest run of the workspace (Retry is offered there only). */
  isLatest: boolean;
  /** Signed in again since the run needed it. */
  authRecovered: boolean;
  /** Whether the turn continued an earlier session or started a new one (WorkspaceRuns.sessionMarker); absent: no marker. */
  session?: SessionMarker;
  /** Its transcript is being read. */
  loading: boolean;
  /**
   * Signed in with a subscription: the CLI's cost is what the run would cost at API prices, not
   * what the user pays, and is labelled so.
   */
  subscription?: boolean;
  /** What the run waits on (shown inline, with their buttons). */
  requests?: readonly AgentRequest[];
  /** The worktree: paths in requests are shown relative to it. */
  root?: string;
  /** Now, in ms since the epoch (the elapsed time of a running run counts from it). */
  now?: number;
  /** The agent CLI of the run, as the sidecar lists it (its label, its capabilities); absent: not known, every control shown. */
  agent?: AgentCli;
  formatTime?: TimeFormatter;
}

/** The prompt that started the run, with when it was asked for. */
export function renderRunHead(log: RunLog, context: RunContext): string {
  const run = log.run;
  const formatTime = context.formatTime ?? localTime;
  return `${sessionBreak(context.session ?? null)}<div class="prompt">${escapeHtml(run.prompt)}</div><div class="prompt-when">${escapeHtml(formatTime(run.createdAt))}</div>`;
}

/** The quiet line between turns: the turn continued the session before it, or started a new one. */
export function sessionBreak(marker: SessionMarker): string {
  if (marker === 'continued') {
    return '<div class="session-break session-continued" title="This turn continued the previous session: the agent remembers the turns above">continued session</div>';
  }
  if (marker === 'new') {
    return '<div class="session-break session-new" title="This turn started a new session: the agent does not remember the turns above">new session</div>';
  }
  return '';
}

/** "Retry with <profile>": a run that ended on an authentication failure or a rate limit, when another profile is usable. */
function retryWithButton(log: RunLog, secondary: boolean): string {
  const next = log.run.retryProfile;
  if (next === undefined || next === '' || (log.run.state !== 'authRequired' && log.run.state !== 'failed')) return '';
  return `<button type="button"${secondary ? ' class="secondary"' : ''} data-action="retryWithProfile" data-run-id="${escapeHtml(log.run.runId)}">Retry with ${escapeHtml(next)}</button>`;
}

function authCallout(log: RunLog, context: RunContext): string {
  const runId = escapeHtml(log.run.runId);
  // Signed in since: only the way forward is left.
  if (context.isLatest && context.authRecovered) {
    return [
      '<div class="callout callout-ok" role="status">',
      '<div class="callout-title">Signed in — Retry</div>',
      '<div class="callout-note">Retry sends the same prompt again.</div>',
      `<div class="callout-actions"><button type="button" data-action="retry" data-run-id="${runId}">Retry</button>${retryWithButton(log, true)}</div>`,
      '</div>',
    ].join('');
  }
  return [
    '<div class="callout callout-auth" role="alert">',
    '<div class="callout-title">Claude needs you to sign in</div>',
    `<div class="callout-message">${escapeHtml(log.run.error ?? 'The claude CLI reported an authentication failure.')}</div>`,
    '<div class="callout-actions">',
    `<button type="button" data-action="signIn" data-run-id="${runId}">Sign in</button>`,
    `<button type="button" class="secondary" data-action="openAccount" data-run-id="${runId}">Open Account</button>`,
    retryWithButton(log, true),
    '</div></div>',
  ].join('');
}

/**
 * The state's words; a running run's carry its elapsed time, which the webview keeps counting
 * (`data-elapsed-ms`: the time elapsed when this was rendered).
 */
function stateFact(log: RunLog, context: RunContext): string {
  const run = log.run;
  const label = escapeHtml(stateLabel(run.state));
  const started = run.startedAt === null ? Number.NaN : Date.parse(run.startedAt);
  if (run.state !== 'running' || Number.isNaN(started)) return `<span class="state state-${run.state}">${label}</span>`;
  const elapsed = Math.max(0, (context.now ?? Date.now()) - started);
  return `<span class="state state-running">${label} <span class="elapsed" data-elapsed-ms="${Math.round(elapsed)}">${formatElapsed(elapsed)}</span></span>`;
}

/** The cost the CLI reported: on a subscription, labelled as the API price it is. */
function costFact(cost: number, context: RunContext): string {
  if (context.subscription === true) {
    return `<span class="cost" title="What this run would cost at API prices; your Claude subscription covers it">API equivalent ${formatCost(cost)}</span>`;
  }
  return `<span class="cost" title="Cost reported by ${escapeHtml(context.agent?.label ?? 'the agent CLI')}">${formatCost(cost)}</span>`;
}

/** "12,345": a token count for people. */
export function formatTokens(count: number): string {
  return Math.round(count).toLocaleString('en-US');
}

/** The tokens an agent that reports no cost reported: in and out (how many of those in were cached, in the title). */
function tokensFact(tokens: { inputTokens: number; cachedInputTokens: number; outputTokens: number }): string {
  const title = `Tokens the run used: ${formatTokens(tokens.inputTokens)} in (${formatTokens(tokens.cachedInputTokens)} of them cached), ${formatTokens(tokens.outputTokens)} out`;
  return `<span class="tokens" title="${escapeHtml(title)}">${formatTokens(tokens.inputTokens)} in · ${formatTokens(tokens.outputTokens)} out tokens</span>`;
}

/** What Grove: Sign In gets to sign in again for a run's profile: the agent whose own sign-in the profile is (`profile: null`), or Grove's own sign-in into that named profile when the agent that runs its provider offers one; undefined for any other profile (Grove: Sign In as it is). */
export function signInArgument(
  agents: readonly AgentCli[],
  profile: string | undefined,
): { agent: string; provider: string; profile: string | null } | undefined {
  const colon = profile?.indexOf(':') ?? -1;
  if (profile === undefined || colon <= 0) return undefined;
  const provider = profile.slice(0, colon);
  const owner = agents.find((a) => a.ownProfile === profile);
  if (owner) return { agent: owner.id, provider, profile: null };
  const agent = agents.find((a) => a.profileKinds.some((k) => k.provider === provider && k.signIn === 'grove'));
  return agent ? { agent: agent.id, provider, profile: profile.slice(colon + 1) } : undefined;
}

/** The run's state, cost, duration and model, Cancel while it may still run, and how it ended. */
export function renderRunFoot(log: RunLog, context: RunContext): string {
  const run = log.run;
  const runId = escapeHtml(run.runId);
  const facts = [stateFact(log, context)];
  const cost = log.costUsd;
  // A local model costs nothing (the CLI prices it as Claude); the subscription pays only for the CLI's own sign-in.
  const local = run.provider === 'ollama' || run.provider === 'lmstudio';
  const viaSubscription = context.subscription === true && (run.profile === undefined || run.profile === context.agent?.ownProfile);
  // The agent says what its runs cost in: money (as today's CLI reports it), only tokens, or nothing.
  const costKind = context.agent?.capabilities.cost ?? 'money';
  if (costKind === 'money' && cost !== null && !local) facts.push(costFact(cost, { ...context, subscription: viaSubscription }));
  const tokens = log.tokens;
  if (costKind === 'tokens' && tokens !== null) facts.push(tokensFact(tokens));
  const duration = log.durationMs;
  if (duration !== null) facts.push(`<span class="duration">${formatDuration(duration)}</span>`);
  if (context.agent) facts.push(`<span class="cli">${escapeHtml(context.agent.label)}</span>`);
  const model = log.model ?? run.model;
  if (model) facts.push(`<span class="model">${escapeHtml(model)}</span>`);
  if (run.profile) facts.push(`<span class="profile" title="Auth profile">${escapeHtml(run.profile)}</span>`);
  const parts = [`<div class="run-meta">${facts.join('<span class="sep"> · </span>')}`];
  if (isLive(run.state) && context.agent?.capabilities.interrupt !== false) {
    parts.push(
      ` <button type="button" class="secondary small" data-action="interrupt" data-run-id="${runId}" title="Stop the current turn; the session stays, a new message continues it">Interrupt</button>`,
    );
  }
  if (isActive(run.state))
    parts.push(` <button type="button" class="secondary small" data-action="cancel" data-run-id="${runId}" title="End the run">Cancel</button>`);
  parts.push('</div>');
  if (!log.loaded) {
    parts.push(
      context.loading
        ? '<div class="notice notice-info">Loading the transcript…</div>'
        : `<button type="button" class="secondary small" data-action="loadTranscript" data-run-id="${runId}">Show transcript</button>`,
    );
  }
  // A run of an agent that is not found (any more): how to install it, and where to point Grove at it.
  if (context.isLatest && context.agent?.found === false) parts.push(agentMissingNotice(context.agent, run.runId));
  if (run.state === 'authRequired') parts.push(authCallout(log, context));
  else if (run.state === 'failed' && run.error)
    parts.push(`<div class="error-box" role="alert"><span class="error-title">Failed</span> ${escapeHtml(run.error)}</div>`);
  if (run.state === 'failed') {
    const retryWith = retryWithButton(log, false);
    if (retryWith !== '') parts.push(`<div class="callout-actions">${retryWith}</div>`);
  } else if (run.state === 'queued') parts.push('<div class="notice notice-info">Waiting for a free agent slot (see grove.maxParallelAgents).</div>');
  return parts.join('');
}

/** The install hint of a run's agent that is not found, with "Set path…". */
function agentMissingNotice(agent: AgentCli, runId: string): string {
  return `<div class="notice notice-warning agent-missing" role="status">${escapeHtml(notFoundHint(agent))} <button type="button" class="secondary small" data-action="setAgentPath" data-run-id="${escapeHtml(runId)}">Set path…</button></div>`;
}

/** A whole run: its section with the prompt, the conversation and the footer. */
export function renderRun(log: RunLog, context: RunContext): string {
  const formatTime = context.formatTime ?? localTime;
  const items = log.items.map((item, i) => renderItemSlot(i, item, formatTime)).join('');
  return [
    `<section class="run" data-run-id="${escapeHtml(log.run.runId)}">`,
    `<div class="run-head">${renderRunHead(log, context)}</div>`,
    `<div class="run-items">${items}</div>`,
    `<div class="run-requests">${renderRequests(context.requests ?? [], context.root)}</div>`,
    `<div class="run-foot">${renderRunFoot(log, context)}</div>`,
    '</section>',
  ].join('');
}

export const EMPTY_RUNS_HTML = '<p class="empty">No agent runs in this workspace yet. Write a prompt below to start one.</p>';

export { DEFAULT_PERMISSION_MODE };

/** Shown under the composer while "Bypass permissions" is chosen. */
export const BYPASS_WARNING =
  'Bypass permissions: the agent runs every command and edits any file without asking, also outside its worktree. Use it only in a sandbox you can throw away.';

/** Whether the prompt box takes prompts, and the note above it that says why not. */
export interface ComposerState {
  readOnly: boolean;
  /** Plain text; null for no note. */
  note: string | null;
  /** A button next to the note. */
  action: 'restoreWorkspace' | null;
}

/** The prompt box for a workspace: an archived one must be restored first, a deleted one is read-only for good. */
export function composerState(workspace: Workspace, removed: boolean): ComposerState {
  if (removed) {
    return {
      readOnly: true,
      note: `The workspace “${workspace.name}” was deleted. Its runs stay here to read; it takes no more prompts.`,
      action: null,
    };
  }
  if (workspace.state === 'archived') {
    return { readOnly: true, note: `“${workspace.name}” is archived. Restore it to send prompts.`, action: 'restoreWorkspace' };
  }
  return { readOnly: false, note: null, action: null };
}

/** The note above the prompt box (empty when there is none). */
export function composerNoteHtml(state: ComposerState): string {
  if (state.note === null) return '';
  const button = state.action === 'restoreWorkspace' ? ' <button type="button" class="secondary small" data-action="restoreWorkspace">Restore</button>' : '';
  return `<span class="composer-note-text">${escapeHtml(state.note)}</span>${button}`;
}

/**
 * The header and the prompt box as they follow the workspace: sent whenever it changes and each
 * time the page (re)loads or comes back in view, so that a panel never shows an older state.
 */
export function workspaceMessage(workspace: Workspace, removed: boolean): Extract<ToWebview, { type: 'workspace' }> {
  const composer = composerState(workspace, removed);
  return { type: 'workspace', headerHtml: panelHeaderHtml(workspace, removed), readOnly: composer.readOnly, noteHtml: composerNoteHtml(composer) };
}

/** The workspace line at the top: its name, then its branch and worktree (or that it is archived or deleted). */
export function panelHeaderHtml(workspace: Workspace, removed: boolean): string {
  let detail = `${workspace.branch} · ${workspace.path}`;
  if (removed) detail = `${workspace.branch} (deleted)`;
  else if (workspace.state === 'archived' || workspace.path === '') detail = `${workspace.branch} (archived)`;
  return `<span class="ws-name">${escapeHtml(workspace.name)}</span> <span class="ws-detail">${escapeHtml(detail)}</span>`;
}

/**
 * The landing bar under the header: where the branch stands (conflicts, ahead/behind, uncommitted,
 * the pull request, merged) and a button per action that applies now (the first one primary);
 * empty without a status (an archived or deleted workspace, or none yet).
 */
export function landingBarHtml(status: GitStatus | undefined, actions: readonly LandingAction[], remote: string): string {
  if (!status) return '';
  const base = baseLabel(status);
  const parts = stateParts(status);
  const chips = parts.map((p) => {
    const title = p.title === undefined ? '' : ` title="${escapeHtml(p.title)}"`;
    return `<span class="chip${p.warning === true ? ' chip-warning' : ''}"${title}>${escapeHtml(`${p.warning === true ? '⚠ ' : ''}${p.text}`)}</span>`;
  });
  if (parts.length === 0) chips.push(`<span class="chip">level with ${escapeHtml(base)}</span>`);
  const buttons = actions.map((action, i) => {
    const label = actionLabel(action, base, status.pullRequest?.number);
    const title = actionTitle(action, status, remote);
    return `<button type="button" class="small${i === 0 ? '' : ' secondary'}" data-land="${action}" title="${escapeHtml(title)}">${escapeHtml(label)}</button>`;
  });
  const conflicts =
    status.conflicted.length > 0 ? `<div class="landing-conflicts" role="status">⚠ Conflicts in ${escapeHtml(fileNames(status.conflicted, 10))}</div>` : '';
  return `<div class="landing-state">${chips.join('')}</div><div class="landing-actions">${buttons.join('')}</div>${conflicts}`;
}

/** Something the composer's error offers to do (a CLI that is missing, say). */
export type ComposerAction = 'setAgentPath' | 'retrySend';

const COMPOSER_ACTION_LABELS: Record<ComposerAction, string> = {
  setAgentPath: 'Set path…',
  retrySend: 'Retry',
};

/** The buttons of the composer's error box. */
export function composerActionsHtml(actions: readonly ComposerAction[]): string {
  if (actions.length === 0) return '';
  const buttons = actions.map((a, i) => {
    const action = a === 'retrySend' ? 'data-composer="retrySend"' : `data-action="${a}"`;
    return `<button type="button"${i === 0 ? '' : ' class="secondary"'} ${action}>${escapeHtml(COMPOSER_ACTION_LABELS[a])}</button>`;
  });
  return `<div class="callout-actions">${buttons.join('')}</div>`;
}

export interface PanelPage extends WebviewPage {
  workspace: Workspace;
  removed: boolean;
  isMac: boolean;
  /** landingBarHtml's, '' for none. */
  landingHtml?: string;
}

function options(list: readonly { value: string; label: string }[], selected: string): string {
  return list.map((o) => `<option value="${escapeHtml(o.value)}"${o.value === selected ? ' selected' : ''}>${escapeHtml(o.label)}</option>`).join('');
}

/** The panel's page: strict CSP (no inline script or style; the script needs the nonce), the runs, and the prompt box. */
export function panelHtml(page: PanelPage): string {
  const csp = [
    "default-src 'none'",
    `style-src ${page.cspSource}`,
    `img-src ${page.cspSource}`,
    `font-src ${page.cspSource}`,
    `script-src 'nonce-${page.nonce}'`,
  ].join('; ');
  const send = page.isMac ? '⌘+Enter' : 'Ctrl+Enter';
  const composer = composerState(page.workspace, page.removed);
  const off = composer.readOnly ? ' disabled' : '';
  return `${documentHead(csp, page.styleUris, `Agent · ${page.workspace.name}`)}
<body>
<div id="grove-agent-panel" data-workspace-id="${escapeHtml(page.workspace.id)}">
<header class="panel-head">${panelHeaderHtml(page.workspace, page.removed)}</header>
<div id="landing" class="landing-bar" role="toolbar" aria-label="Land the work of this workspace"${(page.landingHtml ?? '') === '' ? ' hidden' : ''}>${page.landingHtml ?? ''}</div>
<main id="runs" aria-live="polite"><p class="empty">Loading runs…</p></main>
<form id="composer"${composer.readOnly ? ' class="read-only"' : ''}>
<div id="composer-note" class="composer-note" role="status"${composer.note === null ? ' hidden' : ''}>${composerNoteHtml(composer)}</div>
<div id="composer-error" class="error-box" role="alert" hidden><span id="composer-error-text"></span><div id="composer-error-actions"></div></div>
<div id="agent-hint" class="notice notice-warning" role="status" hidden><span id="agent-hint-text"></span> <button type="button" class="secondary small" data-action="setAgentPath">Set path…</button></div>
<textarea id="prompt" rows="4" placeholder="${escapeHtml(promptPlaceholder(send, true))}" aria-label="Prompt"${off}></textarea>
<div class="composer-row">
<label id="agent-label">Agent <select id="agent"></select></label>
<label>Profile <select id="profile">${options([{ value: '', label: AUTOMATIC_PROFILE_LABEL }], '')}</select></label>
<label>Model <select id="model">${options(agentModels(undefined), '')}</select></label>
<label>Permissions <select id="permissionMode">${options(permissionModes(undefined), DEFAULT_PERMISSION_MODE)}</select></label>
<label class="check" title="Start a new session instead of continuing the last one"><input type="checkbox" id="newSession"> New session</label>
<span class="spacer"></span>
<span id="send-hint" class="send-hint" role="status"${composer.readOnly ? ' hidden' : ''}>${EMPTY_PROMPT_HINT}</span>
<button type="submit" id="send" title="${send}" disabled>Send</button>
</div>
<div id="permission-warning" class="notice notice-warning" role="alert" hidden>${escapeHtml(BYPASS_WARNING)}</div>
<div id="edits-notice" class="notice" role="note" hidden></div>
</form>
</div>
${scriptTag(page)}
</body>
</html>`;
}

// ---------------------------------------------------------------------------------------------
// Messages

const ACTIONS: ReadonlySet<string> = new Set<PanelAction>(PANEL_ACTIONS);

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

const BEHAVIORS: ReadonlySet<string> = new Set<Behavior>(['allow', 'deny', 'allowAlways']);

/** Checks a message from the webview; anything malformed is undefined. */
export function parseFromWebview(message: unknown): FromWebview | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const m = message as Record<string, unknown>;
  const composer = { agent: str(m.agent), model: str(m.model), permissionMode: str(m.permissionMode), profile: str(m.profile) };
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'send':
      if (typeof m.prompt !== 'string') return undefined;
      return { type: 'send', prompt: m.prompt, newSession: m.newSession === true, ...composer };
    case 'respond': {
      if (typeof m.runId !== 'string' || typeof m.requestId !== 'string' || !BEHAVIORS.has(str(m.behavior))) return undefined;
      const out: Extract<FromWebview, { type: 'respond' }> = { type: 'respond', runId: m.runId, requestId: m.requestId, behavior: m.behavior as Behavior };
      if (typeof m.message === 'string' && m.message.trim() !== '') out.message = m.message.trim();
      if (typeof m.command === 'string') out.command = m.command;
      if (typeof m.answers === 'object' && m.answers !== null && !Array.isArray(m.answers)) {
        const answers: Record<string, string> = {};
        for (const [question, label] of Object.entries(m.answers as Record<string, unknown>)) if (typeof label === 'string') answers[question] = label;
        out.answers = answers;
      }
      return out;
    }
    case 'land':
      if (typeof m.action !== 'string' || !(LANDING_ACTIONS as readonly string[]).includes(m.action)) return undefined;
      return { type: 'land', action: m.action as LandingAction };
    case 'action':
      if (typeof m.action !== 'string' || !ACTIONS.has(m.action)) return undefined;
      return { type: 'action', action: m.action as PanelAction, runId: typeof m.runId === 'string' ? m.runId : null, ...composer };
    default:
      return undefined;
  }
}

/** `grove/agent/start` options from the prompt box: empty means "the CLI's default" (the profile: automatic; the agent: the sidecar's pick). */
export function startOptions(
  options: Omit<ComposerOptions, 'profile' | 'agent'> & { profile?: string; agent?: string },
  select: (profile: string, model: string) => { profile?: string; model?: string } = defaultSelection,
): { agent?: string; model?: string; permissionMode?: string; profile?: string } {
  const out: { agent?: string; model?: string; permissionMode?: string; profile?: string } = {};
  const agent = options.agent?.trim() ?? '';
  if (agent !== '') out.agent = agent;
  Object.assign(out, select(options.profile ?? '', options.model));
  if (options.permissionMode.trim() !== '') out.permissionMode = options.permissionMode.trim();
  return out;
}

function defaultSelection(profile: string, model: string): { profile?: string; model?: string } {
  const out: { profile?: string; model?: string } = {};
  if (profile.trim() !== '') out.profile = profile.trim();
  if (model.trim() !== '') out.model = model.trim();
  return out;
}

/** What a failed `grove/agent/start` says in the prompt box, and the buttons it offers: for a CLI not found, the agent's install hint and "Set path…". */
export function startFailure(
  error: unknown,
  message: string,
  agent: Pick<AgentCli, 'label' | 'installHint'> | undefined,
): { message: string; actions: ComposerAction[] } {
  if (errorCode(error) === ErrorCodes.CliNotFound) {
    const hint = agent ? notFoundHint(agent) : `The agent CLI was not found. ${message}`;
    return { message: `${hint} The agent did not start.`, actions: ['setAgentPath', 'retrySend'] };
  }
  return { message, actions: [] };
}
