// Real-editor test of a sign-in state that is always true: a signed-out home says "Sign in" (never "again") everywhere, an agent run there needs sign-in, and credentials written by another process flip every view (status bar, Account, Workspaces tree, agent panel) to signed in within 2 s, leaving the run's callout with "Signed in — Retry" only; Retry then goes through.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { minimalEnv, resolveTools } from './codeServer.mjs';
import { writeCredentials } from './credentials.mjs';
import {
  agentPanelFrame,
  ARTIFACTS,
  createWorkspace,
  EditorSession,
  gitRepository,
  reportFailure,
  tempFolders,
  UI_TIMEOUT_MS,
  workbenchSteps,
} from './harness.mjs';
import { startMessagesApi } from './messagesApi.mjs';

const STEP_TIMEOUT_MS = 30_000;
/** A whole agent turn, CLI start included, on a busy machine. */
const RUN_TIMEOUT_MS = 120_000;
/** The promise: every view shows new credentials within 2 s, without a manual check. */
const FLIP_MS = 2_000;
const WORKSPACE_NAME = 'signed-out';

describe('Sign-in state in a real editor, from a signed-out home (code-server + claude CLI)', { timeout: 10 * 60_000 }, () => {
  const tools = resolveTools();
  const { tempDir, removeAll } = tempFolders();
  const session = new EditorSession(tools);
  let api;
  let editor;
  let page;
  let home;

  const fail = (name, error) => reportFailure({ page, editor, name: `sign-in-state-${name}`, error, toasts: true });
  const { sidebar, statusItem, see, click, pick, runCommand, accountPane } = workbenchSteps({ page: () => page, fail, timeout: STEP_TIMEOUT_MS });

  before(async () => {
    api = await startMessagesApi();
    home = tempDir('grove-signed-out-home-');
    const stateDir = join(tempDir('grove-signed-out-state-'), 'state');
    const repo = gitRepository(tempDir('grove-signed-out-repo-'));
    // No API key and no credentials: the CLI is not signed in. Once it is, it talks to the loopback API.
    const env = { ...minimalEnv(tools), HOME: home, GROVE_STATE_DIR: stateDir, ANTHROPIC_BASE_URL: api.url, CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1' };
    await createWorkspace(env, repo, tools.claude, WORKSPACE_NAME);
    ({ editor, page } = await session.start({ folder: repo, home, env }, { failure: { name: 'sign-in-state-start', toasts: true } }));
  });

  after(async () => {
    await session.close();
    await api?.close();
    removeAll();
  });

  it('says "Sign in" (not "again") in the status bar and the Account view of a signed-out home', async () => {
    await see(statusItem('Claude: Sign in'), 'status', UI_TIMEOUT_MS);
    await click(statusItem('Claude: Sign in'), 'status-click');
    const welcome = accountPane().locator('.welcome-view-content');
    await see(welcome.locator('.monaco-button', { hasText: 'Sign in to Claude' }), 'welcome');
    assert.match(await welcome.innerText(), /You are not signed in/);
    assert.doesNotMatch(await accountPane().innerText(), /again/i);
    assert.doesNotMatch(await statusItem('Claude:').innerText(), /again/i);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'grove-signed-out-home.png') });
  });

  it('runs an agent that needs sign-in: the callout asks to sign in, and nothing says "again"', async () => {
    await runCommand('Grove: Run Agent…', 'run-agent');
    await pick(WORKSPACE_NAME, 'run-agent-workspace');
    const frame = await agentPanelFrame(page, UI_TIMEOUT_MS);
    assert.ok(frame, 'the agent panel opened');
    await frame
      .locator('#runs p.empty')
      .waitFor({ timeout: STEP_TIMEOUT_MS })
      .catch((e) => fail('panel', e));
    await frame.locator('#prompt').fill('Write notes.txt, please');
    await frame.locator('#prompt').press('Control+Enter');
    const callout = frame.locator('.callout-auth');
    await callout.waitFor({ timeout: RUN_TIMEOUT_MS }).catch((e) => fail('callout', e));
    assert.match(await callout.locator('.callout-title').innerText(), /Claude needs you to sign in/);
    // The failure is recorded, but someone who never signed in is still asked to "Sign in".
    await page.waitForTimeout(1_500);
    assert.match(await statusItem('Claude:').innerText(), /Claude: Sign in$/);
    assert.equal(await page.locator('.notification-toast', { hasText: /sign in again/i }).count(), 0);
    await see(sidebar().locator('.monaco-list-row', { hasText: WORKSPACE_NAME }).filter({ hasText: 'needs sign-in' }), 'tree-needs-sign-in');
  });

  it('flips every view to signed in within 2 s of credentials written by another process; the callout offers Retry only', async () => {
    const frame = await agentPanelFrame(page, STEP_TIMEOUT_MS);
    const written = Date.now();
    writeCredentials(home);
    await see(statusItem('Claude: Max'), 'flip-status', FLIP_MS + 1_000);
    const statusMs = Date.now() - written;
    await see(accountPane().locator('.monaco-list-row', { hasText: 'Signed in · Claude Max' }), 'flip-account', 1_000);
    const ok = frame.locator('.callout-ok');
    await ok.waitFor({ timeout: 1_000 }).catch((e) => fail('flip-callout', e));
    // The Workspaces tree follows the same status.
    await see(sidebar().locator('.monaco-list-row', { hasText: WORKSPACE_NAME }).filter({ hasText: 'retry' }), 'flip-tree', 1_000);
    const allMs = Date.now() - written;
    assert.ok(statusMs <= FLIP_MS, `the status bar flipped after ${statusMs} ms`);
    assert.ok(allMs <= FLIP_MS + 500, `every view flipped after ${allMs} ms`);
    assert.equal(await ok.locator('.callout-title').innerText(), 'Signed in — Retry');
    assert.equal(await frame.locator('.callout-auth').count(), 0);
    assert.doesNotMatch(await frame.locator('section.run').last().innerText(), /needs you to sign in/);
    assert.deepEqual(await ok.locator('button').allInnerTexts(), ['Retry']);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'grove-signed-in-retry.png') });

    // Retry sends the prompt again, and it goes through now.
    await ok.locator('button', { hasText: 'Retry' }).click();
    await frame
      .locator('section.run')
      .nth(1)
      .locator('.state-succeeded')
      .waitFor({ timeout: RUN_TIMEOUT_MS })
      .catch((e) => fail('retry', e));
  });
});
