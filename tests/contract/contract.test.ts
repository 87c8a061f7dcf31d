// Contract test: drives the built grove-server over real stdio with vscode-jsonrpc, using only extension/src/common/protocol.ts for Grove's methods, codes and types (and the extension's own decoder of sidecar errors).
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  createMessageConnection,
  ResponseError,
  StreamMessageReader,
  StreamMessageWriter,
  NotificationType,
  type MessageConnection,
  type RequestType,
} from 'vscode-jsonrpc/node';
import {
  DidChangeConfigurationNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  ShutdownRequest,
  type InitializeResult,
} from 'vscode-languageserver-protocol';
import * as protocol from '../../extension/src/common/protocol';
import {
  AgentsChanged,
  AgentsListRequest,
  AgentCancelRequest,
  AgentEventNotification,
  AgentInterruptRequest,
  AgentListRequest,
  AgentPendingRequest,
  AgentRequestDoneNotification,
  AgentRequestNotification,
  AgentRespondRequest,
  AgentSendRequest,
  AgentStartRequest,
  AgentStateChanged,
  AgentTranscriptRequest,
  AuthLoginCancelRequest,
  AuthLoginComplete,
  AuthLoginInputRequest,
  AuthLoginProgress,
  AuthLoginRequest,
  AuthStatusChanged,
  AuthStatusRequest,
  AuthValidateRequest,
  ErrorCodes,
  PROTOCOL_VERSION,
  ProfileAddRequest,
  ProfileCheckRequest,
  ProfileRemoveRequest,
  ProfilesChanged,
  ProfilesDetectRequest,
  ProfileSetOrderRequest,
  ProfilesImportRequest,
  ProfilesInheritedRequest,
  ProfileAdoptRequest,
  ProfilesListRequest,
  RepoInfoRequest,
  SecretDeleteRequest,
  SecretGetRequest,
  SecretListRequest,
  SecretSetRequest,
  UsageGetRequest,
  WorkspaceApplyRequest,
  WorkspaceArchiveRequest,
  WorkspaceChanged,
  WorkspaceCommitMessageRequest,
  WorkspaceCommitRequest,
  WorkspaceCreatePullRequestRequest,
  WorkspaceGitStatusChanged,
  WorkspaceGitStatusRequest,
  WorkspaceMergeRequest,
  WorkspacePushRequest,
  WorkspaceResolvePromptRequest,
  WorkspaceSyncAbortRequest,
  WorkspaceSyncContinueRequest,
  WorkspaceSyncRequest,
  WorkspaceChangesRequest,
  WorkspaceCheckNameRequest,
  WorkspaceCreateRequest,
  WorkspaceDeleteRequest,
  WorkspaceFileAtBaseRequest,
  WorkspaceListRequest,
  WorkspaceRemoveRuleRequest,
  WorkspaceRestoreRequest,
  WorkspaceRulesRequest,
  WorkspaceSetProfileRequest,
  WorkspaceSetupOutput,
  type AuthStatus,
  type CliNotFoundData,
  type GroveSettings,
} from '../../extension/src/common/protocol';
import { sidecarError } from '../../extension/src/common/errors';
import { writeCredentials } from '../editor/credentials.mjs';
import { startMessagesApi } from '../editor/messagesApi.mjs';

const TIMEOUT_MS = 30_000;

/** The repository root: the first folder upwards from this file that holds tests/tools.sh (this file runs bundled, from elsewhere). */
function repoRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'tests', 'tools.sh'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no tests/tools.sh above ${__dirname}`);
  }
}

function serverBin(): string {
  const bin = process.env.GROVE_SERVER_BIN ?? join(repoRoot(), 'target', 'debug', 'grove-server');
  assert.ok(existsSync(bin), `${bin} is missing: build grove-server first (or set GROVE_SERVER_BIN)`);
  return bin;
}

/** The pinned real claude CLI: $GROVE_TEST_CLAUDE, else installed now by tests/tools.sh. */
function claudeCli(): string {
  if (process.env.GROVE_TEST_CLAUDE) return process.env.GROVE_TEST_CLAUDE;
  const out = execFileSync('bash', [join(repoRoot(), 'tests', 'tools.sh'), 'claude'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = out.split('\n').find((l) => l.startsWith('GROVE_TEST_CLAUDE='));
  assert.ok(line, `tests/tools.sh printed no GROVE_TEST_CLAUDE:\n${out}`);
  return line.slice('GROVE_TEST_CLAUDE='.length);
}

const temps: string[] = [];
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function emptyHome(): string {
  const dir = mkdtempSync(join(tmpdir(), 'grove-contract-'));
  temps.push(dir);
  return dir;
}

/** A home where the CLI finds claude.ai credentials (0700 folder, 0600 file, as the CLI writes them). */
function signedInHome(): string {
  const home = emptyHome();
  writeCredentials(home);
  return home;
}

/** One grove-server process, spoken to over its stdio; stderr (its log) is kept for failure messages. */
class Sidecar {
  readonly connection: MessageConnection;
  private readonly process: ChildProcessWithoutNullStreams;
  private log = '';
  private readonly received = new Map<string, unknown[]>();
  private readonly waiters: (() => void)[] = [];

  constructor(home: string, env: Record<string, string> = {}) {
    this.process = spawn(serverBin(), [], {
      env: {
        HOME: home,
        PATH: '/usr/bin:/bin',
        SHELL: '/bin/sh',
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        ...env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.process.stderr.setEncoding('utf8').on('data', (chunk: string) => (this.log += chunk));
    this.connection = createMessageConnection(new StreamMessageReader(this.process.stdout), new StreamMessageWriter(this.process.stdin));
    for (const type of protocolTypes().notifications) this.record(type);
    this.connection.listen();
  }

  get stderr(): string {
    return this.log;
  }

  private record<P>(type: NotificationType<P>): void {
    this.connection.onNotification(type, (params: P) => {
      exercised.add(type.method);
      const list = this.received.get(type.method) ?? [];
      list.push(params);
      this.received.set(type.method, list);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  async initialize(settings: GroveSettings): Promise<InitializeResult> {
    const result = await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: {},
      initializationOptions: settings,
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
    return result;
  }

  /** `workspace/didChangeConfiguration` with Grove settings, as the editor sends a changed setting. */
  /** Settings as the extension sends them: every `grove.*Path` (an agent's binary) as it is. */
  async configure(settings: GroveSettings & Partial<Record<`${string}Path`, string>>): Promise<void> {
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { grove: settings } });
  }

  /** The first notification of `type` that satisfies `accept`, waiting up to the timeout. */
  async waitFor<P>(type: NotificationType<P>, accept: (params: P) => boolean = () => true): Promise<P> {
    const deadline = Date.now() + TIMEOUT_MS;
    for (;;) {
      const found = (this.received.get(type.method) as P[] | undefined)?.find(accept);
      if (found !== undefined) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${type.method} within ${TIMEOUT_MS} ms; sidecar log:\n${this.log}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** shutdown + exit, then kill whatever is left. */
  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => {
      if (this.process.exitCode !== null || this.process.signalCode !== null) resolve();
      else this.process.once('exit', () => resolve());
    });
    try {
      await withTimeout(this.connection.sendRequest(ShutdownRequest.type), 5_000);
      await this.connection.sendNotification(ExitNotification.type);
      await withTimeout(exited, 5_000);
    } catch {
      // Killed below.
    } finally {
      this.connection.dispose();
      this.process.kill('SIGKILL');
    }
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `body` with a started sidecar and always stops it. */
async function withSidecar(home: string, env: Record<string, string>, body: (s: Sidecar) => Promise<void>): Promise<void> {
  const sidecar = new Sidecar(home, env);
  try {
    await body(sidecar);
  } catch (error) {
    if (error instanceof Error) error.message += `\n--- sidecar log ---\n${sidecar.stderr}`;
    throw error;
  } finally {
    await sidecar.stop();
  }
}

/** Every request and notification type of protocol.ts (its exports with a `grove/` method). */
function protocolTypes(): {
  methods: Set<string>;
  notifications: NotificationType<unknown>[];
} {
  const methods = new Set<string>();
  const notifications: NotificationType<unknown>[] = [];
  for (const value of Object.values(protocol) as unknown[]) {
    const method = (value as { method?: unknown } | null)?.method;
    if (typeof method !== 'string' || !method.startsWith('grove/')) continue;
    methods.add(method);
    if (value instanceof NotificationType) notifications.push(value as NotificationType<unknown>);
  }
  return { methods, notifications };
}

/** Methods this file has called (requests) or received (notifications), across its tests. */
const exercised = new Set<string>();

/** `sendRequest` that remembers the method; an error answer counts as a call too. */
async function call<P, R>(s: Sidecar, type: RequestType<P, R, void>, params: P): Promise<R> {
  exercised.add(type.method);
  return s.connection.sendRequest(type, params);
}

/** The error a request is answered with (fails if it succeeds). */
async function refused<P, R>(s: Sidecar, type: RequestType<P, R, void>, params: P): Promise<ResponseError<unknown>> {
  const error = await call(s, type, params).then(
    (r) => assert.fail(`${type.method} should fail, got ${JSON.stringify(r)}`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ResponseError, String(error));
  return error;
}

/** A stand-in `claude` that, for `auth login`, shows the real CLI's prompt and fails on the pasted code; anything else runs the real CLI. */
function loginStandIn(home: string, real: string): string {
  const dir = join(home, 'bin');
  mkdirSync(dir, { recursive: true });
  const script = join(dir, 'claude');
  writeFileSync(
    script,
    `#!/bin/bash
if [ "$1 $2" = "auth login" ]; then
  echo "If the browser didn't open, visit: https://claude.com/cai/oauth/authorize?code=true&state=contract"
  printf 'Paste code here if prompted > '
  read -r code
  echo "OAuth error: Invalid code" >&2
  exit 1
fi
exec '${real}' "$@"
`,
    { mode: 0o755 },
  );
  return script;
}

/** A git repository on main with one commit and a setup script that prints a line. */
function repository(parent: string): string {
  const repo = join(parent, 'contract-repo');
  mkdirSync(join(repo, '.grove'), { recursive: true });
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'contract@example.invalid');
  git('config', 'user.name', 'Contract');
  writeFileSync(join(repo, 'README.md'), '# Contract\n');
  writeFileSync(join(repo, '.grove', 'setup.sh'), 'echo setting up\n');
  git('add', '.');
  git('commit', '-q', '-m', 'first');
  return repo;
}

describe('grove-server contract', { timeout: 10 * TIMEOUT_MS }, () => {
  it('answers initialize with its name and the protocol version of protocol.ts', async () => {
    await withSidecar(emptyHome(), {}, async (s) => {
      const result = await s.initialize({});
      assert.equal(result.serverInfo?.name, 'grove-server');
      const experimental = result.capabilities.experimental as { grove?: { protocolVersion?: number } } | undefined;
      assert.equal(experimental?.grove?.protocolVersion, PROTOCOL_VERSION);
    });
  });

  it('reports a signed-out empty home, pushed and on request', async () => {
    const cli = claudeCli();
    await withSidecar(emptyHome(), {}, async (s) => {
      await s.initialize({ claudePath: cli });
      const pushed: AuthStatus = await s.waitFor(AuthStatusChanged);
      assert.equal(pushed.loggedIn, false);
      assert.equal(pushed.authMethod, 'none');
      assert.equal(pushed.cli.path, cli);
      const asked = await s.connection.sendRequest(AuthStatusRequest, {});
      assert.equal(asked.loggedIn, false);
      assert.equal(asked.authMethod, 'none');
      assert.equal(asked.cli.path, cli);
      assert.equal(asked.lastFailure, null);
      assert.ok(!Number.isNaN(Date.parse(asked.checkedAt)), `checkedAt is RFC 3339: ${asked.checkedAt}`);
    });
  });

  it('reports claude.ai / max for a home with credentials', async () => {
    const cli = claudeCli();
    await withSidecar(signedInHome(), {}, async (s) => {
      await s.initialize({ claudePath: cli });
      const pushed = await s.waitFor(AuthStatusChanged);
      assert.equal(pushed.loggedIn, true);
      assert.equal(pushed.subscriptionType, 'max');
      const forced = await s.connection.sendRequest(AuthStatusRequest, {
        force: true,
      });
      assert.equal(forced.loggedIn, true);
      assert.equal(forced.authMethod, 'claude.ai');
      assert.equal(forced.subscriptionType, 'max');
      assert.equal(forced.cli.version, '2.1.329');
      assert.ok(!s.stderr.includes('FAKEACCESS') && !s.stderr.includes('FAKEREFRESH'), 'no token in the log');
    });
  });

  it('answers CliNotFound, with the places searched, when there is no CLI', async () => {
    await withSidecar(emptyHome(), {}, async (s) => {
      await s.initialize({});
      const error = await s.connection.sendRequest(AuthStatusRequest, {}).then(
        (status) => assert.fail(`expected CliNotFound, got ${JSON.stringify(status)}`),
        (e: unknown) => e,
      );
      assert.ok(error instanceof ResponseError, `a JSON-RPC error: ${String(error)}`);
      assert.equal(error.code, ErrorCodes.CliNotFound);
      const data = error.data as CliNotFoundData;
      assert.ok(Array.isArray(data.searched) && data.searched.length > 0, JSON.stringify(error.data));
      assert.ok(data.searched.every((p) => typeof p === 'string'));
      assert.match(error.message, /grove\.claudePath|install/i);
    });
  });

  it('answers grove/repo/info: the main checkout from itself, a subfolder and a linked worktree, and uncommitted files', async () => {
    const dir = realpathSync(emptyHome());
    const repo = join(dir, 'repo');
    const wt = join(dir, 'wt');
    const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' });
    mkdirSync(join(repo, 'src'), { recursive: true });
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'config', 'user.name', 'Test');
    git(repo, 'config', 'user.email', 'test@example.invalid');
    writeFileSync(join(repo, 'README.md'), '# hi\n');
    writeFileSync(join(repo, 'src', 'a.ts'), 'a\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'first');
    git(repo, 'worktree', 'add', '-q', '-b', 'topic', wt);
    await withSidecar(emptyHome(), {}, async (s) => {
      await s.initialize({});
      const main = await s.connection.sendRequest(RepoInfoRequest, {
        path: repo,
      });
      assert.deepEqual(main, {
        root: repo,
        mainRoot: repo,
        isWorktree: false,
        branch: 'main',
        dirtyFiles: [],
        branches: ['main', 'topic'],
      });
      const sub = await s.connection.sendRequest(RepoInfoRequest, {
        path: join(repo, 'src'),
      });
      assert.equal(sub.mainRoot, repo);
      const linked = await s.connection.sendRequest(RepoInfoRequest, {
        path: wt,
      });
      assert.deepEqual(linked, {
        root: wt,
        mainRoot: repo,
        isWorktree: true,
        branch: 'topic',
        dirtyFiles: [],
        branches: ['main', 'topic'],
      });

      // Uncommitted and untracked files, as Delete's confirmation lists them (a rename shows its new path).
      writeFileSync(join(wt, 'README.md'), 'changed\n');
      mkdirSync(join(wt, 'new'));
      writeFileSync(join(wt, 'new', 'b.txt'), 'b\n');
      git(wt, 'mv', 'src/a.ts', 'src/renamed.ts');
      const dirty = await s.connection.sendRequest(RepoInfoRequest, {
        path: wt,
      });
      assert.ok(
        ['README.md', 'new/b.txt', 'src/renamed.ts'].every((f) => dirty.dirtyFiles.includes(f)),
        JSON.stringify(dirty.dirtyFiles),
      );
      // Nothing else: the rename's old path at most (git2 lists a rename as a deletion and an addition).
      const expected = ['README.md', 'new/b.txt', 'src/renamed.ts', 'src/a.ts'];
      assert.ok(
        dirty.dirtyFiles.every((f) => expected.includes(f)),
        JSON.stringify(dirty.dirtyFiles),
      );

      // Outside a repository: NotARepository, which the extension reads as "no repository here".
      const outside = realpathSync(emptyHome());
      for (const path of [outside, join(outside, 'missing')]) {
        const error = await s.connection.sendRequest(RepoInfoRequest, { path }).then(
          (info) => assert.fail(`expected NotARepository, got ${JSON.stringify(info)}`),
          (e: unknown) => e,
        );
        assert.ok(error instanceof ResponseError, `a JSON-RPC error: ${String(error)}`);
        assert.equal(sidecarError(error).code, ErrorCodes.NotARepository);
      }
    });
  });
  it('calls every method of protocol.ts and hears every notification it declares', { timeout: 6 * TIMEOUT_MS }, async () => {
    const api = await startMessagesApi({ finalText: 'Done.' });
    const ollama = await startMessagesApi({ finalText: 'Hello from the Ollama stand-in.', tags: ['qwen3-coder'] });
    const home = signedInHome();
    const repo = repository(home);
    const cli = loginStandIn(home, claudeCli());
    try {
      // Local model servers are looked for where these point (nothing answers on the LM Studio one).
      const env = { ANTHROPIC_BASE_URL: api.url, GROVE_OLLAMA_URL: ollama.url, GROVE_LMSTUDIO_URL: 'http://127.0.0.1:9' };
      await withSidecar(home, env, async (s) => {
        await s.initialize({ claudePath: cli });
        await s.waitFor(AuthStatusChanged);

        // The agent CLIs: all four listed, Claude Code first and found; a codexPath that finds an
        // executable is told at once.
        const agents = (await call(s, AgentsListRequest, {})).agents;
        assert.deepEqual(
          agents.map((a) => a.id),
          ['claude', 'codex', 'gemini', 'opencode'],
        );
        assert.equal(agents[0]?.found, true);
        await s.configure({ claudePath: cli, codexPath: cli });
        await s.waitFor(AgentsChanged, (l) => l.agents.some((a) => a.id === 'codex' && a.found));
        await s.configure({ claudePath: cli });

        // Sign-in: status, validation, a login answered with a wrong code, a login cancelled.
        assert.equal((await call(s, AuthStatusRequest, { force: true })).loggedIn, true);
        assert.equal(typeof (await call(s, AuthValidateRequest, {})).ok, 'boolean');
        const first = await call(s, AuthLoginRequest, {});
        await s.waitFor(AuthLoginProgress, (p) => p.loginId === first.loginId && p.line.includes('Paste code'));
        await call(s, AuthLoginInputRequest, {
          loginId: first.loginId,
          code: 'wrong-code',
        });
        const done = await s.waitFor(AuthLoginComplete, (c) => c.loginId === first.loginId);
        assert.equal(done.success, false);
        const second = await call(s, AuthLoginRequest, {});
        await call(s, AuthLoginCancelRequest, { loginId: second.loginId });
        await s.waitFor(AuthLoginComplete, (c) => c.loginId === second.loginId);

        // Plugin secrets, and usage (off: refused with its code).
        await call(s, SecretSetRequest, { key: 'contract', value: 'a value' });
        assert.equal((await call(s, SecretGetRequest, { key: 'contract' })).value, 'a value');
        assert.deepEqual((await call(s, SecretListRequest, {})).keys, ['contract']);
        await call(s, SecretDeleteRequest, { key: 'contract' });
        assert.equal((await refused(s, UsageGetRequest, {})).code, ErrorCodes.UsageDisabled);

        // Workspaces: the repository, a workspace with its setup output, changes, a base file.
        const info = await call(s, RepoInfoRequest, { path: repo });
        assert.equal(info.isWorktree, false);
        assert.deepEqual(await call(s, WorkspaceCheckNameRequest, { repoPath: repo, name: 'contract' }), {
          ok: true,
          message: null,
          keptBranch: null,
        });
        const ws = await call(s, WorkspaceCreateRequest, {
          repoPath: repo,
          name: 'contract',
        });
        await s.waitFor(WorkspaceChanged, (c) => c.workspace.id === ws.id);
        assert.equal((await call(s, WorkspaceCheckNameRequest, { repoPath: repo, name: 'contract' })).ok, false, 'taken now');
        await s.waitFor(WorkspaceSetupOutput, (o) => o.workspaceId === ws.id && o.line === 'setting up');
        assert.ok((await call(s, WorkspaceListRequest, {})).workspaces.some((w) => w.id === ws.id));
        assert.deepEqual((await call(s, WorkspaceChangesRequest, { id: ws.id })).files, []);
        assert.equal(
          (
            await call(s, WorkspaceFileAtBaseRequest, {
              id: ws.id,
              path: 'README.md',
            })
          ).content,
          '# Contract\n',
        );

        // An interactive run: in the default permission mode the Write is asked (the run waits), listed
        // as pending, answered "always allow here" (a Write rule, listed and removed), and the run ends;
        // a message or an interrupt for a run that no longer runs is refused, as is an unknown answer.
        const asking = await call(s, AgentStartRequest, { workspaceId: ws.id, prompt: 'write notes.txt', permissionMode: 'default' });
        const asked = await s.waitFor(AgentRequestNotification, (r) => r.runId === asking.runId);
        assert.equal(asked.kind, 'tool');
        assert.equal(asked.toolName, 'Write');
        assert.equal(asked.workspaceId, ws.id);
        assert.match(JSON.stringify(asked.input), /notes\.txt/);
        await s.waitFor(AgentStateChanged, (r) => r.runId === asking.runId && r.state === 'waiting');
        const pending = await call(s, AgentPendingRequest, { workspaceId: ws.id });
        assert.deepEqual(
          pending.requests.map((r) => r.requestId),
          [asked.requestId],
        );
        await call(s, AgentRespondRequest, {
          runId: asking.runId,
          requestId: asked.requestId,
          behavior: 'allowAlways',
        });
        const answered = await s.waitFor(AgentRequestDoneNotification, (d) => d.requestId === asked.requestId);
        assert.equal(answered.outcome, 'allowAlways');
        await s.waitFor(AgentStateChanged, (r) => r.runId === asking.runId && r.state === 'succeeded');
        assert.ok(existsSync(join(ws.path, 'notes.txt')), 'the allowed Write wrote the file');
        assert.deepEqual((await call(s, AgentPendingRequest, {})).requests, []);
        const rules = await call(s, WorkspaceRulesRequest, { id: ws.id });
        assert.deepEqual(rules.rules, [{ toolName: 'Write' }]);
        assert.deepEqual((await call(s, WorkspaceRemoveRuleRequest, { id: ws.id, rule: { toolName: 'Write' } })).rules, []);
        const again = await refused(s, AgentRespondRequest, {
          runId: asking.runId,
          requestId: asked.requestId,
          behavior: 'allow',
        });
        assert.equal(again.code, ErrorCodes.NotFound);
        for (const late of [
          await refused(s, AgentSendRequest, { runId: asking.runId, text: 'one more thing' }),
          await refused(s, AgentInterruptRequest, { runId: asking.runId }),
        ]) {
          const failure = sidecarError(late);
          assert.equal(failure.code, ErrorCodes.InvalidParams, failure.message);
          assert.equal((failure.data as { reason?: string } | undefined)?.reason, 'notRunning');
        }
        assert.equal((await refused(s, AgentSendRequest, { runId: 'no-such-run', text: 'hello' })).code, ErrorCodes.NotFound);

        // An agent run: its events and state changes, the list, the transcript; a cancel of a
        // finished run is accepted or refused, but answered.
        const run = await call(s, AgentStartRequest, {
          workspaceId: ws.id,
          prompt: 'write notes.txt',
          permissionMode: 'acceptEdits',
        });
        const ended = await s.waitFor(AgentStateChanged, (r) => r.runId === run.runId && r.state === 'succeeded');
        await s.waitFor(AgentEventNotification, (e) => e.runId === run.runId);
        assert.ok((await call(s, AgentListRequest, { workspaceId: ws.id })).runs.some((r) => r.runId === ended.runId));
        assert.ok((await call(s, AgentTranscriptRequest, { runId: run.runId })).events.length > 0);
        await call(s, AgentCancelRequest, { runId: run.runId }).catch((e: unknown) => assert.ok(e instanceof ResponseError));

        // Auth profiles: the list with the built-in profile, the Ollama stand-in detected and added
        // (heard in a change), a refused token, a run with the profile and its model, a check, the
        // order, a workspace default, an import with nothing to import, removal.
        const listed = await call(s, ProfilesListRequest, {});
        assert.ok(
          listed.profiles.some((p) => p.id === 'anthropic:claude-cli' && p.type === 'cli'),
          JSON.stringify(listed),
        );
        assert.ok(Array.isArray(listed.importable));
        const detected = await call(s, ProfilesDetectRequest, {});
        const found = detected.endpoints.find((e) => e.provider === 'ollama');
        assert.ok(found, JSON.stringify(detected));
        assert.deepEqual(found.models, ['qwen3-coder']);
        const added = await call(s, ProfileAddRequest, { provider: 'ollama', name: 'contract', type: 'endpoint', baseUrl: found.baseUrl });
        assert.equal(added.id, 'ollama:contract');
        assert.equal(added.type, 'endpoint');
        await s.waitFor(ProfilesChanged, (l) => l.profiles.some((p) => p.id === added.id));
        const badToken = await refused(s, ProfileAddRequest, {
          provider: 'anthropic',
          name: 'bad',
          type: 'token',
          secret: 'sk-ant-api03-FAKE-not-a-setup-token-0000000',
        });
        assert.equal(badToken.code, ErrorCodes.InvalidParams);
        assert.equal((badToken.data as { reason?: string } | undefined)?.reason, 'wrongPrefix');
        assert.ok(!badToken.message.includes('not-a-setup-token'), 'the refusal does not repeat the secret');
        assert.ok(!(await call(s, ProfilesListRequest, {})).profiles.some((p) => p.id === 'anthropic:bad'), 'nothing stored');

        const ollamaRun = await call(s, AgentStartRequest, {
          workspaceId: ws.id,
          prompt: 'say hello',
          profile: added.id,
          model: 'qwen3-coder',
          permissionMode: 'acceptEdits',
        });
        const ollamaEnded = await s.waitFor(
          AgentStateChanged,
          (r) => r.runId === ollamaRun.runId && (r.state === 'succeeded' || r.state === 'failed' || r.state === 'authRequired'),
        );
        assert.equal(ollamaEnded.state, 'succeeded', JSON.stringify(ollamaEnded));
        assert.equal(ollamaEnded.profile, added.id);
        assert.equal(ollamaEnded.provider, 'ollama');
        assert.equal(ollamaEnded.model, 'qwen3-coder');
        const sent = ollama.requests.findIndex((b) => (b as { model?: unknown } | null)?.model === 'qwen3-coder');
        assert.ok(
          sent >= 0,
          `the stand-in got a request for qwen3-coder: ${JSON.stringify(ollama.requests.map((b) => (b as { model?: unknown } | null)?.model))}`,
        );
        const headers = ollama.headers[sent] ?? {};
        assert.ok(headers.authorization === 'Bearer ollama' || headers['x-api-key'] !== undefined, JSON.stringify(headers));

        assert.equal(typeof (await call(s, ProfileCheckRequest, { id: added.id })).ok, 'boolean');
        await call(s, ProfileSetOrderRequest, { provider: 'ollama', ids: [added.id] });
        assert.equal((await call(s, WorkspaceSetProfileRequest, { id: ws.id, profile: added.id })).profile, added.id);
        assert.equal((await call(s, WorkspaceSetProfileRequest, { id: ws.id, profile: null })).profile, undefined);
        const imported = await call(s, ProfilesImportRequest, {});
        assert.deepEqual(imported, { imported: [], skipped: [], reasons: {} });
        // No API key is inherited here: none offered, and adopting one is refused.
        assert.deepEqual((await call(s, ProfilesInheritedRequest, {})).keys, []);
        const notInherited = await refused(s, ProfileAdoptRequest, { variable: 'PATH', name: 'path' });
        assert.equal((notInherited.data as { reason?: string } | undefined)?.reason, 'notInherited');
        assert.equal(((await refused(s, ProfileRemoveRequest, { id: 'anthropic:claude-cli' })).data as { reason?: string } | undefined)?.reason, 'builtIn');
        await call(s, ProfileRemoveRequest, { id: added.id });
        assert.ok(!(await call(s, ProfilesListRequest, {})).profiles.some((p) => p.id === added.id));

        // Landing: the message prefilled from the runs, a commit of the agents' files (heard as a
        // git status change), the status, a sync with a base that has not moved, the steps of a
        // stopped sync (answered: refused or nothing to do), a push and a pull request with no
        // remote (refused), a merge into main (the main checkout gets the file), then apply.
        const message = await call(s, WorkspaceCommitMessageRequest, { id: ws.id });
        assert.ok(message.message.trim().length > 0, JSON.stringify(message));
        const committed = await call(s, WorkspaceCommitRequest, { id: ws.id, message: 'Contract: the notes' });
        assert.ok(committed.files.includes('notes.txt'), JSON.stringify(committed));
        await s.waitFor(WorkspaceGitStatusChanged, (p) => p.id === ws.id && p.status.ahead >= 1);
        const status = await call(s, WorkspaceGitStatusRequest, { id: ws.id });
        assert.equal(status.base, 'main', JSON.stringify(status));
        assert.ok(status.ahead >= 1 && status.behind === 0, JSON.stringify(status));
        assert.equal((await call(s, WorkspaceSyncRequest, { id: ws.id })).status, 'upToDate');
        const answeredAnyway = (e: unknown) => assert.equal(typeof (e as { code?: unknown }).code, 'number', String(e));
        await call(s, WorkspaceSyncContinueRequest, { id: ws.id }).catch(answeredAnyway);
        await call(s, WorkspaceSyncAbortRequest, { id: ws.id }).catch(answeredAnyway);
        await call(s, WorkspaceResolvePromptRequest, { id: ws.id }).catch(answeredAnyway);
        await refused(s, WorkspacePushRequest, { id: ws.id });
        await refused(s, WorkspaceCreatePullRequestRequest, { id: ws.id, title: 'Contract', body: 'From the contract test.' });
        const merged = await call(s, WorkspaceMergeRequest, { id: ws.id });
        assert.ok(merged.commit.length > 0, JSON.stringify(merged));
        assert.ok(existsSync(join(repo, 'notes.txt')), 'the merge brought the file into the main checkout');
        await call(s, WorkspaceApplyRequest, { id: ws.id }).catch(answeredAnyway);

        // Archive (its work saved), restore, delete.
        await call(s, WorkspaceArchiveRequest, { id: ws.id, force: true });
        await call(s, WorkspaceRestoreRequest, { id: ws.id });
        await call(s, WorkspaceDeleteRequest, {
          id: ws.id,
          force: true,
          deleteBranch: true,
        });
      });
    } finally {
      await api.close();
      await ollama.close();
    }
    assert.deepEqual([...exercised].sort(), [...protocolTypes().methods].sort(), 'the contract test calls or hears every method of protocol.ts');
  });
});
