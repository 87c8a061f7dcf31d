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
const composerError = document.getElementById('composer-error');
const composerErrorText = document.getElementById('composer-error-text');
const composerErrorActions = document.getElementById('composer-error-actions');
const composerNote = document.getElementById('composer-note');
const header = document.querySelector('.panel-head');

// The draft and the pickers survive the panel being hidden (its page is reloaded when shown again).
const saved = vscode.getState() ?? {};
if (typeof saved.draft === 'string') promptBox.value = saved.draft;
if (typeof saved.model === 'string') model.value = saved.model;
if (typeof saved.profile === 'string') profile.value = saved.profile;
if (typeof saved.permissionMode === 'string') permissionMode.value = saved.permissionMode;
if (saved.newSession === true) newSession.checked = true;

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

/** A read-only panel (archived or deleted workspace) takes no prompt. */
function setReadOnly(readOnly) {
  form.classList.toggle('read-only', readOnly);
  promptBox.disabled = readOnly;
  send.disabled = readOnly;
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
  if (promptBox.disabled) return;
  const text = promptBox.value;
  if (text.trim() === '') {
    promptBox.focus();
    return;
  }
  showError('');
  send.disabled = true;
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
    case 'focusPrompt':
      promptBox.focus();
      return;
    case 'sent':
      send.disabled = promptBox.disabled;
      promptBox.value = '';
      newSession.checked = false;
      saveState();
      promptBox.focus();
      scrollToBottom();
      return;
    case 'sendFailed':
      send.disabled = promptBox.disabled;
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

// Buttons rendered by the host carry data-action (no inline handlers: the CSP forbids them).
function onActionClick(event) {
  const target = event.target instanceof window.Element ? event.target : null;
  if (target?.closest('button[data-composer="retrySend"]')) {
    submit();
    return;
  }
  const button = target?.closest('button[data-action]');
  if (!button) return;
  vscode.postMessage({ type: 'action', action: button.dataset.action, runId: button.dataset.runId ?? null, ...composerOptions() });
}
runs.addEventListener('click', onActionClick);
composerNote.addEventListener('click', onActionClick);
composerError.addEventListener('click', onActionClick);

vscode.postMessage({ type: 'ready' });
