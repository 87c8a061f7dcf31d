// Launches code-server (a real VS Code, served to a browser) with a Grove .vsix installed, for the editor test and the demo; stops its whole process group.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
/** The repository root (this file is tests/editor/codeServer.mjs). */
export const REPO_ROOT = resolve(HERE, '..', '..');

const TOOL_KEYS = ['GROVE_TEST_CLAUDE', 'GROVE_TEST_NODE24', 'GROVE_TEST_CODE_SERVER', 'GROVE_TEST_PLAYWRIGHT', 'GROVE_TEST_CHROMIUM'];

/**
 * The pinned outside tools: from the environment when all are set, else from tests/tools.sh
 * (which installs them on first use and prints KEY=VALUE lines).
 */
export function resolveTools() {
  const found = Object.fromEntries(TOOL_KEYS.map((k) => [k, process.env[k]]));
  if (TOOL_KEYS.some((k) => !found[k])) {
    const out = execFileSync('bash', [join(REPO_ROOT, 'tests', 'tools.sh'), 'claude', 'editor'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    for (const line of out.split('\n')) {
      const eq = line.indexOf('=');
      if (eq > 0 && TOOL_KEYS.includes(line.slice(0, eq)) && !found[line.slice(0, eq)]) found[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  for (const k of TOOL_KEYS) if (!found[k]) throw new Error(`${k} is unknown: tests/tools.sh did not print it`);
  return {
    claude: found.GROVE_TEST_CLAUDE,
    node24: found.GROVE_TEST_NODE24,
    /** code-server's entry script (the .bin link points at out/node/entry.js). */
    codeServer: found.GROVE_TEST_CODE_SERVER,
    playwright: found.GROVE_TEST_PLAYWRIGHT,
    chromium: found.GROVE_TEST_CHROMIUM,
  };
}

/** A free TCP port on the loopback interface. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * The minimal environment code-server gets unless told otherwise: its own Node first on PATH, a shell and a
 * locale. Tests spread it and add their own variables.
 */
export function minimalEnv(tools) {
  return {
    PATH: `${dirname(tools.node24)}:/usr/local/bin:/usr/bin:/bin`,
    SHELL: '/bin/sh',
    LANG: process.env.LANG ?? 'C.UTF-8',
  };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** True while any process of the group `pgid` exists. */
function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts code-server with the .vsix installed.
 * @param {object} options
 * @param {string} options.vsix the Grove .vsix to install
 * @param {string} options.folder the folder to open
 * @param {string} options.home HOME of code-server and so of the extension host and the sidecar
 * @param {ReturnType<typeof resolveTools>} options.tools
 * @param {Record<string, unknown>} [options.settings] more user settings
 * @param {Record<string, string>} [options.env] the environment (default: `minimalEnv(tools)`); HOME is set from `home`
 * @param {number} [options.port] default: a free port
 * @returns {Promise<{url: string, port: number, root: string, extensionsDir: string, log: () => string,
 *   updateSettings: (changes: Record<string, unknown>) => void, stop: () => Promise<void>}>}
 */
export async function launchCodeServer({ vsix, folder, home, tools, settings = {}, env, port }) {
  if (!existsSync(vsix)) throw new Error(`no .vsix at ${vsix}`);
  const root = mkdtempSync(join(tmpdir(), 'grove-code-server-'));
  const userDataDir = join(root, 'user-data');
  const extensionsDir = join(root, 'extensions');
  const logFile = join(root, 'code-server.log');
  mkdirSync(extensionsDir);
  const userSettings = {
    'security.workspace.trust.enabled': false,
    'workbench.startupEditor': 'none',
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'telemetry.telemetryLevel': 'off',
    'workbench.tips.enabled': false,
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'update.mode': 'none',
    'chat.disableAIFeatures': true,
    'grove.claudePath': tools.claude,
    ...settings,
  };
  // Grove's settings have machine scope: in code-server (a remote setup) the editor reads them from
  // the machine's settings file, not the user's, so they are written to both.
  const writeSettings = (values) => {
    for (const dir of ['User', 'Machine']) {
      mkdirSync(join(userDataDir, dir), { recursive: true });
      writeFileSync(join(userDataDir, dir, 'settings.json'), JSON.stringify(values, null, 2));
    }
  };
  writeSettings(userSettings);
  /** Changes settings while the editor runs (it watches the files). */
  const updateSettings = (changes) => writeSettings(Object.assign(userSettings, changes));
  // An explicit config file, so that code-server never writes ~/.config/code-server.
  const config = join(root, 'config.yaml');
  writeFileSync(config, 'auth: none\ncert: false\n');

  const baseEnv = env ?? minimalEnv(tools);
  const childEnv = { ...baseEnv, HOME: home, CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1' };
  const common = ['--config', config, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];

  const install = spawnSync(tools.node24, [tools.codeServer, ...common, '--install-extension', vsix], {
    env: childEnv,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (install.status !== 0) {
    rmSync(root, { recursive: true, force: true });
    throw new Error(`installing ${vsix} failed (${install.status ?? install.signal}):\n${install.stdout}\n${install.stderr}`);
  }

  const listenPort = port ?? (await freePort());
  const logFd = openSync(logFile, 'a');
  const child = spawn(
    tools.node24,
    [
      tools.codeServer,
      ...common,
      '--bind-addr',
      `127.0.0.1:${listenPort}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      folder,
    ],
    // Its own process group: code-server starts helpers (extension host, file watcher, the sidecar), stopped together.
    { env: childEnv, detached: true, stdio: ['ignore', logFd, logFd] },
  );
  closeSync(logFd);
  const pgid = child.pid;
  let exited = false;
  child.once('exit', () => (exited = true));
  const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (pgid !== undefined) {
      try {
        process.kill(-pgid, 'SIGTERM');
      } catch {
        // Already gone.
      }
      for (let i = 0; i < 50 && groupAlive(pgid); i++) await sleep(100);
      if (groupAlive(pgid)) {
        try {
          process.kill(-pgid, 'SIGKILL');
        } catch {
          // Gone meanwhile.
        }
        for (let i = 0; i < 50 && groupAlive(pgid); i++) await sleep(100);
      }
    }
    rmSync(root, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${listenPort}/?folder=${encodeURIComponent(folder)}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) {
      const text = log();
      await stop();
      throw new Error(`code-server exited at start:\n${text}`);
    }
    try {
      const res = await fetch(`http://127.0.0.1:${listenPort}/healthz`);
      if (res.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      const text = log();
      await stop();
      throw new Error(`code-server did not answer on port ${listenPort} within 60 s:\n${text}`);
    }
    await sleep(250);
  }
  return { url, port: listenPort, root, extensionsDir, log, updateSettings, stop };
}
