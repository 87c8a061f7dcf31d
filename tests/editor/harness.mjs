// Plumbing shared by the real-editor tests: the .vsix under test, temporary folders, git repositories and workspaces made beforehand, Chromium on a code-server workbench, failure reports with screenshots, and steps through the command palette.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { launchCodeServer, minimalEnv, REPO_ROOT } from './codeServer.mjs';
import { writeCredentials } from './credentials.mjs';

/** The Grove .vsix under test. */
export const VSIX = process.env.GROVE_VSIX;
if (!VSIX) {
  throw new Error('GROVE_VSIX is required: the path of the Grove .vsix to test (e.g. `npx vsce package --no-dependencies --out /tmp/grove.vsix`)');
}
/** Where screenshots go, those a test takes and those of a failure. */
export const ARTIFACTS = process.env.GROVE_ARTIFACTS ?? join(REPO_ROOT, 'target', 'editor-test');
/** The first start of an extension host on 2 cores (shared with other tests) is slow. */
export const UI_TIMEOUT_MS = 90_000;

const DEFAULT_VIEWPORT = { width: 1280, height: 800 };

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Temporary folders, all removed by `removeAll()`. With `realPaths`, a folder is named by its canonical path
 * (the sidecar names repositories so).
 */
export function tempFolders({ realPaths = false } = {}) {
  const dirs = [];
  const tempDir = (prefix) => {
    const made = mkdtempSync(join(tmpdir(), prefix));
    const dir = realPaths ? realpathSync(made) : made;
    dirs.push(dir);
    return dir;
  };
  return {
    tempDir,
    /** A folder with a README.md, for the editor to open. */
    projectFolder(prefix = 'grove-project-') {
      const folder = tempDir(prefix);
      writeFileSync(join(folder, 'README.md'), '# A project\n');
      return folder;
    },
    /** A HOME where the claude CLI finds the fixtures' credentials. */
    signedInHome(prefix = 'grove-home-') {
      const home = tempDir(prefix);
      writeCredentials(home);
      return home;
    },
    removeAll() {
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Chromium through the pinned playwright-core; first makes the folder for screenshots. */
export async function launchChromium(tools) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const { chromium } = createRequire(import.meta.url)(tools.playwright);
  return chromium.launch({ executablePath: tools.chromium, args: CHROMIUM_ARGS });
}

/**
 * Rethrows `error` with what shows why: saves a screenshot of `page` as `<name>-failure.png` in ARTIFACTS, then
 * adds the open notifications (with `toasts`), the sections of `details()` (title → text) and the code-server log.
 * @param {{ page?: any, editor?: { log(): string } | undefined, name: string, error: any, toasts?: boolean, details?: () => Record<string, string> }} failure
 * @returns {Promise<never>}
 */
export async function reportFailure({ page, editor, name, error, toasts = false, details }) {
  await page?.screenshot({ path: join(ARTIFACTS, `${name}-failure.png`) }).catch(() => {});
  const sections = {};
  if (toasts)
    sections.toasts = (
      (await page
        ?.locator('.notification-toast')
        .allInnerTexts()
        .catch(() => [])) ?? []
    ).join('\n');
  Object.assign(sections, details?.());
  const more = Object.entries(sections)
    .map(([title, text]) => `\n--- ${title} ---\n${text}`)
    .join('');
  throw new Error(`${error.message}${more}\n--- code-server log ---\n${editor?.log() ?? ''}`, { cause: error });
}

/**
 * Opens the editor of `editor` in a new context of `browser` and waits for the workbench (its status bar).
 * `onPage(page)` runs before the page loads; a workbench that does not show is reported with `failure`
 * (`reportFailure`'s name, toasts and details), and its context closed.
 */
export async function openWorkbench(
  browser,
  editor,
  /** @type {{ viewport?: { width: number, height: number }, onPage?: (page: any) => void, failure?: { name: string, toasts?: boolean, details?: () => Record<string, string> } }} */ {
    viewport = DEFAULT_VIEWPORT,
    onPage,
    failure,
  } = {},
) {
  const context = await browser.newContext({ viewport });
  try {
    const page = await context.newPage();
    onPage?.(page);
    await page.goto(editor.url);
    await page
      .locator('.statusbar')
      .waitFor({ timeout: UI_TIMEOUT_MS })
      .catch((error) => reportFailure({ page, editor, error, ...failure }));
    return { context, page };
  } catch (error) {
    await context.close().catch(() => {});
    throw error;
  }
}

/**
 * For a describe() whose tests each open their own editor: launches Chromium before the tests, and after them
 * closes it and calls `cleanup()`. Returns `open(t, name, options)`, which starts code-server with the .vsix
 * under test (`options`: `launchCodeServer`'s but `vsix` and `tools`), opens it in a new context, and stops
 * both when the test `t` ends; its `failed(error)` reports a failure with a screenshot named after `name`.
 */
export function editorPerTest(tools, cleanup) {
  let browser;
  before(async () => {
    browser = await launchChromium(tools);
  });
  after(async () => {
    await browser?.close();
    cleanup();
  });
  return async (t, name, options) => {
    const editor = await launchCodeServer({ vsix: VSIX, tools, ...options });
    let context;
    t.after(async () => {
      await context?.close().catch(() => {});
      await editor.stop();
    });
    let page;
    ({ context, page } = await openWorkbench(browser, editor, { failure: { name } }));
    const failed = (error) => reportFailure({ page, editor, name, error });
    return { page, editor, failed };
  };
}

/**
 * For a describe() that drives one editor throughout: code-server with the .vsix under test, Chromium, and a page
 * on the workbench. `close()` stops what was started, also after a failed `start`.
 */
export class EditorSession {
  tools;
  editor;
  browser;
  context;
  page;

  constructor(tools) {
    this.tools = tools;
  }

  /**
   * @param {object} options `launchCodeServer`'s options but `vsix` and `tools`
   * @param {Parameters<typeof openWorkbench>[2]} [workbench] `openWorkbench`'s options
   */
  async start(options, workbench) {
    this.editor = await launchCodeServer({ vsix: VSIX, tools: this.tools, ...options });
    this.browser = await launchChromium(this.tools);
    ({ context: this.context, page: this.page } = await openWorkbench(this.browser, this.editor, workbench));
    return this;
  }

  async close() {
    await this.context?.close().catch(() => {});
    await this.browser?.close().catch(() => {});
    await this.editor?.stop();
  }
}

/** The status bar item of `page` that shows `text`. */
export const statusItem = (page, text) => page.locator('.statusbar .statusbar-item', { hasText: text });

/**
 * Steps in the workbench of `page()` that report a failure through `fail(name, error)` (which throws);
 * `timeout` is a step's default.
 */
export function workbenchSteps({ page, fail, timeout }) {
  const sidebar = () => page().locator('.part.sidebar');
  const quickInput = () => page().locator('.quick-input-widget');

  /** Waits for a locator to be visible (or `state`). */
  async function see(locator, name, wait = timeout, state = 'visible') {
    await locator.waitFor({ state, timeout: wait }).catch((error) => fail(name, error));
  }

  async function click(locator, name) {
    await see(locator, name);
    await locator.click({ timeout }).catch((error) => fail(name, error));
  }

  /**
   * Picks an item of the open quick pick by typing `typed` and pressing Enter once `label` is the highlighted
   * one (keys, not clicks: a list still laying itself out on a busy machine refuses clicks as "not stable").
   */
  async function pick(label, name, typed = label) {
    const input = quickInput().locator('input');
    await see(input, `${name}-input`);
    await input.fill(typed);
    await see(quickInput().locator('.monaco-list-row', { hasText: label }).first(), `${name}-item`);
    // The best fuzzy match may be another item ("Grove: Check Sign-in" for "Grove: Sign In").
    const focused = quickInput().locator('.monaco-list-row.focused');
    for (let i = 0; i < 10; i++) {
      if ((await focused.count()) === 1 && (await focused.innerText()).includes(label)) {
        await page().keyboard.press('Enter');
        return;
      }
      await page().keyboard.press('ArrowDown');
      await page().waitForTimeout(100);
    }
    await see(quickInput().locator('.monaco-list-row.focused', { hasText: label }), `${name}-focused`, 1);
  }

  /** Runs a command from the palette by its title (typed without the ellipsis). */
  async function runCommand(title, name) {
    await page().keyboard.press('F1');
    await pick(title, `${name}-palette`, `>${title.replace(/…$/, '')}`);
  }

  /**
   * Runs a command from the palette, found by `search` and shown as `row`; the palette lists the commands known when
   * it opens, so it is opened again until Grove's are there (up to `wait` ms).
   */
  async function runCommandWhenReady(search, row, wait) {
    const deadline = Date.now() + wait;
    const input = quickInput().locator('.quick-input-box input');
    const item = quickInput().locator('.monaco-list-row', { hasText: row }).first();
    const focused = quickInput().locator('.monaco-list-row.focused', { hasText: row });
    for (;;) {
      await page().keyboard.press('F1');
      await input.waitFor({ timeout });
      await input.fill(`>${search}`);
      try {
        await item.waitFor({ timeout: 5_000 });
        if ((await focused.count()) === 1) await page().keyboard.press('Enter');
        else await item.click();
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await page().keyboard.press('Escape');
        await page().waitForTimeout(1_000);
      }
    }
  }

  const accountPane = () => sidebar().locator('.pane', { has: page().locator('.pane-header', { hasText: 'Account' }) });
  const accountRow = (text) => accountPane().locator('.monaco-list-row', { hasText: text });

  return {
    sidebar,
    quickInput,
    statusItem: (text) => statusItem(page(), text),
    see,
    click,
    pick,
    runCommand,
    runCommandWhenReady,
    accountPane,
    accountRow,
  };
}

/** The first frame of `page` that has `selector` (webviews are nested iframes), looked for every `interval` ms; undefined after `timeout`. */
export async function frameWith(page, selector, timeout, interval) {
  const deadline = Date.now() + timeout;
  for (;;) {
    for (const frame of page.frames()) {
      const found = await frame.$(selector).catch(() => null);
      if (found) return frame;
    }
    if (Date.now() > deadline) return undefined;
    await page.waitForTimeout(interval);
  }
}

/** Every file under `dir` whose name matches `pattern`. */
export function findFiles(dir, pattern) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findFiles(path, pattern));
    else if (pattern.test(entry.name)) found.push(path);
  }
  return found;
}

/** The sidecar binary used to create workspaces before the editor starts (the .vsix bundles the same one). */
const SIDECAR = process.env.GROVE_SERVER_PATH ?? join(REPO_ROOT, 'target', 'debug', 'grove-server');

/** A git repository `demo` on main with one commit, in `parent`. */
export function gitRepository(parent) {
  const repo = join(parent, 'demo');
  mkdirSync(repo);
  const git = (...args) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'test@example.invalid');
  git('config', 'user.name', 'Grove Test');
  writeFileSync(join(repo, 'README.md'), '# Demo\n');
  git('add', 'README.md');
  git('commit', '-q', '-m', 'first');
  return repo;
}

/**
 * Runs `fn(connection)` against the sidecar binary itself, over stdio (the way the editor talks to it),
 * with the same HOME and state folder the editor will use, then shuts it down: for what a test sets up
 * before the editor starts (the editor's sidecar reads the same registry and profile store).
 */
export async function withSidecar(env, initializationOptions, what, fn) {
  if (!existsSync(SIDECAR)) {
    throw new Error(`no sidecar at ${SIDECAR}: run \`cargo build -p grove-server\` or set GROVE_SERVER_PATH`);
  }
  const rpc = createRequire(join(REPO_ROOT, 'extension', 'package.json'))('vscode-jsonrpc/node');
  const child = spawn(SIDECAR, [], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const connection = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  connection.listen();
  try {
    await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions });
    await connection.sendNotification('initialized', {});
    const result = await fn(connection);
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
    return result;
  } catch (error) {
    throw new Error(`${what} failed: ${error.message}\n${stderr}`, { cause: error });
  } finally {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    // A child that never started has no exit to wait for.
    if (child.pid !== undefined) await exited;
    clearTimeout(timer);
    connection.dispose();
  }
}

/** Creates the workspace `name` with the sidecar binary itself (see `withSidecar`). */
export function createWorkspace(env, repoPath, claudePath, name) {
  return withSidecar(env, { claudePath }, 'creating the workspace', (c) => c.sendRequest('grove/workspace/create', { repoPath, name }));
}

/** The pinned codex CLI: GROVE_TEST_CODEX, else tests/tools.sh installs it (cached in ~/.cache/grove-dev). */
export function pinnedCodexCli() {
  if (process.env.GROVE_TEST_CODEX) return process.env.GROVE_TEST_CODEX;
  const out = execFileSync('bash', [join(REPO_ROOT, 'tests', 'tools.sh'), 'codex'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const line = out.split('\n').find((l) => l.startsWith('GROVE_TEST_CODEX='));
  if (!line) throw new Error('tests/tools.sh did not print GROVE_TEST_CODEX');
  return line.slice('GROVE_TEST_CODEX='.length);
}

/** The frame of the agent panel's webview (undefined when it does not show within `timeout`). */
export function agentPanelFrame(page, timeout) {
  return frameWith(page, '#grove-agent-panel', timeout, 500);
}

/**
 * A home, a state folder and a git repository made in `tempDir` (named after `prefix`), and the editor's environment
 * for the real claude CLI against the loopback Messages API at `apiUrl` with the fake `apiKey`.
 */
export function loopbackAgentSetup(tools, tempDir, prefix, apiUrl, apiKey) {
  const home = tempDir(`grove-${prefix}-home-`);
  const stateDir = join(tempDir(`grove-${prefix}-state-`), 'state');
  const repo = gitRepository(tempDir(`grove-${prefix}-repo-`));
  const env = {
    ...minimalEnv(tools),
    HOME: home,
    GROVE_STATE_DIR: stateDir,
    ANTHROPIC_BASE_URL: apiUrl,
    ANTHROPIC_API_KEY: apiKey,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
  };
  return { home, stateDir, repo, env };
}
