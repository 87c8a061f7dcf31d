// Real-editor test of `cargo xtask demo --offline`: the demo launcher in offline mode (a sandboxed home, a signed-in stand-in account, a loopback model) serves a workbench in which one agent run goes end to end.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT, resolveTools } from './codeServer.mjs';
import {
  ARTIFACTS,
  createWorkspace,
  frameWith,
  gitRepository,
  launchChromium,
  openWorkbench,
  reportFailure,
  tempFolders,
  UI_TIMEOUT_MS,
  VSIX,
  workbenchSteps,
} from './harness.mjs';
import { WRITE_INPUT } from './messagesApi.mjs';

/** A whole agent turn, CLI start included, on a busy machine. */
const RUN_TIMEOUT_MS = 120_000;
const WORKSPACE_NAME = 'demo-run';

const { tempDir, removeAll } = tempFolders({ realPaths: true });

/** Starts `tests/editor/demo.mjs` offline in its own process group; resolves with its address once it prints it. */
function startOfflineDemo(home, folder) {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'tests', 'editor', 'demo.mjs')], {
    env: { ...process.env, GROVE_VSIX: VSIX, GROVE_DEMO_FOLDER: folder, GROVE_DEMO_HOME: home, GROVE_DEMO_OFFLINE: '1' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      log += d;
      const found = /^Grove demo: (\S+)$/m.exec(log);
      if (found) resolve(found[1]);
    });
    child.stderr.on('data', (d) => (log += d));
    child.once('exit', (code) => reject(new Error(`the demo ended (${code}) before it served:\n${log}`)));
  });
  return {
    url,
    log: () => log,
    /** Ctrl-C, as a user stops it: the launcher stops code-server and the model. */
    async stop() {
      try {
        process.kill(-child.pid, 'SIGINT');
      } catch {
        return;
      }
      const timer = setTimeout(() => process.kill(-child.pid, 'SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

describe('the offline demo', () => {
  const tools = resolveTools();
  let demo;
  let browser;
  let context;
  let page;
  let workspace;
  const fail = (name, error) => reportFailure({ page, editor: { log: () => demo?.log() ?? '' }, name, error, toasts: true });
  const { statusItem, see, pick, runCommand } = workbenchSteps({ page: () => page, fail, timeout: UI_TIMEOUT_MS });

  before(async () => {
    const home = tempDir('grove-demo-home-');
    const repo = gitRepository(tempDir('grove-demo-repo-'));
    // The demo's editor reads the workspace registry of the sandboxed home.
    workspace = await createWorkspace({ HOME: home, PATH: process.env.PATH ?? '/usr/bin:/bin' }, repo, tools.claude, WORKSPACE_NAME);
    demo = startOfflineDemo(home, repo);
    const url = await demo.url;
    browser = await launchChromium(tools);
    ({ context, page } = await openWorkbench(browser, { url, log: demo.log }, { failure: { name: 'demo-workbench' } }));
  });

  after(async () => {
    await context?.close().catch(() => {});
    await browser?.close().catch(() => {});
    await demo?.stop();
    removeAll();
  });

  it('is signed in with the stand-in account, and an agent run writes its file and streams its answer', async () => {
    await see(statusItem('Max'), 'demo-signed-in');
    await runCommand('Grove: Run Agent…', 'demo-run-agent');
    await pick(WORKSPACE_NAME, 'demo-pick-workspace');
    const frame = await frameWith(page, '#grove-agent-panel', UI_TIMEOUT_MS, 500);
    if (!frame) fail('demo-panel', new Error('the agent panel did not appear'));
    await frame.locator('#prompt').fill('Show me what Grove does');
    await frame.locator('#prompt').press('Control+Enter');
    await frame
      .locator('details.tool', { hasText: 'Write' })
      .waitFor({ timeout: RUN_TIMEOUT_MS })
      .catch((e) => fail('demo-tool', e));
    await frame
      .locator('.md', { hasText: 'offline demo model' })
      .waitFor({ timeout: RUN_TIMEOUT_MS })
      .catch((e) => fail('demo-answer', e));
    await frame
      .locator('.run-foot .state-succeeded')
      .waitFor({ timeout: RUN_TIMEOUT_MS })
      .catch((e) => fail('demo-succeeded', e));
    assert.equal(readFileSync(join(workspace.path, 'notes.txt'), 'utf8'), WRITE_INPUT.content);
    await page.screenshot({ path: join(ARTIFACTS, 'grove-offline-demo.png') });
  });
});
