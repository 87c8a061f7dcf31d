// Unit tests of signIn: the sign-in controller against fake sidecar requests, error messages, secret masking, auth-failure alerts and sign-out quoting.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCodes, type AuthLoginParams, type AuthStatus, type AuthValidateResult } from '../common/protocol';
import {
  cleanCode,
  describeError,
  failureAlertMessage,
  FailureAlerts,
  isLoginMethod,
  MAX_LINES,
  needsSignInAgain,
  plainLoginError,
  scrub,
  shellQuote,
  SIGN_IN_AGAIN,
  SignInController,
  signOutCaveat,
  signOutCommandLine,
  type SignInRequests,
  type SignInView,
} from './signIn';
import { apiKey, CHECKED_AT, max, signedOut } from './accountFixtures';

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A JSON-RPC error as the language client throws it. */
function rpcError(code: number, message: string, data?: unknown): Error {
  return Object.assign(new Error(message), { code, data });
}

/** Fake requests that record what was sent. */
function fakeSidecar(overrides: Partial<SignInRequests> = {}) {
  const sent: { method: string; params: unknown }[] = [];
  const requests: SignInRequests = {
    login: (params: AuthLoginParams) => {
      sent.push({ method: 'login', params });
      return Promise.resolve({ loginId: 'login-1' });
    },
    input: (params) => {
      sent.push({ method: 'input', params });
      return Promise.resolve(null);
    },
    cancel: (params) => {
      sent.push({ method: 'cancel', params });
      return Promise.resolve(null);
    },
    validate: (): Promise<AuthValidateResult> => {
      sent.push({ method: 'validate', params: {} });
      return Promise.resolve({ ok: true, message: null });
    },
    ...overrides,
  };
  return { sent, requests };
}

const URL = 'https://claude.com/cai/oauth/authorize?code=true&state=abc';
const progress = (line: string, url: string | null = null, loginId = 'login-1') => ({ loginId, stream: 'stdout' as const, line, url });

describe('SignInController', () => {
  it('starts a sign-in with the chosen method and follows its progress to success', async () => {
    const { sent, requests } = fakeSidecar();
    const c = new SignInController(requests);
    const views: SignInView[] = [];
    c.onDidChange((v) => views.push(v));

    assert.deepEqual(await c.start('claudeai'), { kind: 'started', loginId: 'login-1' });
    assert.deepEqual(sent, [{ method: 'login', params: { method: 'claudeai' } }]);
    assert.equal(views[0]?.signIn.kind, 'starting');

    c.progress(progress('Opening browser to sign in…'));
    c.progress(progress(`If the browser didn't open, visit: ${URL}`, URL));
    c.progress(progress('Paste code here if prompted >'));
    c.progress(progress('from another sign-in', null, 'login-9'));
    const state = c.state;
    assert.equal(state.kind, 'running');
    assert.equal(state.url, URL);
    assert.deepEqual(
      state.lines.map((l) => l.line),
      ['Opening browser to sign in…', `If the browser didn't open, visit: ${URL}`, 'Paste code here if prompted >'],
    );

    assert.equal(await c.submitCode('  "good-code#state"\n'), undefined);
    assert.deepEqual(sent[1], { method: 'input', params: { loginId: 'login-1', code: 'good-code#state' } });
    assert.equal(c.state.kind === 'running' && c.state.codeSent, true);

    assert.equal(c.complete({ loginId: 'login-9', success: true, error: null }), undefined);
    assert.deepEqual(c.complete({ loginId: 'login-1', success: true, error: null }), { success: true, error: null });
    assert.deepEqual(c.state, { kind: 'idle', last: { success: true, error: null } });
    assert.equal(c.busy, false);
  });

  it('keeps notifications that overtake the answer to login, and replays them', async () => {
    const answer = deferred<{ loginId: string }>();
    const { requests } = fakeSidecar({ login: () => answer.promise });
    const c = new SignInController(requests);
    const outcomes: unknown[] = [];
    c.onDidComplete((loginId, outcome) => outcomes.push([loginId, outcome]));
    const started = c.start('sso');
    c.progress(progress('early line', null, 'login-7'));
    c.progress(progress('someone else', null, 'login-8'));
    c.complete({ loginId: 'login-7', success: false, error: 'Login failed' });
    answer.resolve({ loginId: 'login-7' });
    await started;
    assert.deepEqual(c.state, { kind: 'idle', last: { success: false, error: 'Login failed' } });
    assert.deepEqual(outcomes, [['login-7', { success: false, error: 'Login failed' }]]);
  });

  it('does not start a second sign-in while one is under way', async () => {
    const { sent, requests } = fakeSidecar();
    const c = new SignInController(requests);
    await c.start('claudeai');
    assert.deepEqual(await c.start('console'), { kind: 'busy' });
    assert.equal(sent.length, 1);
  });

  it('shows the running sign-in the sidecar names when it refuses another (LoginInProgress)', async () => {
    const { requests } = fakeSidecar({
      login: () => Promise.reject(rpcError(ErrorCodes.LoginInProgress, 'A sign-in is already running', { loginId: 'login-3' })),
    });
    const c = new SignInController(requests);
    const result = await c.start('claudeai');
    assert.equal(result.kind, 'adopted');
    assert.equal(result.loginId, 'login-3');
    assert.deepEqual(result.problem.actions, ['showSignIn']);
    assert.deepEqual(c.state, { kind: 'running', loginId: 'login-3', method: null, lines: [], url: null, codeSent: false, cancelling: false });
    c.progress(progress('late line', null, 'login-3'));
    assert.equal(c.state.kind === 'running' && c.state.lines.length, 1);
  });

  it('goes back to idle when the sign-in cannot start (CliNotFound)', async () => {
    const { requests } = fakeSidecar({ login: () => Promise.reject(rpcError(ErrorCodes.CliNotFound, 'not found', { searched: [] })) });
    const c = new SignInController(requests);
    const result = await c.start('claudeai');
    assert.equal(result.kind, 'failed');
    assert.deepEqual(result.problem.actions, ['installCli', 'openClaudePathSetting']);
    assert.deepEqual(c.state, { kind: 'idle', last: null });
  });

  it('cancels, and learns the outcome from loginComplete', async () => {
    const { sent, requests } = fakeSidecar();
    const c = new SignInController(requests);
    await c.start('claudeai');
    assert.equal(await c.cancel(), undefined);
    assert.deepEqual(sent[1], { method: 'cancel', params: { loginId: 'login-1' } });
    assert.equal(c.state.kind === 'running' && c.state.cancelling, true);
    c.complete({ loginId: 'login-1', success: false, error: 'cancelled' });
    assert.deepEqual(c.state, { kind: 'idle', last: { success: false, error: 'cancelled' } });
  });

  it('cancels a sign-in whose id is not known yet as soon as it is', async () => {
    const answer = deferred<{ loginId: string }>();
    const { sent, requests } = fakeSidecar({
      login: () => {
        sent.push({ method: 'login', params: null });
        return answer.promise;
      },
    });
    const c = new SignInController(requests);
    const started = c.start('claudeai');
    await c.cancel();
    answer.resolve({ loginId: 'login-2' });
    await started;
    assert.deepEqual(
      sent.map((s) => s.method),
      ['login', 'cancel'],
    );
  });

  it('ends a sign-in the sidecar no longer knows (UnknownLogin)', async () => {
    const unknown = () => Promise.reject(rpcError(ErrorCodes.UnknownLogin, 'No sign-in "login-1" is running.', { loginId: 'login-1' }));
    const { requests } = fakeSidecar({ input: unknown, cancel: unknown });
    const c = new SignInController(requests);
    await c.start('claudeai');
    const problem = await c.submitCode('abcd');
    assert.ok(problem);
    assert.deepEqual(problem.actions, ['signIn']);
    assert.match(problem.message, /already ended.*Sign in/);
    assert.equal(c.state.kind, 'idle');

    await c.start('claudeai');
    assert.equal(await c.cancel(), undefined);
    assert.deepEqual(c.state, { kind: 'idle', last: { success: false, error: 'cancelled' } });
  });

  it('refuses an empty code, and a code with no sign-in', async () => {
    const { sent, requests } = fakeSidecar();
    const c = new SignInController(requests);
    assert.deepEqual((await c.submitCode('x'))?.actions, ['signIn']);
    await c.start('claudeai');
    assert.equal((await c.submitCode(' "" '))?.severity, 'warning');
    assert.deepEqual(
      sent.map((s) => s.method),
      ['login'],
    );
  });

  it('never shows a pasted code, even when the CLI repeats it', async () => {
    const { requests } = fakeSidecar();
    const c = new SignInController(requests);
    await c.start('claudeai');
    await c.submitCode('secret-code-123#state-xyz');
    c.progress(progress('Invalid code secret-code-123#state-xyz'));
    const state = c.state;
    assert.ok(state.kind === 'running' && !JSON.stringify(state).includes('secret-code-123'));
    c.complete({ loginId: 'login-1', success: false, error: 'bad code secret-code-123' });
    assert.deepEqual(c.state, { kind: 'idle', last: { success: false, error: 'bad code •••' } });
  });

  it('keeps the first lines and the latest ones of a long sign-in', async () => {
    const { requests } = fakeSidecar();
    const c = new SignInController(requests);
    await c.start('claudeai');
    for (let i = 0; i < MAX_LINES + 10; i++) c.progress(progress(`line ${i}`));
    const state = c.state;
    assert.ok(state.kind === 'running');
    assert.equal(state.lines.length, MAX_LINES);
    assert.deepEqual(
      state.lines.slice(0, 3).map((l) => l.line),
      ['line 0', 'line 1', 'line 12'],
    );
    assert.equal(state.lines.at(-1)?.line, `line ${MAX_LINES + 9}`);
  });

  it('ignores links that are not web pages', async () => {
    const { requests } = fakeSidecar();
    const c = new SignInController(requests);
    await c.start('claudeai');
    c.progress(progress('x', 'javascript:alert(1)'));
    assert.equal(c.state.kind === 'running' && c.state.url, null);
  });

  it('ends a sign-in when the sidecar goes away', async () => {
    const { requests } = fakeSidecar();
    const c = new SignInController(requests);
    c.reset('gone');
    assert.deepEqual(c.state, { kind: 'idle', last: null });
    await c.start('claudeai');
    c.reset('gone');
    assert.deepEqual(c.state, { kind: 'idle', last: { success: false, error: 'gone' } });
  });

  it('forgets a failed sign-in once signed in', () => {
    const { requests } = fakeSidecar();
    const c = new SignInController(requests);
    c.reset('x');
    c.statusSeen(max);
    assert.deepEqual(c.state, { kind: 'idle', last: null });
  });

  it('checks the credentials', async () => {
    const { requests } = fakeSidecar({ validate: () => Promise.resolve({ ok: false, message: 'Invalid API key sk-ant-api03-abcdef' }) });
    const now = new Date('2026-11-21T10:30:00.000Z');
    const c = new SignInController(requests, () => now);
    const seen: string[] = [];
    c.onDidChange((v) => seen.push(v.validation.kind));
    assert.equal(await c.validate(), undefined);
    assert.deepEqual(seen, ['running', 'done']);
    assert.deepEqual(c.view.validation, { kind: 'done', ok: false, message: 'Invalid API key sk-ant-api03-…', at: now.toISOString() });
  });

  it('reports a credentials check that could not run', async () => {
    const { requests } = fakeSidecar({ validate: () => Promise.reject(rpcError(ErrorCodes.CliFailed, 'timed out')) });
    const c = new SignInController(requests);
    const problem = await c.validate();
    assert.match(problem?.message ?? '', /could not check the credentials: timed out/);
    assert.equal(c.view.validation.kind === 'done' && c.view.validation.ok, false);
  });
});

describe('describeError', () => {
  it('says what to do for each sign-in error', () => {
    assert.match(describeError(rpcError(ErrorCodes.CliNotFound, 'm'), 'login').message, /could not find the Claude CLI.*grove\.claudePath/);
    assert.match(describeError(rpcError(ErrorCodes.LoginInProgress, 'm'), 'login').message, /already running.*cancel it/);
    assert.match(describeError(rpcError(ErrorCodes.UnknownLogin, 'm'), 'cancel').message, /Press Sign in/);
    const other = describeError(new Error("Grove's sidecar is not running."), 'input');
    assert.equal(other.message, "Grove could not send the code: Grove's sidecar is not running.");
    assert.deepEqual(other.actions, ['showLogs']);
  });
});

describe('secrets', () => {
  it('cleans a pasted code as the sidecar does', () => {
    assert.equal(cleanCode('  abc#def \n'), 'abc#def');
    assert.equal(cleanCode('"abc#def"'), 'abc#def');
    assert.equal(cleanCode(" 'abc\r\n' "), 'abc');
    assert.equal(cleanCode('`a b`'), 'ab');
    assert.equal(cleanCode('  '), '');
  });

  it('masks tokens and pasted codes', () => {
    assert.equal(scrub('token sk-ant-oat01-FAKEACCESS here'), 'token sk-ant-oat01-… here');
    assert.equal(scrub('code good-code#state and good-code', ['good-code#state']), 'code ••• and •••');
    assert.equal(scrub('a#b stays', ['a#b']), 'a#b stays');
  });
});

describe('FailureAlerts', () => {
  const failure = (at: string, source: 'agent' | 'login' = 'agent') => ({ message: '401', source, at });
  const status = (lastFailure: AuthStatus['lastFailure']): AuthStatus => ({ ...max, lastFailure });

  it('alerts once per failure, never while an alert is open, and not for failed sign-ins', () => {
    const alerts = new FailureAlerts();
    assert.equal(alerts.check(status(null)), undefined);
    assert.deepEqual(alerts.check(status(failure('t1'))), failure('t1'));
    // The same failure again (another status update), or a new one while the alert shows.
    assert.equal(alerts.check(status(failure('t1'))), undefined);
    assert.equal(alerts.check(status(failure('t2'))), undefined);
    alerts.closed();
    assert.equal(alerts.check(status(failure('t2'))), undefined);
    assert.deepEqual(alerts.check(status(failure('t3'))), failure('t3'));
    alerts.closed();
    assert.equal(alerts.check(status(failure('t4', 'login'))), undefined);
  });

  it('words the alert with the fixed sentence and what failed', () => {
    assert.equal(
      failureAlertMessage({ message: 'Invalid API key', source: 'agent', at: CHECKED_AT }),
      `${SIGN_IN_AGAIN}. An agent run was refused: Invalid API key`,
    );
  });

  it('asks to sign in again after a failure, but not after a failed first sign-in', () => {
    assert.equal(needsSignInAgain(max), false);
    assert.equal(needsSignInAgain(status(failure('t'))), true);
    assert.equal(needsSignInAgain({ ...signedOut, lastFailure: failure('t', 'login') }), false);
    assert.equal(needsSignInAgain({ ...max, lastFailure: failure('t', 'login') }), true);
    // Not signed in: "Sign in", never "again", whatever failed before.
    assert.equal(needsSignInAgain({ ...signedOut, lastFailure: { message: 'Not logged in', source: 'agent', at: 't' } }), false);
  });

  it('does not alert someone who is not signed in (the status bar says "Sign in")', () => {
    const alerts = new FailureAlerts();
    assert.equal(alerts.check({ ...signedOut, lastFailure: failure('t1') }), undefined);
  });
});

describe('plainLoginError', () => {
  it('says why a sign-in failed in plain words', () => {
    assert.deepEqual(plainLoginError('cancelled'), { sentence: 'Sign-in cancelled.', cancelled: true });
    assert.match(plainLoginError('request to https://claude.ai failed: getaddrinfo ENOTFOUND claude.ai').sentence, /offline/);
    assert.match(plainLoginError('connect ECONNREFUSED 127.0.0.1:443').sentence, /refused/);
    assert.match(plainLoginError('connect ETIMEDOUT 1.2.3.4:443').sentence, /timed out/);
    assert.match(plainLoginError('tunneling socket could not be established, statusCode=407').sentence, /proxy/);
    assert.match(plainLoginError('unable to get local issuer certificate').sentence, /certificate/);
    assert.match(plainLoginError('OAuth error: Invalid code').sentence, /did not accept the code/);
    assert.deepEqual(plainLoginError('something odd'), { sentence: 'The sign-in failed: something odd', cancelled: false });
    assert.equal(plainLoginError(null).sentence, 'The sign-in failed.');
  });
});

describe('sign-out', () => {
  it('quotes the CLI path for the shell', () => {
    assert.equal(shellQuote('/home/dev/.local/bin/claude'), `'/home/dev/.local/bin/claude'`);
    assert.equal(shellQuote("/tmp/it's here/claude"), `'/tmp/it'\\''s here/claude'`);
    assert.equal(signOutCommandLine('/opt/My Tools/claude'), `'/opt/My Tools/claude' auth logout`);
  });

  it('warns when logging out cannot remove the credential in use', () => {
    assert.equal(signOutCaveat(max), undefined);
    assert.match(signOutCaveat(apiKey) ?? '', /API key/);
  });

  it('knows the methods', () => {
    assert.ok(isLoginMethod('sso'));
    assert.ok(!isLoginMethod('password'));
    assert.ok(!isLoginMethod({ id: 'state' }));
  });
});
