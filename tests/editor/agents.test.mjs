// Real-editor test of the agent panel: code-server with the Grove .vsix and the real claude CLI against a loopback Messages API; a run with a tool call, escaping of <script>, an answer streamed as it is written, a run that needs sign-in, and a cancel that is not an error.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveTools } from './codeServer.mjs';
import { ARTIFACTS, createWorkspace, EditorSession, frameWith, loopbackAgentSetup, reportFailure, tempFolders, UI_TIMEOUT_MS } from './harness.mjs';
import { startMessagesApi, WRITE_INPUT } from './messagesApi.mjs';

/** A whole agent turn, CLI start included, on a busy machine. */
const RUN_TIMEOUT_MS = 120_000;
/** A fake Console key: it starts with sk-ant-api, so Grove passes it to the CLI. */
const API_KEY = 'sk-ant-api03-LOOPBACKKEY000000000000';
const WORKSPACE_NAME = 'agent-test';
const FINAL_TEXT = 'Done.\n\n<script>alert("model")</script>';
/** A prompt with this word is answered with text only, streamed slowly: the chunks, and the time between them. */
const SLOW_TRIGGER = 'STREAM-SLOWLY';
const SLOW_CHUNKS = ['Streaming ', 'answers ', 'arrive ', 'piece ', 'by ', 'piece, ', 'as ', 'the ', 'model ', 'writes ', 'them.'];
const SLOW_INTERVAL_MS = 450;
const PROMPT = 'Please write notes.txt <script>alert("prompt")</script>';

const { tempDir, removeAll } = tempFolders();

/** The frame of the agent panel's webview. */
async function panelFrame(page, timeout) {
  const frame = await frameWith(page, '#grove-agent-panel', timeout, 500);
  if (!frame) throw new Error('the agent panel did not appear');
  return frame;
}

/**
 * Runs a command from the palette; `pick` is the text of its row. The palette lists the commands
 * known when it opens, so it is opened again until the extension's commands are there.
 */
async function runCommand(page, search, pick, timeout) {
  const deadline = Date.now() + timeout;
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: pick }).first();
  for (;;) {
    await page.keyboard.press('F1');
    await input.waitFor({ timeout: 30_000 });
    await input.fill(`>${search}`);
    try {
      await row.waitFor({ timeout: 5_000 });
      await row.click();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await page.keyboard.press('Escape');
      await page.waitForTimeout(1_000);
    }
  }
}

/** The run records the sidecar keeps in the state folder, oldest first. */
function runsOnDisk(stateDir) {
  const dir = join(stateDir, 'runs');
  if (!existsSync(dir)) return [];
  return (
    readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      // Each file is {run, owner}.
      .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')).run)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
  );
}

describe('The agent panel in a real editor (code-server + claude CLI)', { timeout: 10 * 60_000 }, () => {
  const tools = resolveTools();
  const session = new EditorSession(tools);
  let api;
  let editor;
  let page;
  let workspace;
  let stateDir;
  const dialogs = [];

  /** What a failure report adds: the notifications, the runs and the latest transcript. */
  const report = {
    toasts: true,
    details: () => {
      const runs = stateDir ? runsOnDisk(stateDir).map((r) => `${r.runId} ${r.state} ${r.error ?? ''}`) : [];
      const latest = stateDir ? runsOnDisk(stateDir).at(-1) : undefined;
      if (latest) {
        const transcript = join(stateDir, 'runs', `${latest.runId}.jsonl`);
        const lines = existsSync(transcript) ? readFileSync(transcript, 'utf8').trim().split('\n') : [];
        runs.push(`(${api?.requests.length} API requests) transcript of the latest run:`, ...lines.slice(-8).map((l) => l.slice(0, 400)));
      }
      return { runs: runs.join('\n') };
    },
  };
  const failed = (name, error) => reportFailure({ page, editor, name, error, ...report });

  before(async () => {
    api = await startMessagesApi({ finalText: FINAL_TEXT, slow: { trigger: SLOW_TRIGGER, chunks: SLOW_CHUNKS, intervalMs: SLOW_INTERVAL_MS } });
    const setup = loopbackAgentSetup(tools, tempDir, 'agents', api.url, API_KEY);
    const { home, env, repo } = setup;
    stateDir = setup.stateDir;
    workspace = await createWorkspace(env, repo, tools.claude, WORKSPACE_NAME);
    assert.equal(workspace.state, 'active');

    ({ editor, page } = await session.start(
      { folder: repo, home, env },
      {
        viewport: { width: 1280, height: 860 },
        onPage: (p) =>
          p.on('dialog', (dialog) => {
            dialogs.push(dialog.message());
            void dialog.dismiss();
          }),
        failure: { name: 'agents-start', ...report },
      },
    ));
  });

  after(async () => {
    await session.close();
    await api?.close();
    removeAll();
  });

  it('runs an agent from the palette: the Write call is collapsible, "Done." is rendered, <script> stays text', async () => {
    // "Grove: Run Agent…" (its palette title may say "in Workspace"), then the workspace.
    await runCommand(page, 'Grove: Run Agent', 'Grove: Run Agent', UI_TIMEOUT_MS).catch((e) => failed('agents-palette', e));
    await page
      .locator('.quick-input-widget .monaco-list-row', { hasText: WORKSPACE_NAME })
      .first()
      .click({ timeout: UI_TIMEOUT_MS })
      .catch((e) => failed('agents-pick', e));
    const frame = await panelFrame(page, UI_TIMEOUT_MS).catch((e) => failed('agents-panel', e));
    await frame
      .locator('#runs p.empty')
      .waitFor({ timeout: 30_000 })
      .catch((e) => failed('agents-empty', e));
    // "Run Agent" puts the cursor in the prompt box.
    await frame.waitForFunction(() => document.activeElement?.id === 'prompt', null, { timeout: 30_000 }).catch((e) => failed('agents-focus', e));

    // The permission mode defaults to acceptEdits, visibly.
    assert.equal(await frame.locator('#permissionMode').inputValue(), 'acceptEdits');
    await frame.locator('#prompt').fill(PROMPT);
    await frame.locator('#prompt').press('Control+Enter');

    const tool = frame.locator('details.tool', { hasText: 'Write' });
    await tool.waitFor({ timeout: RUN_TIMEOUT_MS }).catch((e) => failed('agents-tool', e));
    const done = frame.locator('.md p', { hasText: /^Done\.$/ });
    await done.waitFor({ timeout: RUN_TIMEOUT_MS }).catch((e) => failed('agents-done', e));
    await frame
      .locator('.run-foot .state-succeeded')
      .waitFor({ timeout: RUN_TIMEOUT_MS })
      .catch((e) => failed('agents-succeeded', e));

    // The tool call is collapsed until clicked, then shows its input and result.
    assert.equal(await tool.evaluate((d) => d.open), false);
    await tool.locator('summary').click();
    assert.equal(await tool.evaluate((d) => d.open), true);
    const input = JSON.parse(await tool.locator('pre.tool-input').innerText());
    assert.deepEqual(input, WRITE_INPUT);
    assert.match(await tool.locator('pre.tool-result').innerText(), /File created successfully/);

    // The file is in the worktree.
    assert.equal(readFileSync(join(workspace.path, 'notes.txt'), 'utf8'), WRITE_INPUT.content);

    // <script> in the prompt and in the answer shows as text; no script element, no dialog.
    assert.equal(await frame.locator('#runs script').count(), 0);
    assert.match(await frame.locator('.run .prompt').first().innerText(), /<script>alert\("prompt"\)<\/script>/);
    assert.match(await frame.locator('.run .md').last().innerText(), /<script>alert\("model"\)<\/script>/);
    assert.deepEqual(dialogs, []);

    // Cost and duration are shown.
    assert.match(await frame.locator('.run-foot .run-meta').first().innerText(), /Succeeded.*\$\d.*\d+(\.\d)? (ms|s)/s);

    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'grove-agent-panel.png') });
  });

  it('streams an answer: partial text shows in the panel, with an elapsed timer, before the run ends', async () => {
    const frame = await panelFrame(page, 30_000).catch((e) => failed('agents-stream-panel', e));
    await frame.locator('#prompt').fill(`${SLOW_TRIGGER}: tell me how answers arrive`);
    await frame.locator('#prompt').press('Control+Enter');
    const run = frame.locator('section.run').nth(1);
    const streaming = run.locator('.md.streaming');
    // Some of the answer, while the run still runs.
    await streaming
      .filter({ hasText: 'Streaming answers' })
      .waitFor({ timeout: RUN_TIMEOUT_MS })
      .catch((e) => failed('agents-stream-partial', e));
    const partial = await streaming.innerText();
    assert.ok(!partial.includes('writes them.'), `only part of the answer so far: ${partial}`);
    await run
      .locator('.state-running .elapsed')
      .waitFor({ timeout: 10_000 })
      .catch((e) => failed('agents-stream-timer', e));
    assert.match(await run.locator('.state-running').innerText(), /^Running… \d+ s$/);
    await page.screenshot({ path: join(ARTIFACTS, 'grove-agent-streaming.png') });

    // The whole answer replaces the streamed text, once.
    await run
      .locator('.run-foot .state-succeeded')
      .waitFor({ timeout: RUN_TIMEOUT_MS })
      .catch((e) => failed('agents-stream-done', e));
    assert.equal(await run.locator('.md.streaming').count(), 0);
    assert.equal((await run.locator('.run-items').innerText()).trim(), SLOW_CHUNKS.join(''));
  });

  it('shows the sign-in callout with the failure message when the API refuses the key', async () => {
    api.setUnauthorized(true);
    const frame = await panelFrame(page, 30_000).catch((e) => failed('agents-auth-panel', e));
    await frame.locator('#prompt').fill('Try again, please');
    await frame.locator('#send').click();

    const callout = frame.locator('.callout-auth');
    await callout.waitFor({ timeout: RUN_TIMEOUT_MS }).catch((e) => failed('agents-auth', e));
    const run = runsOnDisk(stateDir).at(-1);
    assert.equal(run?.state, 'authRequired', JSON.stringify(run));
    assert.ok(run.error, 'the run has a failure message');
    assert.equal(await callout.locator('.callout-message').innerText(), run.error);
    assert.ok(await callout.locator('button', { hasText: 'Sign in' }).isVisible());
    assert.ok(await callout.locator('button', { hasText: 'Open Account' }).isVisible());
    // The earlier turns are still there, above; the error shows once (in the callout).
    assert.equal(await frame.locator('section.run').count(), 3);
    assert.equal(await frame.locator('section.run').first().locator('.state-succeeded').count(), 1);
    assert.equal(await frame.locator('section.run').nth(2).locator('.error-box').count(), 0);

    await callout.scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'grove-agent-auth.png') });
  });

  it('cancels a running run from the panel', async () => {
    api.setUnauthorized(false);
    api.setDelay(10 * 60_000);
    const frame = await panelFrame(page, 30_000).catch((e) => failed('agents-cancel-panel', e));
    await frame.locator('#prompt').fill('Take your time');
    // (The Send button may be under the sign-in toast of the run before.)
    await frame.locator('#prompt').press('Control+Enter');
    const run = frame.locator('section.run').nth(3);
    const cancel = run.locator('button[data-action="cancel"]');
    await cancel.waitFor({ timeout: RUN_TIMEOUT_MS }).catch((e) => failed('agents-cancel-button', e));
    await run
      .locator('.state-running')
      .waitFor({ timeout: RUN_TIMEOUT_MS })
      .catch((e) => failed('agents-running', e));
    await cancel.click();
    await run
      .locator('.state-cancelled')
      .waitFor({ timeout: 30_000 })
      .catch((e) => failed('agents-cancelled', e));
    assert.equal(await run.locator('button[data-action="cancel"]').count(), 0);
    // The user's own cancel: "Cancelled", plainly; no error box, no "stopped with an error".
    await page.waitForTimeout(1_500);
    assert.equal(await run.locator('.state-cancelled').innerText(), 'Cancelled');
    assert.equal(await run.locator('.error-box').count(), 0);
    assert.doesNotMatch(await run.innerText(), /stopped with an error/);
    await run.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'grove-agent-cancelled.png') });
  });

  it('tells when a run ends while its panel is closed, and Open shows the transcripts again', async () => {
    api.setDelay(5_000);
    let frame = await panelFrame(page, 30_000).catch((e) => failed('agents-notify-panel', e));
    await frame.locator('#prompt').fill('Write it once more');
    await frame.locator('#prompt').press('Control+Enter');
    await frame
      .locator('section.run')
      .nth(4)
      .locator('.state-running')
      .waitFor({ timeout: RUN_TIMEOUT_MS })
      .catch((e) => failed('agents-notify-running', e));
    // Close the panel's tab while the model "thinks".
    const tab = page.locator('.tabs-container .tab', { hasText: `Agent · ${WORKSPACE_NAME}` });
    await tab.hover();
    await tab
      .locator('.tab-actions .action-label[aria-label^="Close"]')
      .click({ timeout: 30_000 })
      .catch((e) => failed('agents-close-tab', e));

    const toast = page.locator('.notification-toast', { hasText: `the agent in “${WORKSPACE_NAME}” finished` });
    await toast.waitFor({ timeout: RUN_TIMEOUT_MS }).catch((e) => failed('agents-notify-toast', e));
    await toast.locator('a.monaco-button, .monaco-button', { hasText: 'Open' }).first().click();

    frame = await panelFrame(page, UI_TIMEOUT_MS).catch((e) => failed('agents-notify-reopen', e));
    const runs = frame.locator('section.run');
    await runs
      .nth(4)
      .locator('.state-succeeded')
      .waitFor({ timeout: 30_000 })
      .catch((e) => failed('agents-notify-transcript', e));
    assert.equal(await runs.count(), 5);
    // Read back from the transcripts: the first and last turns with their tool call and answer.
    for (const i of [0, 4]) {
      assert.equal(await runs.nth(i).locator('details.tool', { hasText: 'Write' }).count(), 1, `run ${i} has its Write call`);
      assert.equal(
        await runs
          .nth(i)
          .locator('.md p', { hasText: /^Done\.$/ })
          .count(),
        1,
        `run ${i} has its answer`,
      );
    }
    // The streamed answer, read back from its transcript (deltas and the whole text), once.
    assert.equal((await runs.nth(1).locator('.run-items').innerText()).trim(), SLOW_CHUNKS.join(''));
    assert.equal(await runs.nth(2).locator('.callout-auth').count(), 1);
    assert.equal(await runs.nth(3).locator('.state-cancelled').count(), 1);
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'grove-agent-history.png') });
  });
});
