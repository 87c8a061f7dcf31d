// Real-editor test of issue 22's acceptance row 6: code-server with the Grove .vsix, the real Gemini CLI and opencode (pinned by tests/tools.sh) against loopback stand-ins (geminiApi.mjs, chatApi.mjs). An inherited OPENAI_API_KEY is offered once as a profile (Not Now); "Grove: Add Profile…" → "Gemini API key" takes the stand-in as its optional base URL; the composer with Gemini CLI says it does not ask before editing, and its run shows the write_file tool call and the answer; an Ollama profile (detected at the chat stand-in) runs opencode the same way; the Workspaces tree names opencode as the agent of the latest run; the Account view offers the Gemini CLI's own sign-in in a terminal.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { minimalEnv, REPO_ROOT, resolveTools } from './codeServer.mjs';
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
} from './harness.mjs';
import { KEY as GEMINI_KEY, startGeminiApi, WRITTEN as GEMINI_WRITTEN } from './geminiApi.mjs';
import { MODEL as CHAT_MODEL, startChatApi, WRITTEN as CHAT_WRITTEN } from './chatApi.mjs';

const STEP_TIMEOUT_MS = 45_000;
/** A whole agent turn, the CLI's start included (a Node CLI starts slowly on a busy machine). */
const RUN_TIMEOUT_MS = 180_000;
const WORKSPACE_NAME = 'more-agents';
const GEMINI_PROFILE = 'studio';
const OLLAMA_PROFILE = 'local';
/** The word in a prompt that makes either stand-in's model write hello.txt. */
const TRIGGER = 'ZZWRITE';
const GEMINI_ANSWER = 'Gemini wrote hello.txt.';
const OPENCODE_ANSWER = 'opencode wrote hello.txt.';
/** An inherited key: offered as a profile, never passed to an agent. */
const INHERITED = 'sk-inherited-MUST-NOT-REACH-A-CHILD-0000';

/** The pinned Gemini CLI and opencode: GROVE_TEST_GEMINI / GROVE_TEST_OPENCODE, else tests/tools.sh installs them (cached). */
function pinnedClis() {
  let gemini = process.env.GROVE_TEST_GEMINI;
  let opencode = process.env.GROVE_TEST_OPENCODE;
  if (!gemini || !opencode) {
    const out = execFileSync('bash', [join(REPO_ROOT, 'tests', 'tools.sh'), 'gemini', 'opencode'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const value = (key) =>
      out
        .split('\n')
        .find((l) => l.startsWith(`${key}=`))
        ?.slice(key.length + 1);
    gemini ??= value('GROVE_TEST_GEMINI');
    opencode ??= value('GROVE_TEST_OPENCODE');
  }
  if (!gemini || !opencode) throw new Error('tests/tools.sh did not print GROVE_TEST_GEMINI and GROVE_TEST_OPENCODE');
  return { gemini, opencode };
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

describe(
  'Gemini CLI and opencode in a real editor: a Gemini API-key profile and run, then opencode with an Ollama profile (code-server)',
  { timeout: 15 * 60_000 },
  () => {
    const tools = resolveTools();
    const clis = pinnedClis();
    // Real paths: the sidecar names repositories by their canonical path.
    const { tempDir, signedInHome, removeAll } = tempFolders({ realPaths: true });
    const session = new EditorSession(tools);
    /** @type {Awaited<ReturnType<typeof startGeminiApi>> | undefined} */
    let gemini;
    /** @type {Awaited<ReturnType<typeof startChatApi>> | undefined} */
    let chat;
    let editor;
    let page;
    let stateDir;
    let repo;
    let worktree;

    const fail = (name, error) =>
      reportFailure({
        page,
        editor,
        name: `more-agents-${name}`,
        error,
        toasts: true,
        details: () => {
          const runs = stateDir ? runsOnDisk(stateDir).map((r) => `${r.runId} ${r.agent ?? ''} ${r.state} ${r.profile ?? ''} ${r.error ?? ''}`) : [];
          const latest = stateDir ? runsOnDisk(stateDir).at(-1) : undefined;
          if (latest) {
            const transcript = join(stateDir, 'runs', `${latest.runId}.jsonl`);
            const lines = existsSync(transcript) ? readFileSync(transcript, 'utf8').trim().split('\n') : [];
            runs.push('transcript of the latest run:', ...lines.slice(-12).map((l) => l.slice(0, 400)));
          }
          return {
            'stand-ins': `Gemini: ${gemini?.requests.length} streamed requests, keys ${JSON.stringify([...new Set(gemini?.keys)])}; chat: ${JSON.stringify(chat?.paths)}`,
            runs: runs.join('\n'),
          };
        },
      });
    const { sidebar, quickInput, see, click, pick, runCommandWhenReady, accountRow } = workbenchSteps({ page: () => page, fail, timeout: STEP_TIMEOUT_MS });
    const box = () => quickInput().locator('.quick-input-box input');
    const message = () => quickInput().locator('.quick-input-message');
    const toast = (text) => page.locator('.notification-toast', { hasText: text });
    const shot = async (name) => {
      await page.waitForTimeout(500);
      await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
    };

    /** Waits for the box of step `n` of `of` (VS Code puts "(n/of)" after the title), then returns its input. */
    async function step(n, of, name, wait = STEP_TIMEOUT_MS) {
      await see(quickInput().locator('.quick-input-title', { hasText: `(${n}/${of})` }), name, wait);
      return box();
    }

    async function addProfile(kind) {
      await runCommandWhenReady('Grove: Add Profile', 'Grove: Add Profile', UI_TIMEOUT_MS).catch((e) => fail('add-profile-palette', e));
      await pick(kind, 'kind');
    }

    /** The agent panel of the workspace, opened from "Grove: Run Agent". */
    async function panel() {
      await runCommandWhenReady('Grove: Run Agent', 'Grove: Run Agent', UI_TIMEOUT_MS).catch((e) => fail('run-agent', e));
      await pick(WORKSPACE_NAME, 'run-agent-workspace');
      const frame = await agentPanelFrame(page, UI_TIMEOUT_MS);
      if (!frame) return fail('panel', new Error('the agent panel did not appear'));
      return frame;
    }

    /** Chooses `agent` and `profile` in the composer (each once the host offers it). */
    async function choose(frame, agent, profile) {
      await frame
        .locator(`#agent option[value="${agent}"]`)
        .waitFor({ state: 'attached', timeout: UI_TIMEOUT_MS })
        .catch((e) => fail(`${agent}-option`, e));
      await frame.locator('#agent').selectOption(agent);
      await frame
        .locator(`#profile option[value="${profile}"]`)
        .waitFor({ state: 'attached', timeout: STEP_TIMEOUT_MS })
        .catch((e) => fail(`${agent}-profile-option`, e));
      await frame.locator('#profile').selectOption(profile);
    }

    /** Sends `prompt`; the run's section once it succeeded, with its tool call `tool` and the answer `answer`. */
    async function runToEnd(frame, name, prompt, tool, answer) {
      const before = await frame.locator('section.run').count();
      await frame.locator('#prompt').fill(prompt);
      await frame.locator('#prompt').press('Control+Enter');
      const run = frame.locator('section.run').nth(before);
      const card = run.locator('details.tool', { has: frame.locator('.tool-name', { hasText: new RegExp(`^${tool}$`) }) });
      await card.waitFor({ timeout: RUN_TIMEOUT_MS }).catch((e) => fail(`${name}-tool`, e));
      await run
        .locator('.md p', { hasText: answer })
        .waitFor({ timeout: RUN_TIMEOUT_MS })
        .catch((e) => fail(`${name}-answer`, e));
      await run
        .locator('.run-foot .state-succeeded')
        .waitFor({ timeout: RUN_TIMEOUT_MS })
        .catch((e) => fail(`${name}-succeeded`, e));
      return { run, card };
    }

    before(async () => {
      gemini = await startGeminiApi({ trigger: TRIGGER, finalText: GEMINI_ANSWER });
      chat = await startChatApi({ trigger: TRIGGER, finalText: OPENCODE_ANSWER });
      const home = signedInHome('grove-more-home-');
      stateDir = join(tempDir('grove-more-state-'), 'state');
      repo = gitRepository(tempDir('grove-more-repo-'));
      const env = {
        ...minimalEnv(tools),
        HOME: home,
        GROVE_STATE_DIR: stateDir,
        // Ollama is looked for at the chat stand-in (it answers /api/tags); nothing answers where LM Studio is looked for.
        GROVE_OLLAMA_URL: chat.url,
        GROVE_LMSTUDIO_URL: 'http://127.0.0.1:9',
        // A key VS Code's environment holds: offered once as a profile, passed to no agent.
        OPENAI_API_KEY: INHERITED,
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      };
      worktree = (await createWorkspace(env, repo, tools.claude, WORKSPACE_NAME)).path;
      ({ editor, page } = await session.start(
        { folder: repo, home, env, settings: { 'grove.geminiPath': clis.gemini, 'grove.opencodePath': clis.opencode } },
        { viewport: { width: 1360, height: 1000 }, failure: { name: 'more-agents-start', toasts: true } },
      ));
    });

    after(async () => {
      await session.close();
      await gemini?.close();
      await chat?.close();
      removeAll();
    });

    it('offers the inherited OPENAI_API_KEY once as a profile, naming its kind; Not Now adds nothing', async () => {
      const offer = toast('OPENAI_API_KEY is set in VS Code');
      await see(offer, 'inherited-offer', UI_TIMEOUT_MS);
      assert.match(await offer.innerText(), /Grove never passes inherited keys to agents; add it as a "OpenAI API key \(Codex\)" profile\?/);
      assert.deepEqual(await offer.locator('.monaco-button').allInnerTexts(), ['Add as Profile', 'Not Now']);
      await shot('more-agents-inherited-offer');
      await click(offer.locator('.monaco-button', { hasText: 'Not Now' }), 'inherited-not-now');
      await see(offer, 'inherited-offer-gone', STEP_TIMEOUT_MS, 'hidden');
    });

    it('adds a Gemini API-key profile from Add Profile, the stand-in as its optional base URL; the Account view lists it under Google Gemini', async () => {
      await addProfile('Gemini API key');
      const url = await step(1, 3, 'gemini-url-step', UI_TIMEOUT_MS);
      assert.equal(await url.inputValue(), '', 'no URL is offered: the provider has its own API');
      await see(message().filter({ hasText: "Left empty, runs use the provider's own API." }), 'gemini-url-optional');
      assert.equal(await quickInput().locator('.monaco-inputbox.error').count(), 0, 'empty is fine');
      await shot('more-agents-gemini-url-optional');
      await url.fill(gemini.url);
      await url.press('Enter');
      const key = await step(2, 3, 'gemini-key-step');
      assert.equal(await key.getAttribute('type'), 'password');
      await key.fill(GEMINI_KEY);
      await key.press('Enter');
      const name = await step(3, 3, 'gemini-name-step');
      await name.fill(GEMINI_PROFILE);
      await name.press('Enter');
      await see(quickInput(), 'gemini-flow-closed', UI_TIMEOUT_MS, 'hidden');
      await see(accountRow('Google Gemini'), 'gemini-provider-row', UI_TIMEOUT_MS);
      await see(accountRow(GEMINI_PROFILE).filter({ hasText: 'no expiry' }), 'gemini-profile-row', UI_TIMEOUT_MS);
      await shot('more-agents-gemini-profile');
    });

    it('runs Gemini CLI in the workspace: the composer says it does not ask before editing; the write_file call and the answer show', async () => {
      const frame = await panel();
      await choose(frame, 'gemini', `google:${GEMINI_PROFILE}`);
      const notice = frame.locator('#edits-notice');
      await notice.waitFor({ timeout: STEP_TIMEOUT_MS }).catch((e) => fail('gemini-edits-notice', e));
      assert.equal(
        await notice.innerText(),
        "Gemini CLI does not ask before it edits: it changes files in this workspace's worktree without a permission card.",
      );
      // The permission modes it honors: no "ask", no plan.
      assert.deepEqual(await frame.locator('#permissionMode option').evaluateAll((os) => os.map((o) => o.value)), ['acceptEdits', 'bypassPermissions']);
      await shot('more-agents-gemini-composer');

      const { run, card } = await runToEnd(frame, 'gemini', `Please ${TRIGGER} hello.txt with a greeting.`, 'write_file', GEMINI_ANSWER);
      await card.locator('summary').click();
      assert.match(await card.locator('pre.tool-input').innerText(), /hello\.txt/);
      assert.match(await run.locator('.run-foot').innerText(), new RegExp(`google:${GEMINI_PROFILE}`));
      // The text after the tool is a block of its own, after the tool's card.
      assert.equal(await run.locator('.run-items > .item').last().locator('.md p', { hasText: GEMINI_ANSWER }).count(), 1, 'the answer follows the tool call');
      await run.scrollIntoViewIfNeeded();
      await shot('more-agents-gemini-run');

      // The stand-in got the profile's key; the file is in the worktree only.
      assert.ok(gemini.requests.length >= 2, `a request before and after the tool: ${gemini.requests.length}`);
      assert.deepEqual([...new Set(gemini.keys)], [GEMINI_KEY]);
      assert.equal(readFileSync(join(worktree, GEMINI_WRITTEN.path), 'utf8'), GEMINI_WRITTEN.content);
      assert.ok(!existsSync(join(repo, GEMINI_WRITTEN.path)), 'the main checkout is untouched');
      const latest = runsOnDisk(stateDir).at(-1);
      assert.equal(latest?.agent, 'gemini');
      assert.equal(latest?.profile, `google:${GEMINI_PROFILE}`);
    });

    it('adds an Ollama profile detected at the chat stand-in and runs opencode with it: the write call and the answer show', async () => {
      await addProfile('Ollama');
      const url = await step(1, 3, 'ollama-url-step', UI_TIMEOUT_MS);
      assert.equal(await url.inputValue(), chat.url, 'the detected URL');
      await url.press('Enter');
      await (await step(2, 3, 'ollama-secret-step')).press('Enter');
      const name = await step(3, 3, 'ollama-name-step');
      await name.fill(OLLAMA_PROFILE);
      await name.press('Enter');
      await see(quickInput(), 'ollama-flow-closed', UI_TIMEOUT_MS, 'hidden');
      await see(accountRow(OLLAMA_PROFILE), 'ollama-profile-row', UI_TIMEOUT_MS);

      const frame = await panel();
      await choose(frame, 'opencode', `ollama:${OLLAMA_PROFILE}`);
      // An endpoint offers the models it serves.
      assert.deepEqual(await frame.locator('#model option').allInnerTexts(), [CHAT_MODEL]);
      assert.match(await frame.locator('#edits-notice').innerText(), /^opencode does not ask before it edits/);
      const { run, card } = await runToEnd(frame, 'opencode', `Now ${TRIGGER} hello.txt for opencode.`, 'write', OPENCODE_ANSWER);
      await card.locator('summary').click();
      assert.match(await card.locator('pre.tool-input').innerText(), /hello\.txt/);
      assert.match(await run.locator('.run-foot').innerText(), new RegExp(`ollama:${OLLAMA_PROFILE}`));
      await run.scrollIntoViewIfNeeded();
      await shot('more-agents-opencode-run');

      assert.ok(chat.requests.length >= 2, `a turn before and after the tool: ${chat.requests.length}`);
      assert.ok(
        chat.requests.every((body) => body?.model === CHAT_MODEL),
        `every turn asks for ${CHAT_MODEL}`,
      );
      assert.equal(readFileSync(join(worktree, CHAT_WRITTEN.path), 'utf8'), CHAT_WRITTEN.content);
      assert.ok(!existsSync(join(repo, CHAT_WRITTEN.path)), 'the main checkout is untouched');
      const latest = runsOnDisk(stateDir).at(-1);
      assert.equal(latest?.agent, 'opencode');
      assert.equal(latest?.profile, `ollama:${OLLAMA_PROFILE}`);
    });

    it('names opencode as the agent of the latest run in the Workspaces tree', async () => {
      const pane = sidebar().locator('.pane', { has: page.locator('.pane-header', { hasText: 'Workspaces' }) });
      const wsRow = pane.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${WORKSPACE_NAME}$`) }) });
      await see(wsRow, 'ws-row', UI_TIMEOUT_MS);
      const result = pane.locator('.monaco-list-row', { hasText: 'Agent succeeded' });
      if ((await result.count()) === 0) await click(wsRow, 'ws-expand');
      await see(result.filter({ hasText: 'opencode' }), 'result-row-agent', STEP_TIMEOUT_MS);
      await shot('more-agents-tree');
    });

    it("offers the Gemini CLI's own sign-in in a terminal of its own from the Account view", async () => {
      const gem = accountRow(/^Gemini CLI/);
      await see(gem, 'gemini-cli-row', UI_TIMEOUT_MS);
      await gem.scrollIntoViewIfNeeded();
      // Its "Sign In…" is the row right below it.
      const signIn = accountRow(/Sign In…/).first();
      await see(signIn, 'gemini-sign-in-row');
      await shot('more-agents-account-sign-in');
      await click(signIn, 'gemini-sign-in-click');
      await see(toast('Gemini CLI signs in in this terminal; Grove notices when it is done.'), 'terminal-sign-in-toast', UI_TIMEOUT_MS);
      // The terminal is named after the agent; the CLI itself is its process (nothing typed into a shell).
      await see(page.locator('.part.panel', { hasText: 'Gemini CLI sign-in' }), 'terminal-sign-in-tab', UI_TIMEOUT_MS);
      await see(page.locator('.part.panel .xterm'), 'terminal-sign-in-xterm');
      await shot('more-agents-terminal-sign-in');
      // Closed, the CLI's own sign-in is checked at once.
      await runCommandWhenReady('Kill the Active Terminal Instance', 'Terminal: Kill the Active Terminal Instance', STEP_TIMEOUT_MS).catch((e) =>
        fail('terminal-kill', e),
      );
      await see(page.locator('.part.panel', { hasText: 'Gemini CLI sign-in' }), 'terminal-sign-in-closed', STEP_TIMEOUT_MS, 'hidden');
      const logs = join(editor.root, 'user-data', 'logs');
      const deadline = Date.now() + STEP_TIMEOUT_MS;
      let grove = '';
      while (Date.now() < deadline && !grove.includes('Gemini CLI sign-in: the terminal closed; checking google:gemini-cli')) {
        await page.waitForTimeout(1_000);
        grove = findFiles(logs, /Grove\.log$/)
          .map((f) => readFileSync(f, 'utf8'))
          .join('\n');
      }
      assert.match(grove, /Gemini CLI sign-in: started in a terminal/);
      assert.match(grove, /Gemini CLI sign-in: the terminal closed; checking google:gemini-cli/);
    });
  },
);
