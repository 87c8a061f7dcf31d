// `cargo xtask demo --offline --check`'s proof that the offline demo's buttons work: a second instance of the sidecar the editor runs (its binary, environment, home and settings: what the editor's buttons ask of it), checks the stand-in account's credentials (`grove/auth/validate`, the "Check Claude Credentials" command) and commits in a new workspace (`grove/workspace/commit`, the "Commit" action), then removes that workspace.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A whole check (the CLI's start included) on a busy machine. */
const STEP_TIMEOUT_MS = 120_000;

/** The sidecar the editor runs: $GROVE_SERVER_PATH, else the one inside the installed extension. */
export function installedServer(extensionsDir, env) {
  if (env.GROVE_SERVER_PATH) return env.GROVE_SERVER_PATH;
  for (const dir of readdirSync(extensionsDir)) {
    const bin = join(extensionsDir, dir, 'server', 'grove-server');
    if (existsSync(bin)) return bin;
  }
  throw new Error(`no grove-server in ${extensionsDir}`);
}

/** A JSON-RPC client with LSP framing over the sidecar's stdio; notifications are ignored. */
function connect(server, env) {
  const child = spawn(server, [], { env, stdio: ['pipe', 'pipe', 'ignore'] });
  const waiting = new Map();
  let buffer = Buffer.alloc(0);
  let next = 1;
  child.stdout.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const head = buffer.indexOf('\r\n\r\n');
      if (head < 0) return;
      const length = Number(/content-length:\s*(\d+)/i.exec(buffer.subarray(0, head).toString())?.[1]);
      if (!(length >= 0) || buffer.length < head + 4 + length) return;
      const message = JSON.parse(buffer.subarray(head + 4, head + 4 + length).toString());
      buffer = buffer.subarray(head + 4 + length);
      const reply = message.id !== undefined && !message.method ? waiting.get(message.id) : undefined;
      if (reply) {
        waiting.delete(message.id);
        reply(message);
      }
    }
  });
  const write = (message) => {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }));
    child.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]));
  };
  return {
    /** The result, or throws the sidecar's error message. */
    request(method, params) {
      const id = next++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${method}: no answer in ${STEP_TIMEOUT_MS / 1000} s`)), STEP_TIMEOUT_MS);
        waiting.set(id, (m) => {
          clearTimeout(timer);
          if (m.error) reject(new Error(`${method}: ${m.error.message}`));
          else resolve(m.result);
        });
        write({ id, method, params });
      });
    },
    notify: (method, params) => write({ method, params }),
    close() {
      child.stdin.end();
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
    },
  };
}

/**
 * Checks the credentials and commits in a new workspace of `repo`, as the demo's editor would; resolves with the lines to print.
 * @param {{ server: string, env: NodeJS.ProcessEnv, repo: string, settings: Record<string, unknown> }} options `settings`: Grove's settings, as the editor sends them
 */
export async function checkOfflineDemo({ server, env, repo, settings }) {
  const sidecar = connect(server, env);
  const lines = [];
  let workspace;
  try {
    await sidecar.request('initialize', { processId: null, rootUri: null, capabilities: {}, initializationOptions: settings });
    sidecar.notify('initialized', {});
    const check = await sidecar.request('grove/auth/validate', {});
    if (!check.ok) throw new Error(`the credential check failed: ${check.message}`);
    lines.push(`a credential check passed (grove/auth/validate: ${check.message ?? 'ok'})`);
    workspace = await sidecar.request('grove/workspace/create', { repoPath: repo });
    writeFileSync(join(workspace.path, 'demo-check.txt'), 'made by cargo xtask demo --offline --check\n');
    const commit = await sidecar.request('grove/workspace/commit', { id: workspace.id, message: 'Demo check: a commit in a workspace' });
    lines.push(`a commit was made in a workspace (${commit.commit.slice(0, 12)} on ${workspace.branch}, ${commit.files.length} file)`);
  } finally {
    if (workspace) await sidecar.request('grove/workspace/delete', { id: workspace.id, deleteBranch: true, force: true }).catch(() => {});
    sidecar.close();
  }
  return lines;
}
