// Unit tests of another agent's sign-in (here the second agent of the fixture registry, Codex): notifications routed by their `agent`, its params, the sign-in page among the links, the device code, the pasted address masked, the command argument, the words drawn from the registry, and the Account view's rows.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCodes, type AuthLoginParams } from '../common/protocol';
import { AgentCliStore } from '../agentClis/agentCliStore';
import { AGENTS, OTHER_AGENT, TERMINAL_AGENT } from '../agentClis/agentCliFixtures';
import { agentSignInRows } from './accountModel';
import {
  agentGuideMessage,
  agentRequestFromArg,
  AgentSignIns,
  agentStateLabel,
  agentStateTooltip,
  agentTarget,
  agentWords,
  describeAgentError,
  flowAgent,
  groveSignInProvider,
  signInSubject,
  takesPaste,
  terminalSignIn,
} from './agentSignIn';
import {
  isLoopbackUrl,
  isSignInPage,
  loginParams,
  pastedSecrets,
  plainLoginError,
  scrub,
  SignInController,
  userCodeOf,
  type SignInRequests,
  type SignInState,
} from './signIn';

const AUTHORIZE =
  'http://127.0.0.1:9/oauth/authorize?response_type=code&client_id=app_EMoamEEZ73f0CkXaXp7hrann&redirect_uri=http%3A%2F%2Flocalhost%3A1455%2Fauth%2Fcallback&state=STATE123';
const PASTED = 'http://localhost:1455/auth/callback?code=ac_SECRETCODE42&scope=openid&state=STATE123';

function fakeRequests(loginId: string): { requests: SignInRequests; sent: { method: string; params: unknown }[] } {
  const sent: { method: string; params: unknown }[] = [];
  const requests: SignInRequests = {
    login: (params: AuthLoginParams) => {
      sent.push({ method: 'login', params });
      return Promise.resolve({ loginId });
    },
    input: (params) => {
      sent.push({ method: 'input', params });
      return Promise.resolve(null);
    },
    cancel: (params) => {
      sent.push({ method: 'cancel', params });
      return Promise.resolve(null);
    },
    validate: () => Promise.resolve({ ok: true, message: null }),
  };
  return { requests, sent };
}

const CLIS = new AgentCliStore(AGENTS);
const WORDS = agentWords(OTHER_AGENT, CLIS);
/** Grove's own sign-in into openai-codex:team, and the codex CLI's own (browser, device code). */
const TEAM = agentTarget({ provider: 'openai-codex', profile: 'team' }, WORDS);
const CLI_BROWSER = agentTarget({ profile: null, device: false }, WORDS);
const CLI_DEVICE = agentTarget({ profile: null, device: true }, WORDS);
function codexRows(state: SignInState) {
  return agentSignInRows(WORDS, state);
}

function running(state: SignInState): Extract<SignInState, { kind: 'running' }> {
  if (state.kind !== 'running') throw new Error(`not running: ${state.kind}`);
  return state;
}

describe('sign-in targets of another agent', () => {
  it('names the agent and its service from the registry', () => {
    assert.deepEqual(WORDS, { agent: 'codex', label: 'Codex', service: 'ChatGPT' });
    assert.equal(groveSignInProvider(OTHER_AGENT), 'openai-codex');
  });

  it("sends the provider and profile, or the agent CLI's own sign-in with its method; a Claude sign-in only its method", () => {
    assert.deepEqual(loginParams({ method: 'claudeai' }), { method: 'claudeai' });
    assert.deepEqual(loginParams(TEAM), { provider: 'openai-codex', profile: 'team' });
    assert.deepEqual(loginParams(CLI_BROWSER), { agent: 'codex' });
    assert.deepEqual(loginParams(CLI_DEVICE), { agent: 'codex', method: 'device' });
  });

  it("reads an agent's sign-in from a command argument (by agent, or by a provider it runs), never from a tree row nor for the default agent", () => {
    assert.deepEqual(agentRequestFromArg({ agent: 'codex', provider: 'openai-codex', profile: ' team ' }, CLIS), {
      agent: 'codex',
      provider: 'openai-codex',
      profile: 'team',
    });
    assert.deepEqual(agentRequestFromArg({ agent: 'codex' }, CLIS), { agent: 'codex', profile: null });
    assert.deepEqual(agentRequestFromArg({ agent: 'codex', device: true }, CLIS), { agent: 'codex', profile: null, device: true });
    // As earlier versions sent it: by provider.
    assert.deepEqual(agentRequestFromArg({ provider: 'openai-codex', profile: 'team' }, CLIS), { agent: 'codex', provider: 'openai-codex', profile: 'team' });
    assert.deepEqual(agentRequestFromArg({ provider: 'openai-codex', profile: null }, CLIS), { agent: 'codex', profile: null });
    for (const other of [
      undefined,
      'claudeai',
      { provider: 'anthropic' },
      { agent: 'claude' },
      { agent: 'nope' },
      { provider: 'openai-codex', profile: 3 },
      { id: 'profile:x', provider: 'openai-codex', contextValue: 'grove.profile' },
    ]) {
      assert.equal(agentRequestFromArg(other, CLIS), undefined, JSON.stringify(other));
    }
    assert.deepEqual(CLI_DEVICE, { agent: 'codex', label: 'Codex', service: 'ChatGPT', profile: null, device: true });
  });

  it("routes a sign-in notification by its agent: the default agent's (or none named) to its own flow, another's to that agent's", () => {
    assert.equal(flowAgent(undefined, 'claude'), undefined);
    assert.equal(flowAgent('claude', 'claude'), undefined);
    assert.equal(flowAgent('codex', 'claude'), 'codex');
    assert.equal(flowAgent('codex', undefined), 'codex');
  });

  it('names what is signed in, and which sign-ins take a paste', () => {
    assert.equal(signInSubject(TEAM), 'ChatGPT (openai-codex:team)');
    assert.equal(signInSubject(CLI_BROWSER), "the Codex CLI's own ChatGPT sign-in");
    assert.equal(signInSubject({ method: 'sso' }), 'Claude');
    assert.equal(signInSubject(undefined, WORDS), 'ChatGPT');
    assert.equal(takesPaste(TEAM), true);
    assert.equal(takesPaste(CLI_BROWSER), false);
    assert.equal(takesPaste({ method: 'claudeai' }), true);
  });
});

describe('links, codes and secrets', () => {
  it("takes a page, not a bare server address, as the sign-in link (codex login's first line)", () => {
    assert.equal(isSignInPage('http://localhost:1455.'), false);
    assert.equal(isSignInPage('http://localhost:1455'), false);
    assert.equal(isSignInPage(AUTHORIZE), true);
    assert.equal(isSignInPage('https://auth.openai.com/codex/device'), true);
    assert.equal(isSignInPage('file:///etc/passwd'), false);
  });

  it('knows links on the machine they were printed on', () => {
    assert.equal(isLoopbackUrl('http://localhost:1455/auth/callback'), true);
    assert.equal(isLoopbackUrl('http://127.0.0.1:8080/codex/device'), true);
    assert.equal(isLoopbackUrl('https://auth.openai.com/oauth/authorize'), false);
    assert.equal(isLoopbackUrl('not a url'), false);
  });

  it('reads the device code codex login prints', () => {
    assert.equal(userCodeOf('   ABCD-1234'), 'ABCD-1234');
    assert.equal(userCodeOf('2. Enter this one-time code (expires in 15 minutes)'), undefined);
  });

  it('masks a pasted address and its code in everything shown', () => {
    assert.deepEqual(pastedSecrets(PASTED), [PASTED, 'ac_SECRETCODE42']);
    assert.deepEqual(pastedSecrets('ac_BARECODE'), ['ac_BARECODE']);
    assert.equal(scrub('exchanging ac_SECRETCODE42 failed', pastedSecrets(PASTED)), 'exchanging ••• failed');
  });

  it('says a failed ChatGPT sign-in in words about ChatGPT', () => {
    assert.match(plainLoginError('error sending request: ECONNREFUSED', 'ChatGPT').sentence, /could not connect to ChatGPT/);
    assert.match(plainLoginError('ECONNREFUSED').sentence, /could not connect to Claude/);
  });

  it("says a missing agent CLI is that CLI, with the registry's install hint", () => {
    const error = Object.assign(new Error('not found'), { code: ErrorCodes.CliNotFound });
    assert.equal(
      describeAgentError(OTHER_AGENT, WORDS)(error, 'login').message,
      'Grove could not find the Codex CLI. Install it (npm install -g @openai/codex) or set grove.codexPath to its path.',
    );
    const busy = Object.assign(new Error('busy'), { code: ErrorCodes.LoginInProgress, data: { loginId: 'login-2' } });
    assert.match(describeAgentError(OTHER_AGENT, WORDS)(busy, 'login').message, /cancel it in the Account view \(under the ChatGPT sign-in\)/);
  });
});

describe('a sign-in of another agent next to a Claude one', () => {
  it('follows only its own login ids, sends the pasted address, and never shows it', async () => {
    const { requests, sent } = fakeRequests('login-codex-1');
    const codex = new SignInController(requests);
    const claude = new SignInController(fakeRequests('login-1').requests);
    const started = codex.startTarget(TEAM);
    // Progress overtakes the answer: kept, then replayed.
    codex.progress({ loginId: 'login-codex-1', stream: 'stdout', line: `Open this address in a browser to sign in to ChatGPT: ${AUTHORIZE}`, url: AUTHORIZE });
    assert.deepEqual(await started, { kind: 'started', loginId: 'login-codex-1' });
    assert.deepEqual(sent[0], { method: 'login', params: { provider: 'openai-codex', profile: 'team' } });
    await claude.start('claudeai');
    // Each ignores the other's notifications.
    claude.progress({ loginId: 'login-codex-1', stream: 'stdout', line: 'not mine', url: null });
    codex.progress({ loginId: 'login-1', stream: 'stdout', line: 'not mine either', url: 'https://claude.com/cai/oauth/authorize?x=1' });
    assert.equal(running(claude.state).lines.length, 0);
    let state = running(codex.state);
    assert.equal(state.url, AUTHORIZE);
    assert.deepEqual(state.target, TEAM);
    assert.equal(state.lines.length, 1);
    assert.equal(claude.complete({ loginId: 'login-codex-1', success: true, error: null }), undefined);
    assert.equal(claude.busy, true);

    assert.equal(await codex.submitCode(` "${PASTED}" `), undefined);
    assert.deepEqual(sent.at(-1), { method: 'input', params: { loginId: 'login-codex-1', code: PASTED } });
    codex.progress({ loginId: 'login-codex-1', stream: 'stderr', line: 'refused ac_SECRETCODE42', url: null });
    state = running(codex.state);
    assert.equal(state.codeSent, true);
    assert.equal(state.lines.at(-1)?.line, 'refused •••');
    const outcome = codex.complete({ loginId: 'login-codex-1', success: false, error: `bad ${PASTED}` });
    assert.deepEqual(outcome, { success: false, error: 'bad •••' });
    assert.equal(claude.busy, true, 'the Claude sign-in goes on');
  });

  it('codex login: the page (not the local server) is the link, the device code is read, nothing is pasted', async () => {
    const codex = new SignInController(fakeRequests('login-codex-2').requests);
    await codex.startTarget(CLI_DEVICE);
    const line = (text: string, url: string | null = null): void => {
      codex.progress({ loginId: 'login-codex-2', stream: 'stdout', line: text, url });
    };
    line('Starting local login server on http://localhost:1455.', 'http://localhost:1455.');
    assert.equal(running(codex.state).url, null);
    line('   https://auth.openai.com/codex/device', 'https://auth.openai.com/codex/device');
    line('   ABCD-1234');
    const state = running(codex.state);
    assert.equal(state.url, 'https://auth.openai.com/codex/device');
    assert.equal(state.userCode, 'ABCD-1234');
    assert.equal(agentGuideMessage(state), 'Sign in to ChatGPT for the Codex CLI: open the page and enter the code ABCD-1234.');
    assert.equal(agentStateLabel(state), 'Enter code ABCD-1234');
    assert.equal(agentStateTooltip(state), "Enter the code ABCD-1234 on the sign-in page.\nSigning in to the Codex CLI's own ChatGPT sign-in");
    const noCode = { ...state };
    delete noCode.userCode;
    assert.equal(agentStateLabel(noCode), 'Waiting for approval');
    assert.match(agentStateTooltip(noCode), /^Approve the sign-in in your browser\./);
    assert.equal(agentGuideMessage(noCode), 'Sign in to ChatGPT for the Codex CLI: open the sign-in page and approve it; the Codex CLI finishes by itself.');
    // No paste row for the CLI's own sign-in.
    const labels = codexRows(state)[0]?.children?.map((r) => r.label);
    assert.deepEqual(labels, ['Open in browser', 'Copy link', 'Show output', 'Cancel sign-in']);
  });
});

describe("the Account view rows of another agent's sign-in", () => {
  it("shows none while idle, and while running one row with what to do below, each about that agent's sign-in", () => {
    assert.deepEqual(codexRows({ kind: 'idle', last: { success: false, error: 'cancelled' } }), []);
    const target = TEAM;
    const starting = codexRows({ kind: 'starting', method: null, cancelRequested: false, target });
    assert.equal(starting.at(0)?.label, 'Starting the ChatGPT sign-in…');
    assert.deepEqual(
      starting.at(0)?.children?.map((r) => r.label),
      ['Cancel sign-in'],
    );
    const state: SignInState = {
      kind: 'running',
      loginId: 'login-codex-1',
      method: null,
      lines: [],
      url: AUTHORIZE,
      codeSent: false,
      cancelling: false,
      target,
    };
    const head = codexRows(state).at(0);
    // Short on the row (cut at the default sidebar width otherwise), the sentence in the tooltip.
    assert.equal(head?.label, 'Waiting for the address');
    assert.equal(head.tooltip, 'Sign in in your browser, then paste the address it ends on.\nSigning in to ChatGPT (openai-codex:team)');
    assert.equal(head.description, 'ChatGPT (openai-codex:team)');
    assert.equal(head.contextValue, 'grove.state.signingIn');
    assert.equal(head.login, 'codex');
    assert.deepEqual(
      head.children?.map((r) => [r.label, r.action?.kind === 'command' ? r.action.command : undefined, r.login]),
      [
        ['Open in browser', 'grove.openSignInPage', 'codex'],
        ['Copy link', 'grove.copySignInLink', 'codex'],
        ['Paste the address…', 'grove.pasteSignInCode', 'codex'],
        ['Show output', 'grove.showLogs', 'codex'],
        ['Cancel sign-in', 'grove.cancelSignIn', 'codex'],
      ],
    );
    // Only the link's row has words after its label (its address); the others' are in their tooltips.
    assert.deepEqual(
      head.children.filter((r) => r.description !== undefined).map((r) => r.id),
      ['codex:url'],
    );
    assert.match(head.children.find((r) => r.id === 'codex:paste')?.tooltip ?? '', /^Paste the address where the browser ends up/);
    const pasteRow = head.children.find((r) => r.id === 'codex:paste');
    const paste = pasteRow?.action;
    assert.deepEqual(paste?.kind === 'command' ? paste.arguments : undefined, [{ login: 'codex' }]);
    assert.match(agentGuideMessage(state), /^Sign in to ChatGPT \(openai-codex:team\): open the sign-in page/);
    assert.equal(codexRows({ ...state, codeSent: true })[0]?.label, 'Checking the address…');
  });
});

describe('AgentSignIns', () => {
  it('makes one flow per agent when first asked, and tells when one is made or changes', async () => {
    const made: string[] = [];
    const signIns = new AgentSignIns((agent) => {
      made.push(agent);
      return new SignInController(fakeRequests(`login-${agent}-1`).requests);
    });
    const told: string[] = [];
    signIns.onDidChange(() => told.push('changed'));
    assert.equal(signIns.all.length, 0);
    assert.equal(signIns.busy, undefined);
    const codex = signIns.flow('codex');
    assert.equal(signIns.flow('codex'), codex);
    assert.deepEqual(made, ['codex']);
    assert.deepEqual(told, ['changed']);
    await codex.controller.startTarget(CLI_BROWSER);
    assert.ok(told.length >= 3, `made, starting, then running: ${told.length}`);
    assert.equal(signIns.busy, codex);
    signIns.flow('other');
    assert.deepEqual(
      signIns.all.map((f) => f.agent),
      ['codex', 'other'],
    );
    signIns.dispose();
  });
});

describe('a sign-in in a terminal', () => {
  it("runs the CLI's own command line as the terminal's process, named after the agent, and says what happens", () => {
    assert.deepEqual(terminalSignIn({ ...TERMINAL_AGENT, signIn: { ...TERMINAL_AGENT.signIn, terminal: ['/opt/x y/opencode', 'auth', 'login'] } }), {
      name: 'Gemini CLI sign-in',
      shellPath: '/opt/x y/opencode',
      shellArgs: ['auth', 'login'],
      message: 'Gemini CLI signs in in this terminal; Grove notices when it is done.',
    });
  });

  it('says how to install a terminal-only agent whose command line is not known, and leaves other agents to the sidecar', () => {
    const lost = { ...TERMINAL_AGENT, found: false, signIn: { status: 'unknown', methods: TERMINAL_AGENT.signIn.methods } };
    assert.deepEqual(terminalSignIn(lost), { notFound: `Gemini CLI signs in in a terminal, but it was not found. ${TERMINAL_AGENT.installHint}` });
    assert.equal(terminalSignIn(OTHER_AGENT), undefined);
    assert.equal(terminalSignIn(AGENTS[0] ?? OTHER_AGENT), undefined);
  });
});
