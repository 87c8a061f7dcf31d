// Real-editor test: code-server with the Grove .vsix, driven by Chromium through playwright-core: the status bar and the Grove sidebar, signed out and signed in.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { launchCodeServer, REPO_ROOT, resolveTools } from './codeServer.mjs';

const VSIX = process.env.GROVE_VSIX;
const ARTIFACTS = process.env.GROVE_ARTIFACTS ?? join(REPO_ROOT, 'target', 'editor-test');
/** The first start of an extension host on 2 cores is slow. */
const UI_TIMEOUT_MS = 90_000;

/** The fake credentials of the shared fixtures: claude.ai, subscription "max". */
const MAX_CREDENTIALS = JSON.stringify({
  claudeAiOauth: {
    accessToken: 'sk-ant-oat01-FAKEACCESS',
    refreshToken: 'sk-ant-ort01-FAKEREFRESH',
    expiresAt: 1795000000000,
    scopes: ['user:inference', 'user:profile'],
    subscriptionType: 'max',
    rateLimitTier: 'default_claude_max_20x',
  },
});

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

if (!VSIX) {
  throw new Error('GROVE_VSIX is required: the path of the Grove .vsix to test (e.g. `npx vsce package --no-dependencies --out /tmp/grove.vsix`)');
}

const temps = [];
function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

function signedInHome() {
  const home = tempDir('grove-home-');
  const claude = join(home, '.claude');
  mkdirSync(claude, { mode: 0o700 });
  chmodSync(claude, 0o700);
  writeFileSync(join(claude, '.credentials.json'), MAX_CREDENTIALS, { mode: 0o600 });
  return home;
}

function projectFolder() {
  const folder = tempDir('grove-project-');
  writeFileSync(join(folder, 'README.md'), '# A project\n');
  return folder;
}

/** The pids of the sidecars started from the Grove installed in `extensionsDir` (and nothing else). */
function sidecarPids(extensionsDir) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const exe = readlinkSync(`/proc/${entry}/exe`);
      if (exe.startsWith(`${extensionsDir}/`) && exe.endsWith('/server/grove-server')) pids.push(Number(entry));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return pids;
}

describe('Grove in a real editor (code-server)', { timeout: 8 * 60_000 }, () => {
  const tools = resolveTools();
  const { chromium } = createRequire(import.meta.url)(tools.playwright);
  let browser;

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({ executablePath: tools.chromium, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
    for (const dir of temps) rmSync(dir, { recursive: true, force: true });
  });

  /** Starts code-server for `home`, opens it in a new page, and stops both when the test ends. */
  async function openEditor(t, home, name, settings = {}) {
    const editor = await launchCodeServer({ vsix: VSIX, folder: projectFolder(), home, tools, settings });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    t.after(async () => {
      await context.close().catch(() => {});
      await editor.stop();
    });
    const page = await context.newPage();
    const failed = async (error) => {
      await page.screenshot({ path: join(ARTIFACTS, `${name}-failure.png`) }).catch(() => {});
      throw new Error(`${error.message}\n--- code-server log ---\n${editor.log()}`, { cause: error });
    };
    await page.goto(editor.url);
    await page.locator('.statusbar').waitFor({ timeout: UI_TIMEOUT_MS }).catch(failed);
    return { page, editor, failed };
  }

  const statusItem = (page, text) => page.locator('.statusbar .statusbar-item', { hasText: text });

  it('shows "Claude: Sign in" for an empty home', async (t) => {
    const { page, failed } = await openEditor(t, tempDir('grove-home-'), 'signed-out');
    await statusItem(page, 'Claude: Sign in').waitFor({ timeout: UI_TIMEOUT_MS }).catch(failed);
  });

  it('shows "Claude: Max" when signed in, and the Account view on click', async (t) => {
    const { page, failed } = await openEditor(t, signedInHome(), 'signed-in');
    const item = statusItem(page, 'Claude: Max');
    await item.waitFor({ timeout: UI_TIMEOUT_MS }).catch(failed);
    await item.click();

    // The sidebar shows the Grove container; with several views (Account, Workspaces), each has a pane header.
    const sidebar = page.locator('.part.sidebar');
    await sidebar.locator('.title-label', { hasText: 'Grove' }).waitFor({ timeout: 30_000 }).catch(failed);
    await sidebar.locator('.pane-header', { hasText: 'Account' }).waitFor({ timeout: 30_000 }).catch(failed);
    const row = sidebar.locator('.monaco-list-row', { hasText: 'Signed in · Claude Max' });
    await row.waitFor({ timeout: 30_000 }).catch(failed);
    assert.ok(await row.isVisible());
    await sidebar.locator('.monaco-list-row', { hasText: 'Last checked' }).waitFor({ timeout: 10_000 }).catch(failed);
    // Let the tree's icons and the status bar settle before the picture.
    await page.waitForTimeout(500);
    await page.screenshot({ path: join(ARTIFACTS, 'grove-signed-in.png') });
  });

  it('restarts a sidecar that died and says so once', async (t) => {
    const { page, editor, failed } = await openEditor(t, signedInHome(), 'restart');
    await statusItem(page, 'Claude: Max').waitFor({ timeout: UI_TIMEOUT_MS }).catch(failed);
    const [pid, ...others] = sidecarPids(editor.extensionsDir);
    assert.ok(pid !== undefined && others.length === 0, `one sidecar runs: ${String([pid, ...others])}`);
    process.kill(pid, 'SIGKILL');

    const toast = page.locator('.notification-toast', { hasText: "Grove's sidecar stopped unexpectedly and was restarted." });
    await toast.waitFor({ timeout: 30_000 }).catch(failed);
    await statusItem(page, 'Claude: Max').waitFor({ timeout: 30_000 }).catch(failed);
    const [restarted] = sidecarPids(editor.extensionsDir);
    assert.ok(restarted !== undefined && restarted !== pid, 'a new sidecar process runs');
  });

  it('says where it looked when grove.server.path names no binary', async (t) => {
    const missing = join(tempDir('grove-nowhere-'), 'grove-server');
    const { page, failed } = await openEditor(t, tempDir('grove-home-'), 'missing-server', { 'grove.server.path': missing });
    const toast = page.locator('.notification-toast', { hasText: `Grove's sidecar was not found at ${missing}` });
    await toast.waitFor({ timeout: UI_TIMEOUT_MS }).catch(failed);
    assert.match(await toast.innerText(), /grove\.server\.path/);
    await statusItem(page, 'Claude: error').waitFor({ timeout: 10_000 }).catch(failed);
  });

  it('follows a change of grove.claudePath without a restart', async (t) => {
    const { page, editor, failed } = await openEditor(t, tempDir('grove-home-'), 'claude-path', { 'grove.claudePath': '' });
    await statusItem(page, 'Claude CLI not found').waitFor({ timeout: UI_TIMEOUT_MS }).catch(failed);
    editor.updateSettings({ 'grove.claudePath': tools.claude });
    await statusItem(page, 'Claude: Sign in').waitFor({ timeout: 30_000 }).catch(failed);
  });
});
