// The agent panel's webview script: shows the HTML the extension host renders (already escaped), keeps the prompt box, and sends prompts and button clicks back.
/* global acquireVsCodeApi, document, window, CSS */
const vscode = acquireVsCodeApi();
const runs = document.getElementById('runs');
const form = document.getElementById('composer');
const promptBox = document.getElementById('prompt');
const model = document.getElementById('model');
const profile = document.getElementById('profile');
const permissionMode = document.getElementById('permissionMode');
const newSession = document.getElementById('newSession');
const send = document.getElementById('send');
const sendHint = document.getElementById('send-hint');
const composerError = document.getElementById('composer-error');
const composerErrorText = document.getElementById('composer-error-text');
const composerErrorActions = document.getElementById('composer-error-actions');
const composerNote = document.getElementById('composer-note');
const header = document.querySelector('.panel-head');
const landing = document.getElementById('landing');
const permissionWarning = document.getElementById('permission-warning');

// The draft and the pickers survive the panel being hidden (its page is reloaded when shown again).
const saved = vscode.getState() ?? {};
if (typeof saved.draft === 'string') promptBox.value = saved.draft;
if (typeof saved.model === 'string') model.value = saved.model;
if (typeof saved.profile === 'string') profile.value = saved.profile;
if (typeof saved.permissionMode === 'string') permissionMode.value = saved.permissionMode;
if (saved.newSession === true) newSession.checked = true;

/** "Bypass permissions" is offered only with its warning in view. */
function showPermissionWarning() {
  permissionWarning.hidden = permissionMode.value !== 'bypassPermissions';
}
showPermissionWarning();
permissionMode.addEventListener('change', showPermissionWarning);

function saveState() {
  vscode.setState({
    draft: promptBox.value,
    model: model.value,
    profile: profile.value,
    permissionMode: permissionMode.value,
    newSession: newSession.checked,
  });
}

function composerOptions() {
  return { model: model.value, permissionMode: permissionMode.value, profile: profile.value };
}

// The profile picker's choices from the host: each profile with the models it offers (null: the Claude models).
let profileChoices = [];
let claudeModels = [];
/** Until the first choices arrive, the pickers' saved values are the ones to keep. */
let profilesFilled = false;

/** Fills a select with {value, label} choices (as text: never HTML), keeping `wanted` chosen when it is one of them. */
function fillSelect(select, choices, wanted) {
  select.replaceChildren(
    ...choices.map((c) => {
      const option = document.createElement('option');
      option.value = c.value;
      option.textContent = c.label;
      return option;
    }),
  );
  select.value = choices.some((c) => c.value === wanted) ? wanted : (choices[0]?.value ?? '');
}

/** The model picker follows the chosen profile: an endpoint offers the models it serves. */
function fillModels(wanted) {
  const chosen = profileChoices.find((p) => p.value === profile.value);
  fillSelect(model, chosen?.models ?? claudeModels, wanted);
}

/** The error box above the prompt; `actionsHtml` (host-rendered) holds its buttons. */
function showError(message, actionsHtml) {
  composerErrorText.textContent = message;
  composerErrorActions.replaceChildren(fragment(actionsHtml ?? ''));
  composerError.hidden = !message;
}

/** A prompt on its way to the host (Send waits for its answer). */
let sending = false;

/** Send takes a prompt only when there is one: while the box is empty, it is disabled and the hint beside it says why. */
function updateSend() {
  const empty = promptBox.value.trim() === '';
  send.disabled = promptBox.disabled || empty || sending;
  sendHint.hidden = promptBox.disabled || !empty;
  if (!empty) sendHint.classList.remove('attention');
}

/** A read-only panel (archived or deleted workspace) takes no prompt. */
function setReadOnly(readOnly) {
  form.classList.toggle('read-only', readOnly);
  promptBox.disabled = readOnly;
  updateSend();
}

/** "12 s", "2 min 5 s": as agentView's formatElapsed. */
function formatElapsed(ms) {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

// Running runs count their seconds: each timer holds the elapsed time when the host rendered it.
const elapsedSeen = new WeakMap();
function tickElapsed() {
  const now = Date.now();
  for (const el of runs.querySelectorAll('.elapsed[data-elapsed-ms]')) {
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
function atBottom() {
  return runs.scrollHeight - runs.scrollTop - runs.clientHeight < 60;
}

function scrollToBottom() {
  runs.scrollTop = runs.scrollHeight;
}

function section(runId) {
  return runs.querySelector(`section.run[data-run-id="${CSS.escape(runId)}"]`);
}

/** Parses host-rendered HTML into nodes (a template never runs scripts or loads anything). */
function fragment(html) {
  const template = document.createElement('template');
  template.innerHTML = html;
  return template.content;
}

/** Replaces an element, keeping which tool calls were expanded. */
function replaceItem(old, html) {
  const openTools = new Set([...old.querySelectorAll('details[open]')].map((d) => d.dataset.toolId));
  const next = fragment(html).firstElementChild;
  if (!next) return;
  for (const d of next.querySelectorAll('details')) if (openTools.has(d.dataset.toolId)) d.open = true;
  old.replaceWith(next);
}

function submit() {
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

window.addEventListener('message', (event) => {
  const message = event.data;
  const follow = atBottom();
  switch (message.type) {
    case 'reset':
      runs.replaceChildren(fragment(message.html));
      scrollToBottom();
      return;
    case 'runAdded': {
      runs.querySelector('p.empty')?.remove();
      const existing = section(message.runId);
      if (existing) existing.replaceWith(fragment(message.html));
      else runs.append(fragment(message.html));
      break;
    }
    case 'runUpdated': {
      const s = section(message.runId);
      if (!s) return;
      s.querySelector('.run-head').replaceChildren(fragment(message.headHtml));
      s.querySelector('.run-foot').replaceChildren(fragment(message.footHtml));
      break;
    }
    case 'items': {
      const s = section(message.runId);
      if (!s) return;
      const list = s.querySelector('.run-items');
      for (const { index, html } of message.items) {
        const old = list.querySelector(`:scope > .item[data-index="${index}"]`);
        if (old) replaceItem(old, html);
        else list.append(fragment(html));
      }
      break;
    }
    case 'requests': {
      const s = section(message.runId);
      if (!s) return;
      s.querySelector('.run-requests').replaceChildren(fragment(message.html));
      break;
    }
    case 'focusPrompt':
      promptBox.focus();
      return;
    case 'sent':
      sending = false;
      promptBox.value = '';
      updateSend();
      newSession.checked = false;
      saveState();
      promptBox.focus();
      scrollToBottom();
      return;
    case 'sendFailed':
      sending = false;
      updateSend();
      showError(message.message, message.actionsHtml);
      return;
    case 'profiles': {
      profileChoices = message.profiles;
      claudeModels = message.claudeModels;
      const wantedProfile = profilesFilled ? profile.value : typeof saved.profile === 'string' ? saved.profile : '';
      const wantedModel = profilesFilled ? model.value : typeof saved.model === 'string' ? saved.model : '';
      profilesFilled = true;
      fillSelect(profile, profileChoices, wantedProfile);
      fillModels(wantedModel);
      saveState();
      return;
    }
    case 'landing':
      landing.replaceChildren(fragment(message.html));
      landing.hidden = message.html === '';
      return;
    case 'workspace':
      header.replaceChildren(fragment(message.headerHtml));
      composerNote.replaceChildren(fragment(message.noteHtml));
      composerNote.hidden = message.noteHtml === '';
      setReadOnly(message.readOnly);
      // An error about the workspace's old state (e.g. "restore it first") is old news.
      showError('');
      return;
    default:
      return;
  }
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

profile.addEventListener('change', () => {
  fillModels(model.value);
  saveState();
});

for (const element of [promptBox, model, profile, permissionMode, newSession]) {
  element.addEventListener('input', saveState);
  element.addEventListener('change', saveState);
}
promptBox.addEventListener('input', updateSend);
updateSend();

// Buttons rendered by the host carry data-action (no inline handlers: the CSP forbids them).
function onActionClick(event) {
  const target = event.target instanceof window.Element ? event.target : null;
  if (target?.closest('button[data-composer="retrySend"]')) {
    submit();
    return;
  }
  const button = target?.closest('button[data-action]');
  if (!button) return;
  // Restore runs in the host: the button waits, until the workspace's next state renders the note again (whatever route changed it).
  if (button.dataset.action === 'restoreWorkspace') {
    if (button.disabled) return;
    button.disabled = true;
    button.textContent = 'Restoring…';
  }
  vscode.postMessage({ type: 'action', action: button.dataset.action, runId: button.dataset.runId ?? null, ...composerOptions() });
}
runs.addEventListener('click', onActionClick);

// ---------------------------------------------------------------------------------------------
// Requests: what an agent waits on, answered from its card (buttons, or Alt+A / Alt+D / Alt+W on the oldest).

/** Sends an answer for the card of `button`; the card is disabled until the host shows the requests again. */
function respond(card, behavior, extra) {
  card.classList.add('answering');
  for (const b of card.querySelectorAll('button, input, textarea')) b.disabled = true;
  vscode.postMessage({ type: 'respond', runId: card.dataset.runId, requestId: card.dataset.requestId, behavior, ...extra });
}

/** The (possibly edited) Bash command of a card, if it has one. */
function commandOf(card) {
  const box = card.querySelector('textarea.request-command');
  return box ? { command: box.value } : {};
}

/** The answers of a card's questions: question text → the chosen label(s), joined with ", " when several. */
function answersOf(card) {
  const answers = {};
  for (const set of card.querySelectorAll('fieldset.question[data-question]')) {
    const chosen = [...set.querySelectorAll('input:checked')].map((i) => i.value);
    if (chosen.length > 0) answers[set.dataset.question] = chosen.join(', ');
  }
  return answers;
}

function showMessageRow(card, show) {
  const row = card.querySelector('.request-message');
  if (!row) return;
  row.hidden = !show;
  if (show) row.querySelector('textarea')?.focus();
}

function onRequestAction(card, action, button) {
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
      const text = card.querySelector('.request-message-text')?.value ?? '';
      respond(card, 'deny', { message: text });
      return;
    }
    case 'answer':
      respond(card, 'allow', { answers: { [button.dataset.question]: button.dataset.label } });
      return;
    case 'submitAnswers':
      respond(card, 'allow', { answers: answersOf(card) });
      return;
    default:
      return;
  }
}

runs.addEventListener('click', (event) => {
  const target = event.target instanceof window.Element ? event.target : null;
  const button = target?.closest('button[data-request-action]');
  const card = button?.closest('.request');
  if (!button || !card || card.classList.contains('answering')) return;
  onRequestAction(card, button.dataset.requestAction, button);
});

runs.addEventListener('keydown', (event) => {
  const target = event.target instanceof window.Element ? event.target : null;
  if (!target?.classList.contains('request-message-text')) return;
  const card = target.closest('.request');
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
  const action = { KeyA: 'a', KeyD: 'd', KeyW: 'w' }[event.code];
  if (!action) return;
  const card = runs.querySelector('.request:not(.answering)');
  if (!card) return;
  const has = (name) => card.querySelector(`button[data-request-action="${name}"]`);
  let chosen;
  if (action === 'a') chosen = has('allow') ? 'allow' : has('submitAnswers') ? 'submitAnswers' : undefined;
  else if (action === 'w') chosen = has('allowAlways') ? 'allowAlways' : undefined;
  else chosen = card.querySelector('.request-message:not([hidden])') ? 'denySend' : 'deny';
  if (!chosen) return;
  event.preventDefault();
  event.stopPropagation();
  onRequestAction(card, chosen);
});
composerNote.addEventListener('click', onActionClick);

// The landing bar's buttons (Commit…, Sync, Merge…, Push, …) run the extension's commands.
landing.addEventListener('click', (event) => {
  const target = event.target instanceof window.Element ? event.target : null;
  const button = target?.closest('button[data-land]');
  if (button) vscode.postMessage({ type: 'land', action: button.dataset.land });
});
composerError.addEventListener('click', onActionClick);

vscode.postMessage({ type: 'ready' });
