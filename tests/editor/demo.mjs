// Demo launcher: code-server with Grove installed, on loopback, until Ctrl-C (or SIGTERM); then stops everything it started. With GROVE_DEMO_OFFLINE=1 it needs no account and no network: a signed-in stand-in account and a git identity in the (sandboxed) home, and a loopback model; with GROVE_DEMO_CHECK=1 as well, it then checks the credentials and commits in a workspace, and prints both.
import { existsSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { launchCodeServer, resolveTools } from './codeServer.mjs';
import { writeCredentials } from './credentials.mjs';
import { checkOfflineDemo, installedServer } from './demoCheck.mjs';
import { startMessagesApi } from './messagesApi.mjs';

const vsix = process.env.GROVE_VSIX;
const folderEnv = process.env.GROVE_DEMO_FOLDER;
if (!vsix || !folderEnv) {
  console.error('usage: GROVE_VSIX=path/to/grove.vsix GROVE_DEMO_FOLDER=path/to/folder [GROVE_DEMO_HOME=dir] [GROVE_DEMO_OFFLINE=1] npm run demo');
  process.exit(2);
}
const folder = resolve(folderEnv);
const home = resolve(process.env.GROVE_DEMO_HOME ?? homedir());
const offline = process.env.GROVE_DEMO_OFFLINE === '1';

const tools = resolveTools();
// The demo keeps the caller's environment (e.g. GROVE_SERVER_PATH), with code-server's Node first on PATH.
/** @type {NodeJS.ProcessEnv} */
const env = { ...process.env, PATH: `${resolve(tools.node24, '..')}:${process.env.PATH ?? '/usr/bin:/bin'}` };
let model;
if (offline) {
  if (!process.env.GROVE_DEMO_HOME) {
    console.error('GROVE_DEMO_OFFLINE=1 needs GROVE_DEMO_HOME: the offline demo never uses your real home');
    process.exit(2);
  }
  // A signed-in stand-in account (fake tokens) and a loopback model that answers every prompt by
  // writing notes.txt with a tool call, then a streamed answer (and a request without tools, such
  // as a credential check, with plain text): every feature works end to end.
  writeCredentials(home);
  // A git identity in the sandboxed home, so committing works as it would in the user's own.
  const gitconfig = resolve(home, '.gitconfig');
  if (!existsSync(gitconfig)) writeFileSync(gitconfig, '[user]\n\tname = Grove Demo\n\temail = demo@example.invalid\n');
  model = await startMessagesApi({
    finalText:
      'I wrote notes.txt in this workspace with the Write tool. Open Show Changes to see it next to your checkout. (This answer comes from the offline demo model on loopback.)',
  });
  env.ANTHROPIC_BASE_URL = model.url;
  env.CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC = '1';
  for (const inherited of ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'CLAUDE_CODE_OAUTH_TOKEN', 'CLAUDE_CONFIG_DIR']) delete env[inherited];
}
const editor = await launchCodeServer({ vsix: resolve(vsix), folder, home, tools, env });
console.log(`Grove demo: ${editor.url}`);
if (offline && process.env.GROVE_DEMO_CHECK === '1') {
  // `cargo xtask demo --offline --check`: one credential check and one commit, by a second instance of the sidecar the editor runs.
  try {
    const lines = await checkOfflineDemo({
      server: installedServer(editor.extensionsDir, env),
      env: { ...env, HOME: home },
      repo: folder,
      settings: { claudePath: tools.claude },
    });
    for (const line of lines) console.log(`Grove demo check: ${line}`);
  } catch (e) {
    console.log(`Grove demo check failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}
console.error(
  offline
    ? `(offline: HOME=${home}, a stand-in account signed in to "Max", the model on ${model.url}; Ctrl-C stops everything)`
    : `(HOME=${home}; Ctrl-C stops code-server and everything it started)`,
);

let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  console.error(`${signal}: stopping code-server…`);
  await editor.stop();
  await model?.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
// Keep running until a signal arrives.
setInterval(() => {}, 1 << 30);
