// Demo launcher: code-server with Grove installed, on loopback, until Ctrl-C (or SIGTERM); then stops everything it started.
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { launchCodeServer, resolveTools } from './codeServer.mjs';

const vsix = process.env.GROVE_VSIX;
const folderEnv = process.env.GROVE_DEMO_FOLDER;
if (!vsix || !folderEnv) {
  console.error('usage: GROVE_VSIX=path/to/grove.vsix GROVE_DEMO_FOLDER=path/to/folder [GROVE_DEMO_HOME=dir] npm run demo');
  process.exit(2);
}
const folder = resolve(folderEnv);
const home = resolve(process.env.GROVE_DEMO_HOME ?? homedir());

const tools = resolveTools();
// The demo keeps the caller's environment (e.g. GROVE_SERVER_PATH), with code-server's Node first on PATH.
const env = { ...process.env, PATH: `${resolve(tools.node24, '..')}:${process.env.PATH ?? '/usr/bin:/bin'}` };
const editor = await launchCodeServer({ vsix: resolve(vsix), folder, home, tools, env });
console.log(`Grove demo: ${editor.url}`);
console.error(`(HOME=${home}; Ctrl-C stops code-server and everything it started)`);

let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  console.error(`${signal}: stopping code-server…`);
  await editor.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
// Keep running until a signal arrives.
setInterval(() => {}, 1 << 30);
