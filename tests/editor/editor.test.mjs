// Real-editor test: code-server with the Grove .vsix, driven by Chromium through playwright-core: the status bar and the Grove sidebar, signed out and signed in.
import assert from 'node:assert/strict';
import { readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { resolveTools } from './codeServer.mjs';
import { ARTIFACTS, editorPerTest, statusItem, tempFolders, UI_TIMEOUT_MS } from './harness.mjs';

const { tempDir, projectFolder, signedInHome, removeAll } = tempFolders();

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
  const openEditorFor = editorPerTest(tools, removeAll);

  /** Starts code-server for `home`, opens it in a new page, and stops both when the test ends. */
  const openEditor = (t, home, name, settings = {}) => openEditorFor(t, name, { folder: projectFolder(), home, settings });

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
