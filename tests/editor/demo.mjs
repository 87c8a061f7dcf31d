// Demo launcher: code-server with Grove installed, on loopback, until Ctrl-C (or SIGTERM); then stops everything it started. With GROVE_DEMO_OFFLINE=1 it needs no account and no network: a signed-in stand-in account in the (sandboxed) home and a loopback model.
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { launchCodeServer, resolveTools } from './codeServer.mjs';
import { writeCredentials } from './credentials.mjs';
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
  // writing notes.txt with a tool call, then a streamed answer: every feature works end to end.
  writeCredentials(home);
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
