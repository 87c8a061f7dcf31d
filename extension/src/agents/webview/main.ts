// The agent panel's webview script: shows the HTML the extension host renders (already escaped), keeps the prompt box, and sends prompts and button clicks back (the messages: ../panelMessages.ts).
import type { ComposerAgent } from '../composerModel';
import type { ComposerOptions, FromWebview, SavedComposer, ToWebview } from '../panelMessages';
import { agentToShow, collectAnswers, formatElapsed, isRequestAction, pickValue, readSaved, shortcutAction, type RequestAction } from './panelLogic';

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: SavedComposer): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

/** An element the page always has (panelHtml renders it). */
function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) throw new Error(`the agent panel has no #${id}`);
  return element;
}

const runs = byId('runs', HTMLElement);
const form = byId('composer', HTMLFormElement);
const promptBox = byId('prompt', HTMLTextAreaElement);
const agent = byId('agent', HTMLSelectElement);
const agentLabel = byId('agent-label', HTMLElement);
const agentHint = byId('agent-hint', HTMLElement);
const agentHintText = byId('agent-hint-text', HTMLElement);
const model = byId('model', HTMLSelectElement);
const profile = byId('profile', HTMLSelectElement);
const permissionMode = byId('permissionMode', HTMLSelectElement);
const newSession = byId('newSession', HTMLInputElement);
const send = byId('send', HTMLButtonElement);
const sendHint = byId('send-hint', HTMLElement);
const composerError = byId('composer-error', HTMLElement);
const composerErrorText = byId('composer-error-text', HTMLElement);
const composerErrorActions = byId('composer-error-actions', HTMLElement);
const composerNote = byId('composer-note', HTMLElement);
const header = document.querySelector<HTMLElement>('.panel-head');
const landing = byId('landing', HTMLElement);
const permissionWarning = byId('permission-warning', HTMLElement);
const editsNotice = byId('edits-notice', HTMLElement);

// The draft and the pickers survive the panel being hidden (its page is reloaded when shown again).
const saved = readSaved(vscode.getState());
if (saved.draft !== undefined) promptBox.value = saved.draft;
if (saved.model !== undefined) model.value = saved.model;
if (saved.profile !== undefined) profile.value = saved.profile;
if (saved.permissionMode !== undefined) permissionMode.value = saved.permissionMode;
if (saved.newSession === true) newSession.checked = true;

/** "Bypass permissions" is offered only with its warning in view. */
function showPermissionWarning(): void {
  permissionWarning.hidden = permissionMode.value !== 'bypassPermissions';
}
showPermissionWarning();
permissionMode.addEventListener('change', showPermissionWarning);

function saveState(): void {
  vscode.setState({
    draft: promptBox.value,
    // Only a choice the user made: else the host's default keeps following the workspace.
    ...(agentChosen === undefined ? {} : { agent: agentChosen }),
    model: model.value,
    profile: profile.value,
    permissionMode: permissionMode.value,
    newSession: newSession.checked,
  });
}

function composerOptions(): ComposerOptions {
  return { agent: agent.value, model: model.value, permissionMode: permissionMode.value, profile: profile.value };
}

// The agent picker's choices from the host: each agent with its profiles (each with the models it offers; null: the agent's), models and permission modes.
let agentChoices: ComposerAgent[] = [];
/** Until the first choices arrive, the pickers' saved values are the ones to keep. */
let composerFilled = false;
/** The agent the user chose (here, or before the page was reloaded); until then the host's default is shown. */
let agentChosen = saved.agent;

/** The agent chosen now. */
function chosenAgent(): ComposerAgent | undefined {
  return agentChoices.find((a) => a.value === agent.value);
}

/** Fills a select with {value, label} choices (as text: never HTML), keeping `wanted` chosen when it is one of them. */
function fillSelect(select: HTMLSelectElement, choices: readonly { value: string; label: string }[], wanted: string): void {
  select.replaceChildren(
    ...choices.map((c) => {
      const option = document.createElement('option');
      option.value = c.value;
      option.textContent = c.label;
      return option;
    }),
  );
  select.value = pickValue(choices, wanted);
}

/** The model picker follows the chosen profile: an endpoint offers the models it serves, another profile the agent's. */
function fillModels(wanted: string): void {
  const current = chosenAgent();
  const chosen = current?.profiles.find((p) => p.value === profile.value);
  fillSelect(model, chosen?.models ?? current?.models ?? [], wanted);
}

/** The pickers, the prompt's placeholder and the install hint follow the chosen agent. */
function applyAgent(wanted: { profile: string; model: string; permissionMode: string }): void {
  const current = chosenAgent();
  fillSelect(profile, current?.profiles ?? [], wanted.profile);
  fillModels(wanted.model);
  if (current) {
    fillSelect(permissionMode, current.permissionModes, wanted.permissionMode);
    promptBox.placeholder = current.placeholder;
  }
  showPermissionWarning();
  // An agent not found says how to install it, with "Set path…"; it takes no prompt.
  agentHintText.textContent = current?.notFound ?? '';
  agentHint.hidden = (current?.notFound ?? null) === null;
  // An agent that never asks before it edits says so, under the composer, while it is chosen.
  editsNotice.textContent = current?.editsNotice ?? '';
  editsNotice.hidden = (current?.editsNotice ?? null) === null;
  // Before the sidecar listed any agent, the one entry is no choice.
  agentLabel.hidden = agentChoices.length === 1 && agentChoices[0]?.value === '';
  updateSend();
}

/** Parses host-rendered HTML into nodes (a template never runs scripts or loads anything). */
function fragment(html: string): DocumentFragment {
  const template = document.createElement('template');
  template.innerHTML = html;
  return template.content;
}

/** The error box above the prompt; `actionsHtml` (host-rendered) holds its buttons. */
function showError(message: string, actionsHtml = ''): void {
  composerErrorText.textContent = message;
  composerErrorActions.replaceChildren(fragment(actionsHtml));
  composerError.hidden = !message;
}

/** A prompt on its way to the host (Send waits for its answer). */
let sending = false;

/** Send takes a prompt only when there is one: while the box is empty, it is disabled and the hint beside it says why. */
function updateSend(): void {
  const empty = promptBox.value.trim() === '';
  send.disabled = promptBox.disabled || empty || sending || chosenAgent()?.found === false;
  sendHint.hidden = promptBox.disabled || !empty;
  if (!empty) sendHint.classList.remove('attention');
}

/** A read-only panel (archived or deleted workspace) takes no prompt. */
function setReadOnly(readOnly: boolean): void {
  form.classList.toggle('read-only', readOnly);
  promptBox.disabled = readOnly;
  updateSend();
}

// Running runs count their seconds: each timer holds the elapsed time when the host rendered it.
const elapsedSeen = new WeakMap<Element, number>();
function tickElapsed(): void {
  const now = Date.now();
  for (const el of runs.querySelectorAll<HTMLElement>('.elapsed[data-elapsed-ms]')) {
    let seen = elapsedSeen.get(el);
    if (seen === undefined) {
      seen = now - Number(el.dataset.elapsedMs);
      elapsedSeen.set(el, seen);
    }
    el.textContent = formatElapsed(now - seen);
  }
}
window.setInterval(tickElapsed, 1000);

/** Near the bottom already: new output keeps the view at the bottom. */
function atBottom(): boolean {
  return runs.scrollHeight - runs.scrollTop - runs.clientHeight < 60;
}

function scrollToBottom(): void {
  runs.scrollTop = runs.scrollHeight;
}

function section(runId: string): HTMLElement | null {
  return runs.querySelector<HTMLElement>(`section.run[data-run-id="${CSS.escape(runId)}"]`);
}

/** Replaces an element, keeping which tool calls were expanded. */
function replaceItem(old: Element, html: string): void {
  const openTools = new Set([...old.querySelectorAll<HTMLDetailsElement>('details[open]')].map((d) => d.dataset.toolId));
  const next = fragment(html).firstElementChild;
  if (!next) return;
  for (const d of next.querySelectorAll<HTMLDetailsElement>('details')) if (openTools.has(d.dataset.toolId)) d.open = true;
  old.replaceWith(next);
}

function submit(): void {
  if (promptBox.disabled || sending) return;
  const text = promptBox.value;
  if (text.trim() === '') {
    // Never a silent no-op: the hint beside Send says what is missing.
    sendHint.hidden = false;
    sendHint.classList.add('attention');
    promptBox.focus();
    return;
  }
  showError('');
  sending = true;
  updateSend();
  vscode.postMessage({ type: 'send', prompt: text, newSession: newSession.checked, ...composerOptions() });
}

/** A message of the host: true when it changed the runs (the timers tick, the view may follow the bottom). */
function onHostMessage(message: ToWebview): boolean {
  switch (message.type) {
    case 'reset':
      runs.replaceChildren(fragment(message.html));
      scrollToBottom();
      return false;
    case 'runAdded': {
      runs.querySelector('p.empty')?.remove();
      const existing = section(message.runId);
      if (existing) existing.replaceWith(fragment(message.html));
      else runs.append(fragment(message.html));
      return true;
    }
    case 'runUpdated': {
      const s = section(message.runId);
      if (!s) return false;
      s.querySelector('.run-head')?.replaceChildren(fragment(message.headHtml));
      s.querySelector('.run-foot')?.replaceChildren(fragment(message.footHtml));
      return true;
    }
    case 'items': {
      const list = section(message.runId)?.querySelector('.run-items');
      if (!list) return false;
      for (const { index, html } of message.items) {
        const old = list.querySelector(`:scope > .item[data-index="${index}"]`);
        if (old) replaceItem(old, html);
        else list.append(fragment(html));
      }
      return true;
    }
    case 'requests': {
      const s = section(message.runId);
      if (!s) return false;
      s.querySelector('.run-requests')?.replaceChildren(fragment(message.html));
      return true;
    }
    case 'focusPrompt':
      promptBox.focus();
      return false;
    case 'sent':
      sending = false;
      promptBox.value = '';
      updateSend();
      newSession.checked = false;
      saveState();
      promptBox.focus();
      scrollToBottom();
      return false;
    case 'sendFailed':
      sending = false;
      updateSend();
      showError(message.message, message.actionsHtml);
      return false;
    case 'composer': {
      agentChoices = message.agents;
      const wanted = composerFilled
        ? { profile: profile.value, model: model.value, permissionMode: permissionMode.value }
        : { profile: saved.profile ?? '', model: saved.model ?? '', permissionMode: saved.permissionMode ?? permissionMode.value };
      composerFilled = true;
      fillSelect(agent, agentChoices, agentToShow(agentChoices, message.agent, agentChosen));
      applyAgent(wanted);
      saveState();
      return false;
    }
    case 'landing':
      landing.replaceChildren(fragment(message.html));
      landing.hidden = message.html === '';
      return false;
    case 'workspace':
      header?.replaceChildren(fragment(message.headerHtml));
      composerNote.replaceChildren(fragment(message.noteHtml));
      composerNote.hidden = message.noteHtml === '';
      setReadOnly(message.readOnly);
      // An error about the workspace's old state (e.g. "restore it first") is old news.
      showError('');
      return false;
  }
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const follow = atBottom();
  if (!onHostMessage(event.data)) return;
  tickElapsed();
  if (follow) scrollToBottom();
});

form.addEventListener('submit', (event) => {
  event.preventDefault();
  submit();
});

promptBox.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    submit();
  }
});

agent.addEventListener('change', () => {
  agentChosen = agent.value;
  applyAgent({ profile: profile.value, model: model.value, permissionMode: permissionMode.value });
  saveState();
});

profile.addEventListener('change', () => {
  fillModels(model.value);
  saveState();
});

for (const element of [promptBox, agent, model, profile, permissionMode, newSession]) {
  element.addEventListener('input', saveState);
  element.addEventListener('change', saveState);
}
promptBox.addEventListener('input', updateSend);
updateSend();

/** The element an event happened on, when it is an element. */
function eventElement(event: Event): Element | null {
  return event.target instanceof Element ? event.target : null;
}

// Buttons rendered by the host carry data-action (no inline handlers: the CSP forbids them).
function onActionClick(event: Event): void {
  const target = eventElement(event);
  if (target?.closest('button[data-composer="retrySend"]')) {
    submit();
    return;
  }
  const button = target?.closest<HTMLButtonElement>('button[data-action]');
  const action = button?.dataset.action;
  if (!button || action === undefined) return;
  // Restore runs in the host: the button waits, until the workspace's next state renders the note again (whatever route changed it).
  if (action === 'restoreWorkspace') {
    if (button.disabled) return;
    button.disabled = true;
    button.textContent = 'Restoring…';
  }
  // The host checks the action (parseFromWebview): the page only passes on what the host rendered.
  vscode.postMessage({
    type: 'action',
    action: action as Extract<FromWebview, { type: 'action' }>['action'],
    runId: button.dataset.runId ?? null,
    ...composerOptions(),
  });
}
runs.addEventListener('click', onActionClick);

// ---------------------------------------------------------------------------------------------
// Requests: what an agent waits on, answered from its card (buttons, or Alt+A / Alt+D / Alt+W on the oldest).

/** Sends an answer for a card; the card is disabled until the host shows the requests again. */
function respond(
  card: HTMLElement,
  behavior: 'allow' | 'deny' | 'allowAlways',
  extra: { command?: string; message?: string; answers?: Record<string, string> },
): void {
  const runId = card.dataset.runId;
  const requestId = card.dataset.requestId;
  if (runId === undefined || requestId === undefined) return;
  card.classList.add('answering');
  for (const b of card.querySelectorAll<HTMLButtonElement | HTMLInputElement | HTMLTextAreaElement>('button, input, textarea')) b.disabled = true;
  vscode.postMessage({ type: 'respond', runId, requestId, behavior, ...extra });
}

/** The (possibly edited) Bash command of a card, if it has one. */
function commandOf(card: HTMLElement): { command?: string } {
  const box = card.querySelector<HTMLTextAreaElement>('textarea.request-command');
  return box ? { command: box.value } : {};
}

/** The answers of a card's questions. */
function answersOf(card: HTMLElement): Record<string, string> {
  return collectAnswers(
    [...card.querySelectorAll<HTMLFieldSetElement>('fieldset.question[data-question]')].map((set) => ({
      question: set.dataset.question ?? '',
      chosen: [...set.querySelectorAll<HTMLInputElement>('input:checked')].map((i) => i.value),
    })),
  );
}

function showMessageRow(card: HTMLElement, show: boolean): void {
  const row = card.querySelector<HTMLElement>('.request-message');
  if (!row) return;
  row.hidden = !show;
  if (show) row.querySelector('textarea')?.focus();
}

function onRequestAction(card: HTMLElement, action: RequestAction, button?: HTMLElement): void {
  switch (action) {
    case 'allow':
      respond(card, 'allow', commandOf(card));
      return;
    case 'allowAlways':
      respond(card, 'allowAlways', commandOf(card));
      return;
    case 'deny':
      showMessageRow(card, true);
      return;
    case 'denyBack':
      showMessageRow(card, false);
      return;
    case 'denySend': {
      const text = card.querySelector<HTMLTextAreaElement>('.request-message-text')?.value ?? '';
      respond(card, 'deny', { message: text });
      return;
    }
    case 'answer': {
      const question = button?.dataset.question;
      const label = button?.dataset.label;
      if (question === undefined || label === undefined) return;
      respond(card, 'allow', { answers: { [question]: label } });
      return;
    }
    case 'submitAnswers':
      respond(card, 'allow', { answers: answersOf(card) });
      return;
  }
}

runs.addEventListener('click', (event) => {
  const button = eventElement(event)?.closest<HTMLElement>('button[data-request-action]');
  const card = button?.closest<HTMLElement>('.request');
  const action = button?.dataset.requestAction;
  if (!button || !card || card.classList.contains('answering') || !isRequestAction(action)) return;
  onRequestAction(card, action, button);
});

runs.addEventListener('keydown', (event) => {
  const target = eventElement(event);
  if (!target?.classList.contains('request-message-text')) return;
  const card = target.closest<HTMLElement>('.request');
  if (!card) return;
  if (event.key === 'Enter' && !event.shiftKey) {
    event.preventDefault();
    onRequestAction(card, 'denySend');
  } else if (event.key === 'Escape') {
    event.preventDefault();
    showMessageRow(card, false);
  }
});

/** Alt+A allow (or approve, or submit), Alt+D deny (then Alt+D again sends it), Alt+W always allow: for the oldest waiting card. */
document.addEventListener('keydown', (event) => {
  if (!event.altKey || event.ctrlKey || event.metaKey) return;
  const card = runs.querySelector<HTMLElement>('.request:not(.answering)');
  if (!card) return;
  const has = (name: RequestAction): boolean => card.querySelector(`button[data-request-action="${name}"]`) !== null;
  const chosen = shortcutAction(event, has, card.querySelector('.request-message:not([hidden])') !== null);
  if (!chosen) return;
  event.preventDefault();
  event.stopPropagation();
  onRequestAction(card, chosen);
});
composerNote.addEventListener('click', onActionClick);

// The landing bar's buttons (Commit…, Sync, Merge…, Push, …) run the extension's commands.
landing.addEventListener('click', (event) => {
  const action = eventElement(event)?.closest<HTMLElement>('button[data-land]')?.dataset.land;
  // The host checks the action (parseFromWebview).
  if (action !== undefined) vscode.postMessage({ type: 'land', action: action as Extract<FromWebview, { type: 'land' }>['action'] });
});
composerError.addEventListener('click', onActionClick);
agentHint.addEventListener('click', onActionClick);

vscode.postMessage({ type: 'ready' });
