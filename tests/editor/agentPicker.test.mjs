// Real-editor test of the composer's agent picker (issue 21, row 7): code-server with the Grove .vsix, the real claude CLI and the real codex CLI (grove.codexPath) against a loopback Responses API; the composer lists the agents the sidecar found (Claude Code, Codex); choosing Codex offers only its profiles and its default model, and hides what it cannot do (steering a running turn, permission requests and plans), and a Codex run shows its command and its text, with tokens and no Interrupt; codexPath pointed at a missing file makes Codex "not found", with its install hint and "Set path…", which opens the setting.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { minimalEnv, resolveTools } from './codeServer.mjs';
import {
  agentPanelFrame,
  ARTIFACTS,
  createWorkspace,
  EditorSession,
  gitRepository,
  pinnedCodexCli,
  reportFailure,
  tempFolders,
  UI_TIMEOUT_MS,
  workbenchSteps,
  withSidecar,
} from './harness.mjs';
import { startResponsesApi } from './openaiStandIns.mjs';

const STEP_TIMEOUT_MS = 30_000;
/** A whole agent turn, CLI start included, on a busy machine. */
const RUN_TIMEOUT_MS = 120_000;
const WORKSPACE_NAME = 'picker-test';
/** An OpenAI API key profile, which Codex runs with (the stand-in takes any key). */
const PROFILE_ID = 'openai:picker';
const COMMAND = 'echo hi-from-picker > picked.txt && cat picked.txt';
const FINAL_TEXT = 'Codex ran it from the picker.';

/** Adds an auth profile with the sidecar binary itself, before the editor starts (see `withSidecar`). */
function addProfile(env, params) {
  return withSidecar(env, {}, 'adding the profile', (c) => c.sendRequest('grove/profiles/add', params));
}

describe('The agent picker in a real editor: agents found, Codex chosen, a missing CLI (code-server + claude and codex CLIs)', { timeout: 10 * 60_000 }, () => {
  const tools = resolveTools();
  const codex = pinnedCodexCli();
  const { tempDir, signedInHome, removeAll } = tempFolders();
  const session = new EditorSession(tools);
  /** @type {Awaited<ReturnType<typeof startResponsesApi>> | undefined} */
  let api;
  let editor;
  let page;
  let frame;

  const fail = (name, error) =>
    reportFailure({
      page,
      editor,
      name: `agent-picker-${name}`,
      error,
      toasts: true,
      details: () => ({ 'stand-in': `API requests: ${JSON.stringify(api?.requests.map((r) => `${r.method} ${r.path}`))}` }),
    });
  const { see, pick, runCommandWhenReady: runCommand } = workbenchSteps({ page: () => page, fail, timeout: STEP_TIMEOUT_MS });
  const options = (select) => frame.locator(`${select} option`);
  const optionValues = async (select) => options(select).evaluateAll((all) => all.map((o) => /** @type {HTMLOptionElement} */ (o).value));

  before(async () => {
    api = await startResponsesApi({ command: COMMAND, finalText: FINAL_TEXT });
    const home = signedInHome('grove-picker-home-');
    const stateDir = join(tempDir('grove-picker-state-'), 'state');
    const repo = gitRepository(tempDir('grove-picker-repo-'));
    const env = {
      ...minimalEnv(tools),
      HOME: home,
      GROVE_STATE_DIR: stateDir,
      GROVE_OPENAI_API_URL: api.url,
      // Nothing answers where local model servers are looked for.
      GROVE_OLLAMA_URL: 'http://127.0.0.1:9',
      GROVE_LMSTUDIO_URL: 'http://127.0.0.1:9',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    };
    await createWorkspace(env, repo, tools.claude, WORKSPACE_NAME);
    await addProfile(env, { provider: 'openai', name: 'picker', type: 'api_key', secret: 'sk-proj-PICKERtest0123456789abcdefABCDEF' });
    ({ editor, page } = await session.start(
      { folder: repo, home, env, settings: { 'grove.codexPath': codex } },
      { viewport: { width: 1280, height: 860 }, failure: { name: 'agent-picker-start', toasts: true } },
    ));
  });

  after(async () => {
    await session.close();
    await api?.close();
    removeAll();
  });

  it('lists the agents the sidecar found: Claude Code and Codex, Claude Code chosen with all its controls', async () => {
    await runCommand('Grove: Run Agent', 'Grove: Run Agent', UI_TIMEOUT_MS).catch((e) => fail('run-agent', e));
    await pick(WORKSPACE_NAME, 'run-agent-workspace');
    frame = await agentPanelFrame(page, UI_TIMEOUT_MS);
    assert.ok(frame, 'the agent panel opened');
    await see(frame.locator('#runs p.empty'), 'panel');
    await see(frame.locator('#agent option[value="codex"]'), 'agent-options', STEP_TIMEOUT_MS, 'attached');
    assert.deepEqual(await options('#agent').allInnerTexts(), ['Claude Code', 'Codex', 'Gemini CLI (not found)', 'opencode (not found)']);
    // No run yet, no default profile: the first agent, with every permission mode and the steering hint.
    assert.equal(await frame.locator('#agent').inputValue(), 'claude');
    assert.deepEqual(await optionValues('#permissionMode'), ['acceptEdits', 'default', 'plan', 'bypassPermissions']);
    assert.match((await frame.locator('#prompt').getAttribute('placeholder')) ?? '', /a message steers it/);
    assert.deepEqual(await options('#model').allInnerTexts(), ['Default model', 'Sonnet', 'Opus', 'Haiku']);
    assert.ok(!(await optionValues('#profile')).includes(PROFILE_ID), 'Claude Code is not offered the OpenAI profile');
    assert.equal(await frame.locator('#agent-hint').isVisible(), false);
    await page.screenshot({ path: join(ARTIFACTS, 'grove-agent-picker-agents.png') });
  });

  it('choosing Codex offers its profiles and default model only, hides steering and permission requests, and a run works', async () => {
    await frame.locator('#agent').selectOption('codex');
    assert.deepEqual(await optionValues('#permissionMode'), ['acceptEdits', 'bypassPermissions']);
    assert.doesNotMatch((await frame.locator('#prompt').getAttribute('placeholder')) ?? '', /steer/);
    const profiles = await optionValues('#profile');
    assert.ok(profiles.includes(PROFILE_ID), `the OpenAI profile is offered: ${profiles.join(', ')}`);
    assert.deepEqual(
      profiles.filter((p) => p !== '' && !p.startsWith('openai')),
      [],
      'only the profiles Codex can run with',
    );
    await frame.locator('#profile').selectOption(PROFILE_ID);
    assert.deepEqual(await options('#model').allInnerTexts(), ['Default model (codex)']);

    await frame.locator('#prompt').fill('Please run the command from the picker.');
    await frame.locator('#prompt').press('Control+Enter');
    const run = frame.locator('section.run').first();
    await see(run.locator('details.tool', { hasText: 'Bash' }), 'tool', RUN_TIMEOUT_MS);
    await see(run.locator('.md p', { hasText: FINAL_TEXT }), 'answer', RUN_TIMEOUT_MS);
    await see(run.locator('.run-foot .state-succeeded'), 'succeeded', RUN_TIMEOUT_MS);
    const meta = run.locator('.run-foot .run-meta');
    assert.match(await meta.innerText(), /Codex/);
    assert.match(await meta.innerText(), new RegExp(PROFILE_ID));
    // Codex tells tokens, not money; it takes no Interrupt and asks nothing (no Allow/Deny card).
    assert.equal(await meta.locator('.tokens').count(), 1);
    assert.equal(await meta.locator('.cost').count(), 0);
    assert.equal(await run.locator('button[data-action="interrupt"]').count(), 0);
    assert.equal(await run.locator('.request').count(), 0);
    assert.ok(api.responseRequests().length >= 2, 'the codex CLI asked the stand-in before and after the command');
    await run.scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'grove-agent-picker-codex-run.png') });
  });

  it('shows the install hint of a CLI that is not found, with "Set path…" opening its setting', async () => {
    editor.updateSettings({ 'grove.codexPath': join(tempDir('grove-picker-nocodex-'), 'codex') });
    // The sidecar tells the new list (agents/changed); the composer keeps Codex chosen, now not found.
    await see(frame.locator('#agent option[value="codex"]', { hasText: 'Codex (not found)' }), 'codex-not-found', UI_TIMEOUT_MS, 'attached');
    assert.equal(await frame.locator('#agent').inputValue(), 'codex');
    const hint = frame.locator('#agent-hint');
    await see(hint, 'install-hint');
    assert.match(await hint.innerText(), /Codex was not found\. Install it .*grove\.codexPath/);
    await frame.locator('#prompt').fill('This cannot run.');
    assert.equal(await frame.locator('#send').isDisabled(), true, 'Send waits for the CLI');
    await page.screenshot({ path: join(ARTIFACTS, 'grove-agent-picker-not-found.png') });

    await hint.locator('button', { hasText: 'Set path…' }).click();
    await see(page.locator('.settings-editor'), 'settings-editor', UI_TIMEOUT_MS);
    await see(page.locator('.settings-editor .setting-item-contents', { hasText: 'codex' }).first(), 'codex-setting', UI_TIMEOUT_MS);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'grove-agent-picker-set-path.png') });
  });
});
