// Real-editor test of Codex: code-server with the Grove .vsix and the real codex CLI against loopback stand-ins of OpenAI (the Responses API and the OAuth token endpoint); "Grove: Add Profile…" → "ChatGPT sign-in (Codex)" → name "team" signs in through the paste path (the callback port is held busy), the Account view shows `openai-codex:team` ok under "ChatGPT (Codex)", and an agent run in the panel with that profile shows the stand-in's shell command as a tool call and its final text; no pasted code or token in any log.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { minimalEnv, resolveTools } from './codeServer.mjs';
import {
  agentPanelFrame,
  ARTIFACTS,
  createWorkspace,
  EditorSession,
  findFiles,
  gitRepository,
  reportFailure,
  tempFolders,
  UI_TIMEOUT_MS,
  workbenchSteps,
  pinnedCodexCli,
} from './harness.mjs';
import { ACCOUNT_ID, startResponsesApi, startTokenEndpoint } from './openaiStandIns.mjs';

const STEP_TIMEOUT_MS = 30_000;
/** A whole agent turn, CLI start included, on a busy machine. */
const RUN_TIMEOUT_MS = 120_000;
const WORKSPACE_NAME = 'codex-test';
const PROFILE_NAME = 'team';
const PROFILE_ID = `openai-codex:${PROFILE_NAME}`;
/** The authorization code pasted back: the token stand-in takes codes that start with "good". */
const CODE = 'good-EDITORCODE-7Q4';
const COMMAND = 'echo hi-from-codex > from-codex.txt && cat from-codex.txt';
const FINAL_TEXT = 'Codex ran the command.';
/** The first part of every fake token the stand-in gives (`{"alg":"none","typ":"JWT"}`). */
const JWT_HEADER = 'eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0';

/** A loopback port held busy until `close()`: the sidecar cannot listen for the browser there, so the sign-in asks for a paste. */
function busyPort() {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => socket.destroy());
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      resolve({ port, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

/** The run records the sidecar keeps in the state folder, oldest first. */
function runsOnDisk(stateDir) {
  const dir = join(stateDir, 'runs');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')).run)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

describe('Codex in a real editor: a ChatGPT sign-in by paste, then a Codex run in the agent panel (code-server + codex CLI)', { timeout: 10 * 60_000 }, () => {
  const tools = resolveTools();
  const codex = pinnedCodexCli();
  const { tempDir, signedInHome, removeAll } = tempFolders();
  const session = new EditorSession(tools);
  /** @type {Awaited<ReturnType<typeof startResponsesApi>> | undefined} */
  let api;
  /** @type {Awaited<ReturnType<typeof startTokenEndpoint>> | undefined} */
  let auth;
  /** @type {Awaited<ReturnType<typeof busyPort>> | undefined} */
  let callback;
  let editor;
  let page;
  let stateDir;
  let repo;

  const fail = (name, error) =>
    reportFailure({
      page,
      editor,
      name: `codex-${name}`,
      error,
      toasts: true,
      details: () => {
        const runs = stateDir ? runsOnDisk(stateDir).map((r) => `${r.runId} ${r.state} ${r.profile ?? ''} ${r.error ?? ''}`) : [];
        const latest = stateDir ? runsOnDisk(stateDir).at(-1) : undefined;
        if (latest) {
          const transcript = join(stateDir, 'runs', `${latest.runId}.jsonl`);
          const lines = existsSync(transcript) ? readFileSync(transcript, 'utf8').trim().split('\n') : [];
          runs.push('transcript of the latest run:', ...lines.slice(-10).map((l) => l.slice(0, 400)));
        }
        return {
          'stand-ins': `token requests: ${JSON.stringify(auth?.requests.map((r) => [r.path, r.form.grant_type]))}; API requests: ${JSON.stringify(api?.requests.map((r) => `${r.method} ${r.path}`))}`,
          runs: runs.join('\n'),
        };
      },
    });
  const { quickInput, see, click, pick, runCommandWhenReady: runCommand, accountRow } = workbenchSteps({ page: () => page, fail, timeout: STEP_TIMEOUT_MS });

  before(async () => {
    api = await startResponsesApi({ command: COMMAND, finalText: FINAL_TEXT });
    auth = await startTokenEndpoint({ goodPrefix: 'good' });
    callback = await busyPort();
    const home = signedInHome('grove-codex-home-');
    stateDir = join(tempDir('grove-codex-state-'), 'state');
    repo = gitRepository(tempDir('grove-codex-repo-'));
    const env = {
      ...minimalEnv(tools),
      HOME: home,
      GROVE_STATE_DIR: stateDir,
      // The Responses API and the ChatGPT backend, the OAuth server, and a callback port that is taken.
      GROVE_OPENAI_API_URL: api.url,
      GROVE_OPENAI_AUTH_URL: auth.url,
      GROVE_OPENAI_CALLBACK_PORT: String(callback.port),
      // Nothing answers where local model servers are looked for.
      GROVE_OLLAMA_URL: 'http://127.0.0.1:9',
      GROVE_LMSTUDIO_URL: 'http://127.0.0.1:9',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    };
    await createWorkspace(env, repo, tools.claude, WORKSPACE_NAME);
    ({ editor, page } = await session.start(
      { folder: repo, home, env, settings: { 'grove.codexPath': codex } },
      { viewport: { width: 1280, height: 860 }, failure: { name: 'codex-start', toasts: true } },
    ));
  });

  after(async () => {
    await session.close();
    await api?.close();
    await auth?.close();
    await callback?.close();
    removeAll();
  });

  it('signs in to ChatGPT from "Grove: Add Profile…" by pasting the address the browser ends on; the Account view shows openai-codex:team ok', async () => {
    await runCommand('Grove: Add Profile', 'Grove: Add Profile', UI_TIMEOUT_MS).catch((e) => fail('palette', e));
    await pick('ChatGPT sign-in (Codex)', 'kind');
    const name = quickInput().locator('.quick-input-box input');
    await see(quickInput().locator('.quick-input-title', { hasText: 'ChatGPT sign-in (Codex)' }), 'name-box');
    assert.equal(await name.inputValue(), 'default');
    await name.fill(PROFILE_NAME);
    await name.press('Enter');

    // One notification guides the sign-in; the Account view shows it with its link.
    const guide = page.locator('.notification-toast', { hasText: `Sign in to ChatGPT (${PROFILE_ID})` });
    await see(guide, 'guide');
    assert.deepEqual(await guide.locator('.monaco-button').allInnerTexts(), ['Open Browser', 'Copy Link', 'Paste Code']);
    // What it waits for, short (the sentence is the row's tooltip).
    await see(accountRow('Waiting for the address'), 'signing-in-row');
    const link = accountRow('Open in browser');
    await see(link, 'link-row');
    const linkText = await link.innerText();
    assert.ok(linkText.includes(`${auth.url}/oauth/authorize?`), `the authorize address of the stand-in: ${linkText}`);
    const state = /[?&]state=([^&\s]+)/.exec(linkText)?.[1];
    assert.ok(state, `a state in ${linkText}`);
    assert.match(linkText, /code_challenge_method=S256/);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'grove-codex-sign-in.png') });

    // The paste box: a password box; the address the browser ended on goes to the sidecar.
    await click(guide.locator('.monaco-button', { hasText: 'Paste Code' }), 'guide-paste');
    const input = quickInput().locator('input[type="password"]');
    await see(input, 'paste-box');
    await see(quickInput().locator('.quick-input-title', { hasText: 'Paste the address the browser ended on' }), 'paste-title');
    await input.fill(`http://localhost:${callback.port}/auth/callback?code=${CODE}&scope=openid&state=${state}`);
    await page.keyboard.press('Enter');

    // The code was exchanged, with the verifier, and the profile is there, ok, under ChatGPT (Codex).
    await see(accountRow('ChatGPT (Codex)'), 'provider-row', STEP_TIMEOUT_MS);
    // Under "ChatGPT (Codex)", next to the codex CLI's own sign-in.
    const team = accountRow(PROFILE_NAME).filter({ hasText: /expires in/ });
    await see(team, 'profile-row', STEP_TIMEOUT_MS);
    assert.match(await team.innerText(), /ok · expires in/);
    assert.equal(await team.locator('.codicon-pass').count(), 1, 'the ok icon');
    await see(accountRow('Open in browser'), 'sign-in-rows-gone', STEP_TIMEOUT_MS, 'detached');
    const exchange = auth.requests.find((r) => r.form.grant_type === 'authorization_code');
    assert.ok(exchange, 'the token endpoint got the code');
    assert.equal(exchange.form.code, CODE);
    assert.ok((exchange.form.code_verifier ?? '').length >= 43, 'with the PKCE verifier');
    assert.equal(exchange.form.redirect_uri, `http://localhost:${callback.port}/auth/callback`);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'grove-codex-account.png') });
  });

  it('runs a Codex agent with the profile: the command shows as a tool call, then the final text', async () => {
    await runCommand('Grove: Run Agent', 'Grove: Run Agent', UI_TIMEOUT_MS).catch((e) => fail('run-agent', e));
    await pick(WORKSPACE_NAME, 'run-agent-workspace');
    const frame = await agentPanelFrame(page, UI_TIMEOUT_MS);
    assert.ok(frame, 'the agent panel opened');
    await frame
      .locator('#runs p.empty')
      .waitFor({ timeout: STEP_TIMEOUT_MS })
      .catch((e) => fail('panel', e));
    // The composer's pickers go agent → profile → model: Codex first, then its profile.
    await frame
      .locator('#agent option[value="codex"]')
      .waitFor({ state: 'attached', timeout: STEP_TIMEOUT_MS })
      .catch((e) => fail('agent-option', e));
    await frame.locator('#agent').selectOption('codex');
    await frame
      .locator(`#profile option[value="${PROFILE_ID}"]`)
      .waitFor({ state: 'attached', timeout: STEP_TIMEOUT_MS })
      .catch((e) => fail('profile-option', e));
    await frame.locator('#profile').selectOption(PROFILE_ID);
    // The codex CLI picks its model: no Claude alias is offered.
    assert.deepEqual(await frame.locator('#model option').allInnerTexts(), ['Default model (codex)']);

    await frame.locator('#prompt').fill('Please run the command.');
    await frame.locator('#prompt').press('Control+Enter');
    const run = frame.locator('section.run').first();
    const tool = run.locator('details.tool', { hasText: 'Bash' });
    await tool.waitFor({ timeout: RUN_TIMEOUT_MS }).catch((e) => fail('tool', e));
    await run
      .locator('.md p', { hasText: FINAL_TEXT })
      .waitFor({ timeout: RUN_TIMEOUT_MS })
      .catch((e) => fail('answer', e));
    await run
      .locator('.run-foot .state-succeeded')
      .waitFor({ timeout: RUN_TIMEOUT_MS })
      .catch((e) => fail('succeeded', e));
    assert.match(await tool.innerText(), /hi-from-codex/);
    await tool.locator('summary').click();
    assert.match(await tool.locator('pre.tool-input').innerText(), /echo hi-from-codex/);
    assert.match(await tool.locator('pre.tool-result').innerText(), /hi-from-codex/);
    assert.match(await run.locator('.run-foot .run-meta').innerText(), new RegExp(PROFILE_ID));

    // The stand-in got the run's requests with the signed-in account's token and id.
    const sent = api.responseRequests();
    assert.ok(sent.length >= 2, `a request before and after the command: ${sent.length}`);
    for (const r of sent) {
      assert.match(String(r.headers.authorization ?? ''), /^Bearer \S+\.\S+\.sig$/);
      assert.equal(r.headers['chatgpt-account-id'], ACCOUNT_ID);
    }
    // The command ran in the workspace's worktree, not in the repository.
    assert.ok(!existsSync(join(repo, 'from-codex.txt')), 'the main checkout is untouched');
    const [latest] = runsOnDisk(stateDir).slice(-1);
    assert.equal(latest?.profile, PROFILE_ID);
    await run.scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'grove-codex-run.png') });
  });

  it('writes no pasted code or token to the Grove output channel or any log', async () => {
    const logs = join(editor.root, 'user-data', 'logs');
    const channels = findFiles(logs, /Grove\.log$/);
    assert.ok(channels.length > 0, `the Grove output channel is stored under ${logs}`);
    const groveText = channels.map((f) => readFileSync(f, 'utf8')).join('\n');
    assert.match(groveText, /sign-in login-codex-\d+ succeeded/);
    assert.match(groveText, /the pasted address was sent to the sidecar/);
    for (const file of findFiles(logs, /./)) {
      const text = readFileSync(file, 'utf8');
      // The fake tokens all start with the same JWT header.
      for (const secret of [CODE, 'rt_FAKE_editor_refresh', JWT_HEADER]) assert.ok(!text.includes(secret), `${file} contains ${secret}`);
    }
    assert.ok(!editor.log().includes(CODE), 'the code-server log contains the code');
  });
});
