// The agent panel's HTML, built in the extension host from the view model (every agent string escaped, Markdown rendered safely), and the messages between the host and the webview; no vscode import.
import { isActive, type Item, type RunLog } from './agentModel';
import { renderMarkdown } from './markdown';
import type { RunState } from './protocol';

/** Formats an RFC 3339 time for people. */
export type TimeFormatter = (rfc3339: string) => string;

/** The local time of this machine; a string that is not a time is shown as it is. */
export const localTime: TimeFormatter = (rfc3339) => {
  const date = new Date(rfc3339);
  return Number.isNaN(date.getTime()) ? rfc3339 : date.toLocaleString();
};

/** Escapes text for HTML text and for attribute values in double or single quotes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** The start of a webview page, up to `</head>`: its CSP, stylesheet and (escaped) title. */
export function documentHead(csp: string, styleUri: string, title: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(styleUri)}">
<title>${escapeHtml(title)}</title>
</head>`;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

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
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
  authRequired: 'Sign-in needed',
};

export function stateLabel(state: RunState): string {
  return STATE_LABELS[state];
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

function renderTool(item: Extract<Item, { kind: 'tool' }>): string {
  const { result } = item;
  const status = result === null ? 'pending' : result.isError ? 'error' : 'done';
  const statusText = result === null ? '…' : result.isError ? 'error' : 'done';
  const summary = toolSummary(item.input);
  const input = prettyJson(item.input);
  const parts = [
    `<details class="tool tool-${status}" data-tool-id="${escapeHtml(item.id)}">`,
    `<summary><span class="tool-name">${escapeHtml(item.name)}</span>`,
    summary ? ` <span class="tool-summary">${escapeHtml(summary)}</span>` : '',
    ` <span class="tool-status">${statusText}</span></summary>`,
  ];
  if (input) parts.push(`<div class="tool-section"><div class="tool-label">Input</div><pre class="tool-input">${clip(input)}</pre></div>`);
  if (result) {
    const label = result.isError ? 'Error' : 'Result';
    parts.push(
      `<div class="tool-section"><div class="tool-label">${label}</div><pre class="tool-result${result.isError ? ' is-error' : ''}">${clip(result.content)}</pre></div>`,
    );
  }
  parts.push('</details>');
  return parts.join('');
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
      return `<div class="md">${renderMarkdown(item.text)}</div>`;
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
  /** The session of the run before, to mark where a new session starts. */
  previousSessionId: string | null;
  /** Its transcript is being read. */
  loading: boolean;
  formatTime?: TimeFormatter;
}

/** The prompt that started the run, with when it was asked for. */
export function renderRunHead(log: RunLog, context: RunContext): string {
  const run = log.run;
  const formatTime = context.formatTime ?? localTime;
  const newSession =
    context.previousSessionId !== null && run.sessionId !== null && run.sessionId !== context.previousSessionId
      ? '<div class="session-break">New session</div>'
      : '';
  return `${newSession}<div class="prompt">${escapeHtml(run.prompt)}</div><div class="prompt-when">${escapeHtml(formatTime(run.createdAt))}</div>`;
}

function authCallout(log: RunLog, context: RunContext): string {
  const runId = escapeHtml(log.run.runId);
  const retry = context.isLatest && context.authRecovered;
  return [
    '<div class="callout callout-auth" role="alert">',
    '<div class="callout-title">Claude needs you to sign in</div>',
    `<div class="callout-message">${escapeHtml(log.run.error ?? 'The claude CLI reported an authentication failure.')}</div>`,
    retry ? '<div class="callout-note">Signed in. Retry sends the same prompt again.</div>' : '',
    '<div class="callout-actions">',
    retry ? `<button type="button" data-action="retry" data-run-id="${runId}">Retry</button>` : '',
    `<button type="button"${retry ? ' class="secondary"' : ''} data-action="signIn" data-run-id="${runId}">Sign in</button>`,
    `<button type="button" class="secondary" data-action="openAccount" data-run-id="${runId}">Open Account</button>`,
    '</div></div>',
  ].join('');
}

/** The run's state, cost, duration and model, Cancel while it may still run, and how it ended. */
export function renderRunFoot(log: RunLog, context: RunContext): string {
  const run = log.run;
  const runId = escapeHtml(run.runId);
  const facts = [`<span class="state state-${run.state}">${escapeHtml(stateLabel(run.state))}</span>`];
  const cost = log.costUsd;
  if (cost !== null) facts.push(`<span class="cost" title="Cost reported by the claude CLI">${formatCost(cost)}</span>`);
  const duration = log.durationMs;
  if (duration !== null) facts.push(`<span class="duration">${formatDuration(duration)}</span>`);
  if (log.model) facts.push(`<span class="model">${escapeHtml(log.model)}</span>`);
  const parts = [`<div class="run-meta">${facts.join('<span class="sep"> · </span>')}`];
  if (isActive(run.state)) parts.push(` <button type="button" class="secondary small" data-action="cancel" data-run-id="${runId}">Cancel</button>`);
  parts.push('</div>');
  if (!log.loaded) {
    parts.push(
      context.loading
        ? '<div class="notice notice-info">Loading the transcript…</div>'
        : `<button type="button" class="secondary small" data-action="loadTranscript" data-run-id="${runId}">Show transcript</button>`,
    );
  }
  if (run.state === 'authRequired') parts.push(authCallout(log, context));
  else if (run.state === 'failed' && run.error) parts.push(`<div class="error-box" role="alert"><span class="error-title">Failed</span> ${escapeHtml(run.error)}</div>`);
  else if (run.state === 'queued') parts.push('<div class="notice notice-info">Waiting for a free agent slot (see grove.maxParallelAgents).</div>');
  return parts.join('');
}

/** A whole run: its section with the prompt, the conversation and the footer. */
export function renderRun(log: RunLog, context: RunContext): string {
  const formatTime = context.formatTime ?? localTime;
  const items = log.items.map((item, i) => renderItemSlot(i, item, formatTime)).join('');
  return [
    `<section class="run" data-run-id="${escapeHtml(log.run.runId)}">`,
    `<div class="run-head">${renderRunHead(log, context)}</div>`,
    `<div class="run-items">${items}</div>`,
    `<div class="run-foot">${renderRunFoot(log, context)}</div>`,
    '</section>',
  ].join('');
}

export const EMPTY_RUNS_HTML = '<p class="empty">No agent runs in this workspace yet. Write a prompt below to start one.</p>';

export const MODELS: readonly { value: string; label: string }[] = [
  { value: '', label: 'Default model' },
  { value: 'sonnet', label: 'Sonnet' },
  { value: 'opus', label: 'Opus' },
  { value: 'haiku', label: 'Haiku' },
];

export const DEFAULT_PERMISSION_MODE = 'acceptEdits';

export const PERMISSION_MODES: readonly { value: string; label: string }[] = [
  { value: 'acceptEdits', label: 'Accept edits' },
  { value: 'default', label: 'Ask (unapproved tools are refused)' },
  { value: 'plan', label: 'Plan only' },
  { value: 'bypassPermissions', label: 'Bypass permissions' },
];

export interface PanelPage {
  /** `webview.cspSource`. */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
  workspaceId: string;
  workspaceName: string;
  /** The branch and the worktree path, shown under the name. */
  detail: string;
  isMac: boolean;
}

function options(list: readonly { value: string; label: string }[], selected: string): string {
  return list
    .map((o) => `<option value="${escapeHtml(o.value)}"${o.value === selected ? ' selected' : ''}>${escapeHtml(o.label)}</option>`)
    .join('');
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
  return `${documentHead(csp, page.styleUri, `Agent · ${page.workspaceName}`)}
<body>
<div id="grove-agent-panel" data-workspace-id="${escapeHtml(page.workspaceId)}">
<header class="panel-head"><span class="ws-name">${escapeHtml(page.workspaceName)}</span> <span class="ws-detail">${escapeHtml(page.detail)}</span></header>
<main id="runs" aria-live="polite"><p class="empty">Loading runs…</p></main>
<form id="composer">
<div id="composer-error" class="error-box" role="alert" hidden></div>
<textarea id="prompt" rows="4" placeholder="Tell the agent what to do (${send} to send)" aria-label="Prompt"></textarea>
<div class="composer-row">
<label>Model <select id="model">${options(MODELS, '')}</select></label>
<label>Permissions <select id="permissionMode">${options(PERMISSION_MODES, DEFAULT_PERMISSION_MODE)}</select></label>
<label class="check" title="Start a new Claude session instead of continuing the last one"><input type="checkbox" id="newSession"> New session</label>
<span class="spacer"></span>
<button type="submit" id="send" title="${send}">Send</button>
</div>
</form>
</div>
<script nonce="${escapeHtml(page.nonce)}" src="${escapeHtml(page.scriptUri)}"></script>
</body>
</html>`;
}

// ---------------------------------------------------------------------------------------------
// Messages

/** The prompt box's options. */
export interface ComposerOptions {
  model: string;
  permissionMode: string;
}

export type PanelAction = 'cancel' | 'retry' | 'signIn' | 'openAccount' | 'loadTranscript';

const ACTIONS: ReadonlySet<string> = new Set<PanelAction>(['cancel', 'retry', 'signIn', 'openAccount', 'loadTranscript']);

/** From the webview. */
export type FromWebview =
  | { type: 'ready' }
  | ({ type: 'send'; prompt: string; newSession: boolean } & ComposerOptions)
  | ({ type: 'action'; action: PanelAction; runId: string | null } & ComposerOptions);

/** To the webview. */
export type ToWebview =
  | { type: 'reset'; html: string }
  | { type: 'runAdded'; runId: string; html: string }
  | { type: 'runUpdated'; runId: string; headHtml: string; footHtml: string }
  | { type: 'items'; runId: string; items: { index: number; html: string }[] }
  | { type: 'focusPrompt' }
  | { type: 'sent' }
  | { type: 'sendFailed'; message: string };

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Checks a message from the webview; anything malformed is undefined. */
export function parseFromWebview(message: unknown): FromWebview | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const m = message as Record<string, unknown>;
  const composer = { model: str(m.model), permissionMode: str(m.permissionMode) };
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'send':
      if (typeof m.prompt !== 'string') return undefined;
      return { type: 'send', prompt: m.prompt, newSession: m.newSession === true, ...composer };
    case 'action':
      if (typeof m.action !== 'string' || !ACTIONS.has(m.action)) return undefined;
      return { type: 'action', action: m.action as PanelAction, runId: typeof m.runId === 'string' ? m.runId : null, ...composer };
    default:
      return undefined;
  }
}

/** `grove/agent/start` options from the prompt box: empty means "the CLI's default". */
export function startOptions(options: ComposerOptions): { model?: string; permissionMode?: string } {
  const out: { model?: string; permissionMode?: string } = {};
  if (options.model.trim() !== '') out.model = options.model.trim();
  if (options.permissionMode.trim() !== '') out.permissionMode = options.permissionMode.trim();
  return out;
}
