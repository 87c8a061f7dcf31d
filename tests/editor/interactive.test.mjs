// Real-editor test of interactive runs: code-server with the Grove .vsix and the real claude CLI against a loopback Messages API; in the default permission mode the agent's Write is asked inline in the panel (with its file path), the status bar counts "1 agent waiting" and the tree says the workspace waits; Deny with a message writes nothing and the model hears it; a request made while the panel is closed is told in a notification, Open shows it, Allow writes the file, which shows in the workspace's changes, and the count goes away; a question answered with a click; Alt+W always allows a Bash command, and Manage Always-Allow Rules removes the rule; a plan sent back with feedback; a message steers a running agent within its run; Interrupt stops one, and the next message starts a follow-up.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveTools } from './codeServer.mjs';
import {
  agentPanelFrame,
  ARTIFACTS,
  createWorkspace,
  EditorSession,
  reportFailure,
  tempFolders,
  UI_TIMEOUT_MS,
  workbenchSteps,
  loopbackAgentSetup,
} from './harness.mjs';
import { startMessagesApi, WRITE_INPUT } from './messagesApi.mjs';

const STEP_TIMEOUT_MS = 30_000;
/** A whole agent turn, CLI start included, on a busy machine. */
const RUN_TIMEOUT_MS = 120_000;
/** A fake Console key: it starts with sk-ant-api, so Grove passes it to the CLI. */
const API_KEY = 'sk-ant-api03-FAKELOOPBACKKEY0000000000';
const WORKSPACE_NAME = 'interactive-test';
/** The plan the agent asks to carry out (ExitPlanMode, in plan mode). */
const PLAN = '## Notes plan\n\n1. Write `notes.txt`\n2. Say it is done\n';
/** The question the agent asks (AskUserQuestion). */
const QUESTION = {
  question: 'Which database should the app use?',
  header: 'Database',
  options: [
    { label: 'Postgres', description: 'A server' },
    { label: 'SQLite', description: 'A file' },
  ],
  multiSelect: false,
};

describe('Interactive runs in a real editor: a Write asked and allowed from the agent panel (code-server + claude CLI)', { timeout: 10 * 60_000 }, () => {
  const tools = resolveTools();
  // Real paths: the sidecar names repositories by their canonical path.
  const { tempDir, removeAll } = tempFolders({ realPaths: true });
  const session = new EditorSession(tools);
  let api;
  let editor;
  let page;
  let workspace;

  const fail = (name, error) =>
    reportFailure({
      page,
      editor,
      name: `interactive-${name}`,
      error,
      toasts: true,
      details: () => ({ 'stand-in': `${api?.requests.length} Messages API requests` }),
    });
  const { sidebar, quickInput, see, statusItem, runCommandWhenReady: runCommand } = workbenchSteps({ page: () => page, fail, timeout: STEP_TIMEOUT_MS });
  const workspacesPane = () => sidebar().locator('.pane', { has: page.locator('.pane-header', { hasText: 'Workspaces' }) });
  const treeRow = (text) => workspacesPane().locator('.monaco-list-row', { hasText: text }).first();

  before(async () => {
    api = await startMessagesApi({ finalText: 'Done.' });
    const { home, env, repo } = loopbackAgentSetup(tools, tempDir, 'interactive', api.url, API_KEY);
    workspace = await createWorkspace(env, repo, tools.claude, WORKSPACE_NAME);
    assert.equal(workspace.state, 'active');
    ({ editor, page } = await session.start(
      { folder: repo, home, env },
      { viewport: { width: 1280, height: 900 }, failure: { name: 'interactive-start', toasts: true } },
    ));
  });

  after(async () => {
    await session.close();
    await api?.close();
    removeAll();
  });

  /** The panel's frame (opened from the palette the first time). */
  async function panel() {
    const frame = await agentPanelFrame(page, UI_TIMEOUT_MS);
    if (!frame) await fail('panel', new Error('the agent panel did not appear'));
    return frame;
  }

  /** The first Messages API request that carries a tool result containing `text`. */
  const heardByModel = (text) =>
    api.requests.some((body) =>
      (body?.messages ?? []).some(
        (m) => Array.isArray(m.content) && m.content.some((b) => b?.type === 'tool_result' && JSON.stringify(b.content ?? '').includes(text)),
      ),
    );

  /** Whether a Messages API request carried `text` in its messages (a message sent during a turn comes as one of the CLI's own, in that turn). */
  const heardInMessages = (text) => api.requests.some((body) => JSON.stringify(body?.messages ?? []).includes(text));

  it('asks for the Write inline and counts the waiting agent; Deny with a message writes nothing and the model hears why', async () => {
    // The Grove sidebar, with the workspace in the tree and nothing changed yet.
    await page
      .locator('.activitybar .action-item a[aria-label^="Grove"]')
      .click({ timeout: UI_TIMEOUT_MS })
      .catch((e) => fail('sidebar', e));
    await see(treeRow(WORKSPACE_NAME).filter({ hasText: 'no changes' }), 'tree', UI_TIMEOUT_MS);

    await runCommand('Grove: Run Agent', 'Grove: Run Agent', UI_TIMEOUT_MS).catch((e) => fail('palette', e));
    await quickInput()
      .locator('.monaco-list-row', { hasText: WORKSPACE_NAME })
      .first()
      .click({ timeout: UI_TIMEOUT_MS })
      .catch((e) => fail('pick', e));
    const frame = await panel();
    await frame
      .locator('#runs p.empty')
      .waitFor({ timeout: STEP_TIMEOUT_MS })
      .catch((e) => fail('empty', e));

    // "Ask before edits and commands": the CLI asks before it writes. Bypass is offered with its warning in view.
    await frame.locator('#permissionMode').selectOption('bypassPermissions');
    await see(frame.locator('#permission-warning'), 'bypass-warning');
    await frame.locator('#permissionMode').selectOption('default');
    await see(frame.locator('#permission-warning'), 'bypass-warning-gone', STEP_TIMEOUT_MS, 'hidden');

    await frame.locator('#prompt').fill('Please write notes.txt');
    await frame.locator('#prompt').press('Control+Enter');

    // The request, inline: the tool, the file path and its content, and the buttons with their shortcuts.
    const card = frame.locator('.run-requests .request.request-tool');
    await card.waitFor({ timeout: RUN_TIMEOUT_MS }).catch((e) => fail('request', e));
    assert.equal(await card.locator('.request-tool').innerText(), 'Write');
    assert.equal(await card.locator('.request-path').innerText(), 'notes.txt');
    assert.equal(await card.locator('.request-content').innerText(), WRITE_INPUT.content);
    assert.match(await card.locator('button[data-request-action="allow"]').innerText(), /Allow\s*Alt\+A/);
    assert.match(await card.locator('button[data-request-action="deny"]').innerText(), /Deny…\s*Alt\+D/);
    assert.match(await card.locator('button[data-request-action="allowAlways"]').innerText(), /Always allow here\s*Alt\+W/);
    await see(frame.locator('section.run .state-waiting', { hasText: 'Waiting for you' }), 'state-waiting');

    // Everywhere else: the status bar counts the waiting agent, the tree says the workspace waits.
    await see(statusItem('1 agent waiting'), 'status-waiting');
    await see(treeRow(WORKSPACE_NAME).filter({ hasText: 'waiting' }), 'tree-waiting');

    // Deny asks for a message for the agent; Enter sends it.
    await card.locator('button[data-request-action="deny"]').click();
    const message = card.locator('.request-message-text');
    await see(message, 'deny-message');
    await message.fill('Not now: keep the worktree clean');
    await message.press('Enter');

    await see(statusItem('agent waiting'), 'deny-status-cleared', STEP_TIMEOUT_MS, 'hidden');
    await see(frame.locator('.run-requests .request'), 'deny-request-gone', STEP_TIMEOUT_MS, 'hidden');
    await frame
      .locator('.run-foot .state-succeeded')
      .waitFor({ timeout: RUN_TIMEOUT_MS })
      .catch((e) => fail('deny-succeeded', e));
    assert.equal(existsSync(join(workspace.path, 'notes.txt')), false, 'a denied Write writes nothing');
    assert.ok(heardByModel('Not now: keep the worktree clean'), 'the model got the denial with its message');
  });

  it('tells about a request while the panel is closed; Open shows it, Allow writes the file, which shows in the changes, and the count goes 1 → 0', async () => {
    let frame = await panel();
    // A slow model: the panel is closed before the agent asks.
    api.setDelay(4_000);
    await frame.locator('#prompt').fill('Please write notes.txt now');
    await frame.locator('#prompt').press('Control+Enter');
    await see(frame.locator('section.run').nth(1), 'second-run');
    const tab = page.locator('.tabs-container .tab', { hasText: `Agent · ${WORKSPACE_NAME}` });
    await tab.hover();
    await tab
      .locator('.tab-actions .action-label[aria-label^="Close"]')
      .click({ timeout: STEP_TIMEOUT_MS })
      .catch((e) => fail('close-tab', e));

    const toast = page.locator('.notification-toast', { hasText: `Agent in “${WORKSPACE_NAME}” asks:` });
    await toast.waitFor({ timeout: RUN_TIMEOUT_MS }).catch((e) => fail('toast', e));
    api.setDelay(0);
    await see(statusItem('1 agent waiting'), 'status-waiting-closed');
    await see(treeRow(WORKSPACE_NAME).filter({ hasText: 'waiting' }), 'tree-waiting-closed');
    await toast.locator('.monaco-button', { hasText: 'Open' }).first().click();

    // The panel again, with the request still waiting in its run.
    frame = await panel();
    const card = frame.locator('section.run').nth(1).locator('.run-requests .request.request-tool');
    await card.waitFor({ timeout: STEP_TIMEOUT_MS }).catch((e) => fail('request-reopened', e));
    assert.equal(await card.locator('.request-path').innerText(), 'notes.txt');
    assert.equal(existsSync(join(workspace.path, 'notes.txt')), false, 'nothing written before the answer');
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'grove-agent-request.png') });

    await card.locator('button[data-request-action="allow"]').click();

    // Answered: the count goes away at once, the card leaves, the run ends and the file is there.
    await see(statusItem('agent waiting'), 'status-cleared', STEP_TIMEOUT_MS, 'hidden');
    await see(frame.locator('.run-requests .request'), 'request-gone', STEP_TIMEOUT_MS, 'hidden');
    const run = frame.locator('section.run').nth(1);
    await run
      .locator('.run-foot .state-succeeded')
      .waitFor({ timeout: RUN_TIMEOUT_MS })
      .catch((e) => fail('succeeded', e));
    assert.equal(readFileSync(join(workspace.path, 'notes.txt'), 'utf8'), WRITE_INPUT.content);
    const tool = run.locator('details.tool', { hasText: 'Write' });
    await tool.locator('summary').click();
    assert.match(await tool.locator('pre.tool-result').innerText(), /File created successfully/);

    // The workspace's changes list the file.
    const wsRow = treeRow(WORKSPACE_NAME).filter({ hasText: '1 changed' });
    await see(wsRow, 'tree-changed', RUN_TIMEOUT_MS);
    assert.doesNotMatch(await wsRow.innerText(), /\bwaiting\b/);
    await wsRow.click();
    await see(treeRow('notes.txt'), 'tree-file');
    assert.equal(await statusItem('agent waiting').count(), 0);
    // One notification for the request, not repeated.
    assert.equal(await page.locator('.notification-toast', { hasText: 'asks:' }).count(), 0);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'grove-agent-request-allowed.png') });
  });

  it('asks a question with its options as buttons; the chosen one reaches the model', async () => {
    api.setTool({ name: 'AskUserQuestion', input: { questions: [QUESTION] } });
    const frame = await panel();
    await frame.locator('#permissionMode').selectOption('default');
    await frame.locator('#prompt').fill('Ask me which database to use');
    await frame.locator('#prompt').press('Control+Enter');
    const run = frame.locator('section.run').nth(2);
    const card = run.locator('.run-requests .request.request-question');
    await card.waitFor({ timeout: RUN_TIMEOUT_MS }).catch((e) => fail('question', e));
    assert.match(await card.locator('.question-text').innerText(), /Database\s+Which database should the app use\?/);
    await see(statusItem('1 agent waiting'), 'question-status');
    await card.locator('button.option', { hasText: 'SQLite' }).click();
    await see(statusItem('agent waiting'), 'question-status-cleared', STEP_TIMEOUT_MS, 'hidden');
    await run
      .locator('.run-foot .state-succeeded')
      .waitFor({ timeout: RUN_TIMEOUT_MS })
      .catch((e) => fail('question-succeeded', e));
    assert.ok(heardByModel('SQLite'), 'the model got the answer');
  });

  it('Alt+W always allows a Bash command here; Manage Always-Allow Rules lists the rule and removes it', async () => {
    api.setTool({ name: 'Bash', input: { command: 'touch made-by-agent.txt', description: 'Create a file' } });
    const frame = await panel();
    await frame.locator('#permissionMode').selectOption('default');
    await frame.locator('#prompt').fill('Make a file with touch');
    await frame.locator('#prompt').press('Control+Enter');
    const run = frame.locator('section.run').nth(3);
    const card = run.locator('.run-requests .request.request-tool');
    await card.waitFor({ timeout: RUN_TIMEOUT_MS }).catch((e) => fail('bash', e));
    // The command, as code the user may edit before allowing it.
    assert.equal(await card.locator('textarea.request-command').inputValue(), 'touch made-by-agent.txt');
    await card.locator('.request-title').click();
    await page.keyboard.press('Alt+KeyW');
    await see(statusItem('agent waiting'), 'bash-status-cleared', STEP_TIMEOUT_MS, 'hidden');
    await run
      .locator('.run-foot .state-succeeded')
      .waitFor({ timeout: RUN_TIMEOUT_MS })
      .catch((e) => fail('bash-succeeded', e));
    assert.ok(existsSync(join(workspace.path, 'made-by-agent.txt')), 'the allowed command ran');
    api.setTool(undefined);

    await runCommand('Grove: Manage Always-Allow Rules', 'Grove: Manage Always-Allow Rules', UI_TIMEOUT_MS).catch((e) => fail('rules-palette', e));
    await quickInput()
      .locator('.monaco-list-row', { hasText: WORKSPACE_NAME })
      .first()
      .click({ timeout: STEP_TIMEOUT_MS })
      .catch((e) => fail('rules-workspace', e));
    const rule = quickInput().locator('.monaco-list-row', { hasText: 'Bash: commands starting with “touch”' });
    await see(rule, 'rules-listed');
    await rule.click();
    await page.keyboard.press('Enter');
    await see(page.locator('.notification-toast', { hasText: `removed 1 rule of “${WORKSPACE_NAME}”; 0 left` }), 'rules-removed');
  });

  it('shows a plan as Markdown; Keep planning sends the feedback to the agent', async () => {
    api.setTool({ name: 'ExitPlanMode', input: { plan: PLAN } });
    const frame = await panel();
    await frame.locator('#permissionMode').selectOption('plan');
    await frame.locator('#prompt').fill('Plan the notes first');
    await frame.locator('#prompt').press('Control+Enter');
    const run = frame.locator('section.run').nth(4);
    const card = run.locator('.run-requests .request.request-plan');
    await card.waitFor({ timeout: RUN_TIMEOUT_MS }).catch((e) => fail('plan', e));
    await see(card.locator('.request-plan h2', { hasText: 'Notes plan' }), 'plan-markdown');
    assert.equal(await card.locator('.request-plan li').count(), 2);
    await see(statusItem('1 agent waiting'), 'plan-status');
    await card.locator('button[data-request-action="deny"]').click();
    await card.locator('.request-message-text').fill('Also plan a README line');
    await card.locator('button[data-request-action="denySend"]').click();
    await see(statusItem('agent waiting'), 'plan-status-cleared', STEP_TIMEOUT_MS, 'hidden');
    await run
      .locator('.run-foot .state-succeeded')
      .waitFor({ timeout: RUN_TIMEOUT_MS })
      .catch((e) => fail('plan-succeeded', e));
    assert.ok(heardByModel('Also plan a README line'), 'the model got the feedback');
    api.setTool(undefined);
  });

  it('steers a running agent from the composer: the message joins the same run and reaches the model', async () => {
    const frame = await panel();
    await frame.locator('#permissionMode').selectOption('acceptEdits');
    // A slow model: the run keeps running while the user writes.
    api.setDelay(5_000);
    await frame.locator('#prompt').fill('Take your time');
    await frame.locator('#prompt').press('Control+Enter');
    const runs = frame.locator('section.run');
    const run = runs.nth(5);
    await run
      .locator('.state-running')
      .waitFor({ timeout: RUN_TIMEOUT_MS })
      .catch((e) => fail('steer-running', e));
    await frame.locator('#prompt').fill('Also keep it short');
    await frame.locator('#prompt').press('Control+Enter');
    await see(run.locator('.sent', { hasText: 'Also keep it short' }), 'steer-sent');
    assert.equal(await runs.count(), 6, 'the message went to the running agent, not to a new run');
    assert.equal(await frame.locator('#prompt').inputValue(), '');
    await run
      .locator('.run-foot .state-succeeded')
      .waitFor({ timeout: RUN_TIMEOUT_MS })
      .catch((e) => fail('steer-succeeded', e));
    assert.ok(heardInMessages('Also keep it short'), 'the model got the message');
    assert.equal(await runs.count(), 6);
    api.setDelay(0);
  });

  it('interrupts a running agent (the run ends cancelled), and the next message starts a follow-up', async () => {
    const frame = await panel();
    api.setDelay(60_000);
    await frame.locator('#prompt').fill('Take all the time you need');
    await frame.locator('#prompt').press('Control+Enter');
    const runs = frame.locator('section.run');
    const run = runs.nth(6);
    await run
      .locator('.state-running')
      .waitFor({ timeout: RUN_TIMEOUT_MS })
      .catch((e) => fail('interrupt-running', e));
    // Interrupt and Cancel, side by side.
    await see(run.locator('button[data-action="cancel"]'), 'interrupt-cancel-button');
    await run.locator('button[data-action="interrupt"]').click();
    await run
      .locator('.state-cancelled')
      .waitFor({ timeout: STEP_TIMEOUT_MS })
      .catch((e) => fail('interrupted', e));
    await see(run.locator('.notice-grove', { hasText: 'Interrupted' }), 'interrupt-notice');
    api.setDelay(0);
    // The run no longer runs: the message starts a follow-up run.
    await frame.locator('#prompt').fill('Go on, please');
    await frame.locator('#prompt').press('Control+Enter');
    await runs
      .nth(7)
      .locator('.run-foot .state-succeeded')
      .waitFor({ timeout: RUN_TIMEOUT_MS })
      .catch((e) => fail('interrupt-follow-up', e));
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'grove-agent-interrupted.png') });
  });
});
