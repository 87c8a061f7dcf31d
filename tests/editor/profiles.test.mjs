// Real-editor test of auth profiles: an Ollama stand-in (`/api/tags` and the Messages API) the sidecar finds through GROVE_OLLAMA_URL; "Grove: Add Profile…" adds it from the palette with the detected URL, the Account view shows it and the claude-cli profile each with its status, and an agent run in the panel with that profile and its model `qwen3-coder` reaches the stand-in with its auth header and shows its answer.
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
  reportFailure,
  tempFolders,
  UI_TIMEOUT_MS,
  workbenchSteps,
} from './harness.mjs';
import { startMessagesApi } from './messagesApi.mjs';

const STEP_TIMEOUT_MS = 30_000;
/** A whole agent turn, CLI start included, on a busy machine. */
const RUN_TIMEOUT_MS = 120_000;
const WORKSPACE_NAME = 'profiles-test';
const MODEL = 'qwen3-coder';
const PROFILE_NAME = 'local';
const PROFILE_ID = `ollama:${PROFILE_NAME}`;
const ANSWER = 'Hello from the Ollama stand-in.';

describe('Auth profiles in a real editor: an Ollama profile added from the UI runs an agent (code-server + claude CLI)', { timeout: 10 * 60_000 }, () => {
  const tools = resolveTools();
  const { tempDir, signedInHome, removeAll } = tempFolders();
  const session = new EditorSession(tools);
  /** @type {Awaited<ReturnType<typeof startMessagesApi>> | undefined} */
  let ollama;
  let editor;
  let page;

  const fail = (name, error) =>
    reportFailure({
      page,
      editor,
      name: `profiles-${name}`,
      error,
      toasts: true,
      details: () => ({
        'stand-in': `${ollama?.tagRequests()} /api/tags requests; Messages API requests for models: ${JSON.stringify(ollama?.requests.map((b) => b?.model))}`,
      }),
    });
  const { quickInput, see, pick, runCommandWhenReady: runCommand, accountRow } = workbenchSteps({ page: () => page, fail, timeout: STEP_TIMEOUT_MS });

  /** Waits for the input box of the add flow's step `n` of `of`, then returns its input. */
  async function step(n, of, name) {
    await see(quickInput().locator('.quick-input-title', { hasText: `(${n}/${of})` }), name);
    return quickInput().locator('.quick-input-box input');
  }

  before(async () => {
    ollama = await startMessagesApi({ finalText: ANSWER, tags: [MODEL] });
    const home = signedInHome('grove-profiles-home-');
    const stateDir = join(tempDir('grove-profiles-state-'), 'state');
    const repo = gitRepository(tempDir('grove-profiles-repo-'));
    const env = {
      ...minimalEnv(tools),
      HOME: home,
      GROVE_STATE_DIR: stateDir,
      // The sidecar looks for Ollama here; nothing answers where LM Studio is looked for.
      GROVE_OLLAMA_URL: ollama.url,
      GROVE_LMSTUDIO_URL: 'http://127.0.0.1:9',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    };
    await createWorkspace(env, repo, tools.claude, WORKSPACE_NAME);
    ({ editor, page } = await session.start(
      { folder: repo, home, env },
      { viewport: { width: 1280, height: 860 }, failure: { name: 'profiles-start', toasts: true } },
    ));
  });

  after(async () => {
    await session.close();
    await ollama?.close();
    removeAll();
  });

  it('adds an Ollama profile from "Grove: Add Profile…" with the detected URL; the Account view shows each profile with its status', async () => {
    await runCommand('Grove: Add Profile', 'Grove: Add Profile', UI_TIMEOUT_MS).catch((e) => fail('palette', e));
    await pick('Ollama', 'kind');

    // The URL box is filled with where the sidecar detected the stand-in.
    const url = await step(1, 3, 'url');
    assert.equal(await url.inputValue(), ollama.url);
    await url.press('Enter');
    // The key box: a password box, left empty (the stand-in needs none).
    const secret = await step(2, 3, 'secret');
    assert.equal(await secret.getAttribute('type'), 'password');
    await secret.press('Enter');
    const name = await step(3, 3, 'name');
    assert.equal(await name.inputValue(), 'default');
    await name.fill(PROFILE_NAME);
    await name.press('Enter');

    // The Account view lists Ollama with the new profile, and Anthropic with the CLI's own sign-in.
    await see(accountRow('Ollama'), 'account-provider', STEP_TIMEOUT_MS);
    const added = accountRow(PROFILE_NAME).filter({ hasText: ollama.url.replace(/^http:\/\//, '') });
    await see(added, 'account-profile');
    // A reachable endpoint is "ok" or "no expiry" (static), with that status's icon.
    const addedText = await added.innerText();
    assert.match(addedText, /\bok\b|no expiry/);
    const addedIcon = /no expiry/.test(addedText) ? '.codicon-key' : '.codicon-pass';
    assert.equal(await added.locator(addedIcon).count(), 1, `the icon of its status (${addedIcon})`);
    // The CLI's own sign-in (the home has claude.ai credentials): its own status and icon.
    const cli = accountRow('claude-cli');
    await see(cli, 'account-cli');
    assert.match(await cli.innerText(), /\bok\b/);
    assert.equal(await cli.locator('.codicon-pass').count(), 1, 'the ok icon of the signed-in CLI');
    assert.ok(ollama.tagRequests() > 0, 'the sidecar asked the stand-in for its models');
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'grove-profiles-account.png') });
  });

  it('runs an agent with the Ollama profile and its model: the stand-in gets the model and the auth header, the panel shows its answer', async () => {
    await runCommand('Grove: Run Agent', 'Grove: Run Agent', UI_TIMEOUT_MS).catch((e) => fail('run-agent', e));
    await pick(WORKSPACE_NAME, 'run-agent-workspace');
    const frame = await agentPanelFrame(page, UI_TIMEOUT_MS);
    assert.ok(frame, 'the agent panel opened');
    await frame
      .locator('#runs p.empty')
      .waitFor({ timeout: STEP_TIMEOUT_MS })
      .catch((e) => fail('panel', e));

    // The profile picker lists the new profile; choosing it offers the models the endpoint serves.
    assert.equal(await frame.locator('#profile option').first().innerText(), 'Automatic (workspace default or provider order)');
    await frame
      .locator(`#profile option[value="${PROFILE_ID}"]`)
      .waitFor({ state: 'attached', timeout: STEP_TIMEOUT_MS })
      .catch((e) => fail('profile-option', e));
    await frame.locator('#profile').selectOption(PROFILE_ID);
    assert.deepEqual(await frame.locator('#model option').allInnerTexts(), [MODEL]);
    await frame.locator('#model').selectOption(MODEL);

    const before = ollama.requests.length;
    await frame.locator('#prompt').fill('Please write notes.txt');
    await frame.locator('#prompt').press('Control+Enter');
    const run = frame.locator('section.run').first();
    await run
      .locator('.md p', { hasText: ANSWER })
      .waitFor({ timeout: RUN_TIMEOUT_MS })
      .catch((e) => fail('answer', e));
    await run
      .locator('.run-foot .state-succeeded')
      .waitFor({ timeout: RUN_TIMEOUT_MS })
      .catch((e) => fail('succeeded', e));
    // The run says which profile and model it used.
    const meta = await run.locator('.run-foot .run-meta').innerText();
    assert.match(meta, new RegExp(PROFILE_ID));
    assert.match(meta, new RegExp(MODEL));

    // The stand-in got the run's requests, for the chosen model, with the endpoint's auth header.
    const sent = ollama.requests.slice(before);
    const headers = ollama.headers.slice(before);
    const i = sent.findIndex((b) => b?.model === MODEL);
    assert.ok(i >= 0, `a request for ${MODEL}: ${JSON.stringify(sent.map((b) => b?.model))}`);
    const auth = headers[i] ?? {};
    assert.ok(
      auth.authorization === 'Bearer ollama' || auth['x-api-key'] !== undefined,
      `the auth header: ${JSON.stringify({ authorization: auth.authorization, xApiKey: auth['x-api-key'] })}`,
    );
    await run.scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'grove-profiles-run.png') });
  });
});
