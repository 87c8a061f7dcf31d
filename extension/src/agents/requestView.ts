// The HTML of what an agent asks, shown inline in its run: a tool to allow (a command as code, a file to write with its content, an edit as a diff), questions with their options, a plan in Markdown; every agent string escaped; no vscode import.
import type { AgentRequest } from '../common/protocol';
import { escapeHtml } from '../common/webview';
import { renderMarkdown } from './markdown';
import { alwaysAllowWhat, planOf, questionsOf, type Question } from './requests';

/** Text beyond this many characters is cut in a request (the agent's own input is not changed). */
const MAX_REQUEST_CHARS = 20_000;

function clip(text: string): string {
  if (text.length <= MAX_REQUEST_CHARS) return escapeHtml(text);
  return `${escapeHtml(text.slice(0, MAX_REQUEST_CHARS))}\n<span class="clipped">… ${text.length - MAX_REQUEST_CHARS} more characters</span>`;
}

function str(input: unknown, name: string): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const value = (input as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** The lines of `old` and `next` as a diff: removed lines, then added ones (an edit replaces one string with another). */
export function diffLines(old: string, next: string): { sign: '-' | '+' | ' '; text: string }[] {
  const a = old.split('\n');
  const b = next.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  return [
    ...a.slice(0, start).map((text) => ({ sign: ' ' as const, text })),
    ...a.slice(start, endA).map((text) => ({ sign: '-' as const, text })),
    ...b.slice(start, endB).map((text) => ({ sign: '+' as const, text })),
    ...a.slice(endA).map((text) => ({ sign: ' ' as const, text })),
  ];
}

function diffHtml(old: string, next: string): string {
  const lines = diffLines(old, next).map(({ sign, text }) => {
    const cls = sign === '-' ? 'del' : sign === '+' ? 'add' : 'ctx';
    return `<span class="diff-${cls}">${escapeHtml(`${sign} ${text}`)}</span>`;
  });
  const body = lines.join('\n');
  return `<pre class="request-diff">${body.length > MAX_REQUEST_CHARS * 2 ? `${body.slice(0, MAX_REQUEST_CHARS * 2)}…` : body}</pre>`;
}

function prettyJson(value: unknown): string {
  if (value === undefined) return '';
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    return '(not shown: not JSON)';
  }
}

/** What the tool would do: the command, the file and its content, the edit, or the input as JSON. */
function toolBody(request: AgentRequest, root: string | undefined): string {
  const input = request.input;
  const path = str(input, 'file_path') ?? str(input, 'notebook_path') ?? str(input, 'path');
  switch (request.toolName) {
    case 'Bash': {
      const command = str(input, 'command') ?? '';
      // The command can be edited before it is allowed.
      return `<textarea class="request-command" rows="${Math.min(8, command.split('\n').length)}" aria-label="Command" spellcheck="false">${escapeHtml(command)}</textarea>`;
    }
    case 'Write':
      return [pathHtml(path ?? '', root), `<pre class="request-content">${clip(str(input, 'content') ?? '')}</pre>`].join('');
    case 'Edit':
    case 'MultiEdit': {
      const parts = [pathHtml(path ?? '', root)];
      const list = (input as { edits?: unknown } | null)?.edits;
      const edits: unknown[] = Array.isArray(list) ? (list as unknown[]) : [input];
      for (const edit of edits) parts.push(diffHtml(str(edit, 'old_string') ?? '', str(edit, 'new_string') ?? ''));
      return parts.join('');
    }
    default: {
      const json = prettyJson(input);
      return `${path ? pathHtml(path, root) : ''}${json && json !== '{}' ? `<pre class="request-input">${clip(json)}</pre>` : ''}`;
    }
  }
}

/** A path inside the worktree `root` as a relative path (the whole one on hover); others as they are. */
function pathHtml(path: string, root: string | undefined): string {
  const inside = root !== undefined && root !== '' && path.startsWith(`${root.replace(/\/+$/, '')}/`);
  const shown = inside ? path.slice(root.replace(/\/+$/, '').length + 1) : path;
  return `<div class="request-path" title="${escapeHtml(path)}">${escapeHtml(shown)}</div>`;
}

function ids(request: AgentRequest): string {
  return `data-run-id="${escapeHtml(request.runId)}" data-request-id="${escapeHtml(request.requestId)}"`;
}

/** The hidden row Deny (or Keep planning) opens: an optional message for the agent and the button that sends it. */
function messageRow(request: AgentRequest, placeholder: string, sendLabel: string): string {
  return [
    '<div class="request-message" hidden>',
    `<textarea class="request-message-text" rows="2" placeholder="${escapeHtml(placeholder)}" aria-label="${escapeHtml(placeholder)}"></textarea>`,
    `<div class="request-actions"><button type="button" data-request-action="denySend" ${ids(request)}>${escapeHtml(sendLabel)}</button>`,
    `<button type="button" class="secondary" data-request-action="denyBack" ${ids(request)}>Back</button></div>`,
    '</div>',
  ].join('');
}

/** "Always allow here" (Alt+W) with the rule it adds, where the sidecar offers it. */
function alwaysAllowButton(request: AgentRequest): string {
  const what = alwaysAllowWhat(request);
  if (what === undefined) return '';
  return `<button type="button" class="secondary" data-request-action="allowAlways" ${ids(request)} title="Alt+W: allow ${escapeHtml(what)} in this workspace from now on, without asking">Always allow here <kbd>Alt+W</kbd></button>`;
}

/** Why the sidecar offers no "Always allow" for a tool request (a shell, a path…). */
function alwaysAllowWhy(request: AgentRequest): string {
  if (alwaysAllowWhat(request) !== undefined) return '';
  const why = request.alwaysAllowWhy?.trim() ?? '';
  return `<div class="request-always-why">No “Always allow” here: ${escapeHtml(why === '' ? 'it is not offered for this request.' : why)}</div>`;
}

function toolRequest(request: AgentRequest, root: string | undefined): string {
  const description = request.description.trim();
  return [
    `<div class="request-title"><span class="request-tool">${escapeHtml(request.toolName)}</span>${description ? ` <span class="request-description">${escapeHtml(description)}</span>` : ''}</div>`,
    `<div class="request-body">${toolBody(request, root)}</div>`,
    '<div class="request-actions">',
    `<button type="button" data-request-action="allow" ${ids(request)} title="Alt+A">Allow <kbd>Alt+A</kbd></button>`,
    `<button type="button" class="secondary" data-request-action="deny" ${ids(request)} title="Alt+D">Deny… <kbd>Alt+D</kbd></button>`,
    alwaysAllowButton(request),
    '</div>',
    alwaysAllowWhy(request),
    messageRow(request, 'Tell the agent why, or what to do instead (optional)', 'Deny'),
  ].join('');
}

function questionHtml(request: AgentRequest, question: Question, index: number, direct: boolean): string {
  const head = `<div class="question-text">${question.header ? `<span class="question-header">${escapeHtml(question.header)}</span> ` : ''}${escapeHtml(question.question)}</div>`;
  if (direct) {
    // One question, one choice: a click answers.
    const buttons = question.options.map(
      (o) =>
        `<button type="button" class="option" data-request-action="answer" ${ids(request)} data-question="${escapeHtml(question.question)}" data-label="${escapeHtml(o.label)}"${o.description ? ` title="${escapeHtml(o.description)}"` : ''}>${escapeHtml(o.label)}${o.description ? `<span class="option-description">${escapeHtml(o.description)}</span>` : ''}</button>`,
    );
    return `<fieldset class="question">${head}<div class="options">${buttons.join('')}</div></fieldset>`;
  }
  const type = question.multiSelect ? 'checkbox' : 'radio';
  const name = `q-${escapeHtml(request.requestId)}-${index}`;
  const choices = question.options.map(
    (o) =>
      `<label class="option-choice"><input type="${type}" name="${name}" data-question="${escapeHtml(question.question)}" value="${escapeHtml(o.label)}"> ${escapeHtml(o.label)}${o.description ? ` <span class="option-description">${escapeHtml(o.description)}</span>` : ''}</label>`,
  );
  return `<fieldset class="question" data-question="${escapeHtml(question.question)}" data-multi="${question.multiSelect ? 'true' : 'false'}">${head}<div class="options">${choices.join('')}</div></fieldset>`;
}

function questionRequest(request: AgentRequest): string {
  const questions = questionsOf(request);
  const only = questions.length === 1 ? questions[0] : undefined;
  const direct = only !== undefined && !only.multiSelect && only.options.length > 0;
  const parts = ['<div class="request-title"><span class="request-tool">Question</span> The agent asks you:</div>'];
  parts.push(...questions.map((q, i) => questionHtml(request, q, i, direct)));
  parts.push('<div class="request-actions">');
  if (!direct) parts.push(`<button type="button" data-request-action="submitAnswers" ${ids(request)} title="Alt+A">Submit <kbd>Alt+A</kbd></button>`);
  parts.push(`<button type="button" class="secondary" data-request-action="deny" ${ids(request)} title="Alt+D">Don’t answer… <kbd>Alt+D</kbd></button>`);
  parts.push('</div>');
  parts.push(messageRow(request, 'Tell the agent what to do instead (optional)', 'Send'));
  return parts.join('');
}

function planRequest(request: AgentRequest): string {
  const plan = planOf(request);
  return [
    '<div class="request-title"><span class="request-tool">Plan</span> The agent has a plan and asks to go ahead:</div>',
    `<div class="md request-plan">${plan.trim() === '' ? '<p><em>(The plan is in the conversation above.)</em></p>' : renderMarkdown(plan)}</div>`,
    '<div class="request-actions">',
    `<button type="button" data-request-action="allow" ${ids(request)} title="Alt+A">Approve <kbd>Alt+A</kbd></button>`,
    `<button type="button" class="secondary" data-request-action="deny" ${ids(request)} title="Alt+D">Keep planning… <kbd>Alt+D</kbd></button>`,
    '</div>',
    messageRow(request, 'What should the plan change? (sent to the agent)', 'Keep planning'),
  ].join('');
}

/** One request, as a card in its run; paths inside `root` (the worktree) are shown relative to it. */
export function renderRequest(request: AgentRequest, root?: string): string {
  const body = request.kind === 'question' ? questionRequest(request) : request.kind === 'plan' ? planRequest(request) : toolRequest(request, root);
  return `<div class="request request-${request.kind}" role="group" aria-label="The agent waits for you" ${ids(request)}>${body}</div>`;
}

/** The requests of a run (empty when none wait). */
export function renderRequests(requests: readonly AgentRequest[], root?: string): string {
  return requests.map((r) => renderRequest(r, root)).join('');
}
