// Unit tests of the agent panel's HTML: escaping of everything the agent says, safe Markdown, tool calls, notices, the footer and the sign-in callout, the page's CSP, and webview messages.
import { escapeHtml } from '../common/webview';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RunLog } from './agentModel';
import {
  signInArgument,
  composerActionsHtml,
  composerNoteHtml,
  composerState,
  formatElapsed,
  landingBarHtml,
  panelHeaderHtml,
  startFailure,
  formatCost,
  formatDuration,
  panelHtml,
  panelTitle,
  parseFromWebview,
  promptRefusal,
  sessionBreak,
  toolStatus,
  renderItem,
  renderRun,
  renderRunFoot,
  renderRunHead,
  startOptions,
  toolSummary,
  workspaceMessage,
  type RunContext,
} from './agentView';
import { renderMarkdown } from './markdown';
import type { Run } from '../common/protocol';
import { workspace } from '../workspaces/workspaceFixtures';
import { request } from './requestFixtures';
import { conflicted, gitStatus } from '../landing/landingFixtures';
import { landingActions } from '../landing/landingModel';
import { AGENTS, CLAUDE_AGENT, CODEX_AGENT } from './agentCliFixtures';

const SCRIPT = '<script>alert(1)</script>';
const fixedTime = (iso: string): string => `<${iso}>`;

function run(overrides: Partial<Run> = {}): Run {
  return {
    runId: 'run-1',
    workspaceId: 'ws-1',
    state: 'running',
    prompt: 'hello',
    sessionId: 's-1',
    startedAt: '2026-11-21T10:12:08.000Z',
    endedAt: null,
    costUsd: null,
    error: null,
    createdAt: '2026-11-21T10:12:07.900Z',
    resumable: false,
    ...overrides,
  };
}

const context: RunContext = { isLatest: true, authRecovered: false, loading: false, formatTime: fixedTime };

/** No tag from the agent survives: every `<` it wrote is escaped. */
function assertNoRawScript(html: string): void {
  assert.ok(!/<script/i.test(html), html);
  assert.ok(!/<img/i.test(html), html);
  assert.ok(!/<[^>]*\son\w+=/i.test(html), html);
}

describe('signInArgument', () => {
  it("signs in again into the run's profile: its agent's own sign-in, Grove's sign-in into a profile its agent offers one for, else none", () => {
    assert.deepEqual(signInArgument(AGENTS, 'openai-codex:team'), { agent: 'codex', provider: 'openai-codex', profile: 'team' });
    assert.deepEqual(signInArgument(AGENTS, 'openai-codex:codex-cli'), { agent: 'codex', provider: 'openai-codex', profile: null });
    assert.deepEqual(signInArgument(AGENTS, 'anthropic:claude-cli'), { agent: 'claude', provider: 'anthropic', profile: null });
    assert.equal(signInArgument(AGENTS, 'anthropic:work'), undefined);
    assert.equal(signInArgument(AGENTS, 'openai:proj'), undefined);
    assert.equal(signInArgument(AGENTS, undefined), undefined);
    assert.equal(signInArgument([], 'openai-codex:team'), undefined);
  });
});

describe('escapeHtml', () => {
  it('escapes the five characters that matter in text and attributes', () => {
    assert.equal(escapeHtml(`<a href="x" title='y'>&</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});

describe('renderMarkdown', () => {
  it('renders Markdown and escapes HTML', () => {
    const html = renderMarkdown(`**bold** and \`code\`\n\n${SCRIPT}\n\n<img src=x onerror=alert(1)>`);
    assert.match(html, /<strong>bold<\/strong>/);
    assert.match(html, /<code>code<\/code>/);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assertNoRawScript(html);
  });

  it('keeps http links, refuses javascript: and data: links, and never loads images', () => {
    const html = renderMarkdown('[ok](https://example.com) [bad](javascript:alert(1)) [data](data:text/html,x) ![img](https://example.com/a.png)');
    assert.match(html, /<a href="https:\/\/example.com" title="https:\/\/example.com">ok<\/a>/);
    assert.ok(!html.includes('href="javascript'), html);
    assert.ok(!html.includes('href="data'), html);
    assertNoRawScript(html);
  });

  it('does not turn bare URLs into links', () => {
    assert.ok(!renderMarkdown('see https://example.com').includes('<a'));
  });
});

describe('renderItem', () => {
  it('shows a tool call as a collapsible block with its input as JSON and its result, all escaped', () => {
    const html = renderItem({
      kind: 'tool',
      id: 'toolu_01',
      name: 'Write',
      input: { file_path: 'notes.txt', content: SCRIPT },
      result: { isError: false, content: `wrote ${SCRIPT}` },
    });
    assert.match(
      html,
      /^<details class="tool tool-done" data-tool-id="toolu_01"><summary><span class="tool-name">Write<\/span> <span class="tool-summary">notes.txt<\/span>/,
    );
    assert.ok(html.includes('&quot;file_path&quot;: &quot;notes.txt&quot;'), html);
    assert.ok(html.includes('wrote &lt;script&gt;'), html);
    assertNoRawScript(html);
  });

  it('marks failed tool calls and pending ones', () => {
    assert.match(
      renderItem({ kind: 'tool', id: 't', name: 'Bash', input: { command: 'false' }, result: { isError: true, content: 'exit 1' } }),
      /tool-error[\s\S]*class="tool-result is-error">exit 1/,
    );
    assert.match(renderItem({ kind: 'tool', id: 't', name: 'Bash', input: { command: 'ls' }, result: null }), /tool-pending/);
  });

  it('says a tool reported no output rather than drawing an empty box', () => {
    const html = renderItem({ kind: 'tool', id: 't', name: 'write_file', input: { file_path: 'hello.txt' }, result: { isError: false, content: '' } });
    assert.match(html, /<div class="tool-label">Result<\/div><div class="tool-result-empty">No output\.<\/div>/);
    assert.ok(!html.includes('<pre class="tool-result'), html);
  });

  it('shows a denied tool call as "denied" with the message given, not as an error', () => {
    const result = { isError: true, content: `Not now: keep it clean ${SCRIPT}`, denied: true };
    const html = renderItem({ kind: 'tool', id: 't', name: 'Write', input: { file_path: 'notes.txt' }, result });
    assert.match(html, /^<details class="tool tool-denied" data-tool-id="t">/);
    assert.match(html, /<span class="tool-status">denied<\/span> <span class="tool-denied-message">Not now: keep it clean &lt;script&gt;/);
    assert.match(html, /<div class="tool-label">Denied<\/div><pre class="tool-result is-denied">Not now: keep it clean &lt;script&gt;/);
    assert.ok(!html.includes('tool-error') && !html.includes('is-error') && !html.includes('>error<'), html);
    assertNoRawScript(html);
    assert.equal(toolStatus(result), 'denied');
    assert.equal(toolStatus({ isError: true, content: 'exit 1' }), 'error');
    assert.equal(toolStatus({ isError: false, content: 'ok' }), 'done');
    assert.equal(toolStatus(null), 'pending');
    // Denied without a message: the badge alone.
    assert.ok(
      !renderItem({ kind: 'tool', id: 't', name: 'Write', input: null, result: { isError: true, content: ' ', denied: true } }).includes('tool-denied-message'),
    );
  });

  it('shows retries and rate limits as notices with the reset time', () => {
    assert.equal(
      renderItem({ kind: 'retry', attempt: 2, errorStatus: 401, error: 'authentication_failed' }),
      '<div class="notice notice-info">Retrying, attempt 2 (HTTP 401): authentication_failed</div>',
    );
    assert.equal(
      renderItem({ kind: 'rateLimit', status: 'rejected', limitType: 'five_hour', resetsAt: '2026-02-18T05:00:00Z' }, fixedTime),
      '<div class="notice notice-warning">Usage limit reached (five hour) — resets at &lt;2026-02-18T05:00:00Z&gt;</div>',
    );
  });

  it('escapes errors and output lines', () => {
    assertNoRawScript(renderItem({ kind: 'error', text: SCRIPT }));
    assertNoRawScript(renderItem({ kind: 'output', lines: [SCRIPT] }));
    assertNoRawScript(renderItem({ kind: 'text', text: SCRIPT }));
  });

  it('cuts very long output', () => {
    const html = renderItem({ kind: 'output', lines: ['x'.repeat(25_000)] });
    assert.match(html, /… 5000 more characters/);
  });
});

describe('toolSummary', () => {
  it('picks the usual field, first line, shortened', () => {
    assert.equal(toolSummary({ command: 'ls -la\necho hi' }), 'ls -la');
    assert.equal(toolSummary({ pattern: 'foo' }), 'foo');
    assert.equal(toolSummary({ other: 1 }), '');
    assert.equal(toolSummary(null), '');
    assert.equal(toolSummary({ file_path: 'a'.repeat(100) }).length, 80);
  });
});

describe('formatting', () => {
  it('formats cost and duration', () => {
    assert.equal(formatCost(0.00028), '$0.0003');
    assert.equal(formatCost(1.234), '$1.23');
    assert.equal(formatCost(0), '$0.00');
    assert.equal(formatDuration(209), '209 ms');
    assert.equal(formatDuration(12_340), '12.3 s');
    assert.equal(formatDuration(125_000), '2 min 5 s');
    assert.equal(formatDuration(3_780_000), '1 h 3 min');
  });
});

describe('runs', () => {
  it('escapes the prompt and marks, between turns, a continued session or a new one', () => {
    const log = new RunLog(run({ prompt: `do it ${SCRIPT}`, sessionId: 's-2' }), true);
    const head = renderRunHead(log, { ...context, session: 'new' });
    assert.match(head, /^<div class="session-break session-new" title="[^"]*">new session<\/div><div class="prompt">/);
    assert.ok(head.includes('do it &lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.match(
      renderRunHead(log, { ...context, session: 'continued' }),
      /^<div class="session-break session-continued" title="[^"]*">continued session<\/div>/,
    );
    assert.ok(!renderRunHead(log, context).includes('session-break'));
    assert.equal(sessionBreak(null), '');
  });

  it('words the session markers for any agent CLI, naming none', () => {
    assert.match(sessionBreak('continued'), /title="This turn continued the previous session: the agent remembers the turns above"/);
    assert.match(sessionBreak('new'), /title="This turn started a new session: the agent does not remember the turns above"/);
    for (const marker of ['continued', 'new'] as const) assert.doesNotMatch(sessionBreak(marker), /Claude|Codex/);
  });

  it('shows state, cost, duration and Cancel while running', () => {
    const log = new RunLog(run(), true);
    log.receive(0, { kind: 'init', sessionId: 's-1', model: 'claude-loopback', cwd: '/w' });
    const foot = renderRunFoot(log, context);
    assert.match(foot, /state-running">Running…/);
    assert.match(foot, /claude-loopback/);
    assert.match(foot, /data-action="cancel" data-run-id="run-1"/);
    log.receive(1, { kind: 'result', isError: false, text: 'Done.', costUsd: 0.00028, durationMs: 209 });
    log.setRun(run({ state: 'succeeded', endedAt: '2026-11-21T10:12:09Z' }));
    const done = renderRunFoot(log, context);
    assert.match(done, /Succeeded.*\$0\.0003.*209 ms/);
    assert.ok(!done.includes('data-action="cancel"'));
  });

  it('shows why a run failed, escaped', () => {
    const foot = renderRunFoot(new RunLog(run({ state: 'failed', error: `bad ${SCRIPT}` }), true), context);
    assert.match(foot, /error-box.*Failed.*bad &lt;script&gt;/);
  });

  it('shows the sign-in callout with the failure, and Retry once signed in again (latest run only)', () => {
    const log = new RunLog(run({ state: 'authRequired', error: 'Invalid API key · Fix external API key' }), true);
    const callout = renderRunFoot(log, context);
    assert.match(callout, /callout-auth/);
    assert.match(callout, /Invalid API key · Fix external API key/);
    assert.match(callout, /data-action="signIn"[^>]*>Sign in</);
    assert.match(callout, /data-action="openAccount"[^>]*>Open Account</);
    assert.ok(!callout.includes('data-action="retry"'));
    // Signed in since: only "Signed in — Retry" is left, no sign-in words or buttons.
    const recovered = renderRunFoot(log, { ...context, authRecovered: true });
    assert.match(recovered, /callout-title">Signed in — Retry</);
    assert.match(recovered, /data-action="retry" data-run-id="run-1">Retry</);
    assert.ok(!recovered.includes('needs you to sign in'));
    assert.ok(!recovered.includes('data-action="signIn"'));
    assert.ok(!renderRunFoot(log, { ...context, authRecovered: true, isLatest: false }).includes('data-action="retry"'));
  });

  it('counts the seconds of a running run from its start', () => {
    const log = new RunLog(run({ startedAt: '2026-11-21T10:12:08.000Z' }), true);
    const foot = renderRunFoot(log, { ...context, now: Date.parse('2026-11-21T10:12:20.400Z') });
    assert.match(foot, /state-running">Running… <span class="elapsed" data-elapsed-ms="12400">12 s<\/span>/);
    assert.equal(formatElapsed(125_000), '2 min 5 s');
    assert.equal(formatElapsed(-5), '0 s');
  });

  it('says "Cancelled" plainly for a user\'s cancel, with no error', () => {
    const log = new RunLog(run(), true);
    log.receive(0, { kind: 'result', isError: true, text: null, costUsd: null, durationMs: null });
    log.setRun(run({ state: 'cancelled', endedAt: '2026-11-21T10:12:09Z' }));
    const html = renderRun(log, context);
    assert.match(html, /state-cancelled">Cancelled</);
    assert.ok(!html.includes('error-box'), html);
    assert.ok(!html.includes('stopped with an error'));
  });

  it("shows a failed run's error once (the footer), not also as an Error item", () => {
    const log = new RunLog(run(), true);
    log.receive(0, { kind: 'result', isError: true, text: 'No conversation found', costUsd: null, durationMs: null });
    log.setRun(run({ state: 'failed', error: 'No conversation found' }));
    const html = renderRun(log, context);
    assert.equal(html.match(/No conversation found/g)?.length, 1);
    assert.match(html, /Failed<\/span> No conversation found/);
  });

  it('labels the cost as an API equivalent on a subscription', () => {
    const log = new RunLog(run({ state: 'succeeded', costUsd: 0.12 }), true);
    assert.match(renderRunFoot(log, { ...context, subscription: true }), /API equivalent \$0\.12/);
    assert.doesNotMatch(renderRunFoot(log, context), /API equivalent/);
    // Another profile is not the subscription; a local model has no cost worth showing.
    const withKey = new RunLog(run({ state: 'succeeded', costUsd: 0.12, provider: 'anthropic', profile: 'anthropic:key' }), true);
    assert.match(renderRunFoot(withKey, { ...context, subscription: true, agent: CLAUDE_AGENT }), /class="cost" title="Cost reported by Claude Code">\$0\.12/);
    const viaCli = new RunLog(run({ state: 'succeeded', costUsd: 0.12, provider: 'anthropic', profile: 'anthropic:claude-cli' }), true);
    assert.match(renderRunFoot(viaCli, { ...context, subscription: true, agent: CLAUDE_AGENT }), /API equivalent \$0\.12/);
    const local = new RunLog(run({ state: 'succeeded', costUsd: 0.12, provider: 'ollama', profile: 'ollama:local' }), true);
    assert.doesNotMatch(renderRunFoot(local, { ...context, subscription: true }), /\$0\.12/);
  });

  it("follows the run's agent: its name, its cost in money or tokens or none, Interrupt only when it takes one", () => {
    const claude = new RunLog(run({ state: 'running', costUsd: 0.12, agent: 'claude' }), true);
    const claudeFoot = renderRunFoot(claude, { ...context, agent: CLAUDE_AGENT });
    assert.match(claudeFoot, /<span class="cli">Claude Code<\/span>/);
    assert.match(claudeFoot, /data-action="interrupt"/);
    assert.match(claudeFoot, /\$0\.12/);
    const codex = new RunLog(run({ state: 'running', agent: 'codex' }), true);
    codex.receive(0, {
      kind: 'result',
      isError: false,
      text: 'done',
      costUsd: null,
      durationMs: 1200,
      usage: { inputTokens: 12345, cachedInputTokens: 2000, outputTokens: 678 },
    });
    const codexFoot = renderRunFoot(codex, { ...context, agent: CODEX_AGENT });
    assert.match(codexFoot, /<span class="cli">Codex<\/span>/);
    assert.doesNotMatch(codexFoot, /data-action="interrupt"/);
    assert.match(codexFoot, /data-action="cancel"/);
    assert.match(codexFoot, /12,345 in · 678 out tokens/);
    assert.doesNotMatch(codexFoot, /class="cost"/);
    // An agent that tells no cost: nothing, not even a reported one.
    const none = { ...CODEX_AGENT, capabilities: { ...CODEX_AGENT.capabilities, cost: 'none' as const } };
    const quiet = renderRunFoot(new RunLog(run({ state: 'succeeded', costUsd: 0.5 }), true), { ...context, agent: none });
    assert.doesNotMatch(quiet, /\$0\.50|tokens/);
  });

  it('says how to install the agent of the latest run when it is not found, with "Set path…"', () => {
    const log = new RunLog(run({ state: 'failed', error: 'not found', agent: 'codex' }), true);
    const lost = { ...CODEX_AGENT, found: false };
    const foot = renderRunFoot(log, { ...context, agent: lost });
    assert.ok(foot.includes(`Codex was not found. ${escapeHtml(CODEX_AGENT.installHint)}`));
    assert.match(foot, /data-action="setAgentPath" data-run-id="run-1">Set path…</);
    assert.doesNotMatch(renderRunFoot(log, { ...context, agent: lost, isLatest: false }), /setAgentPath/);
    assert.doesNotMatch(renderRunFoot(log, { ...context, agent: CODEX_AGENT }), /setAgentPath/);
  });

  it("renders streamed text with a caret, and Grove's notices plainly", () => {
    assert.match(renderItem({ kind: 'text', text: 'Hal', streaming: true }), /^<div class="md streaming" aria-busy="true"><p>Hal<\/p>/);
    assert.equal(
      renderItem({ kind: 'notice', text: 'The earlier conversation could not be resumed <b>' }),
      '<div class="notice notice-info notice-grove">The earlier conversation could not be resumed &lt;b&gt;</div>',
    );
    assert.equal(renderItem({ kind: 'error', text: 'x', hidden: true }), '');
  });

  it("shows the run's profile and model, escaped", () => {
    const foot = renderRunFoot(new RunLog(run({ state: 'succeeded', profile: 'ollama:<b>', model: 'qwen3-coder' }), true), context);
    assert.match(foot, /<span class="model">qwen3-coder<\/span>/);
    assert.match(foot, /<span class="profile" title="Auth profile">ollama:&lt;b&gt;<\/span>/);
  });

  it('offers "Retry with <profile>" on a run that failed or needed sign-in when another profile is usable', () => {
    const auth = renderRunFoot(new RunLog(run({ state: 'authRequired', error: '401', retryProfile: 'anthropic:work' }), true), context);
    assert.match(auth, /data-action="retryWithProfile" data-run-id="run-1">Retry with anthropic:work</);
    const failed = renderRunFoot(new RunLog(run({ state: 'failed', error: 'rate limited', retryProfile: 'anthropic:<x>' }), true), context);
    assert.match(failed, /Retry with anthropic:&lt;x&gt;</);
    assert.doesNotMatch(renderRunFoot(new RunLog(run({ state: 'failed', error: 'x' }), true), context), /retryWithProfile/);
    assert.doesNotMatch(renderRunFoot(new RunLog(run({ state: 'succeeded', retryProfile: 'anthropic:work' }), true), context), /retryWithProfile/);
  });

  it('offers the transcript of a run not read yet', () => {
    const log = new RunLog(run({ state: 'succeeded' }), false);
    assert.match(renderRunFoot(log, context), /data-action="loadTranscript"/);
    assert.match(renderRunFoot(log, { ...context, loading: true }), /Loading the transcript/);
  });

  it('renders a whole run with indexed items', () => {
    const log = new RunLog(run(), true);
    log.receive(0, { kind: 'text', text: 'one' });
    log.receive(1, { kind: 'text', text: 'two' });
    const html = renderRun(log, context);
    assert.match(html, /^<section class="run" data-run-id="run-1">/);
    assert.match(html, /data-index="0"><div class="md"><p>one<\/p>/);
    assert.match(html, /data-index="1"><div class="md"><p>two<\/p>/);
  });
});

describe('panelHtml', () => {
  const page = panelHtml({
    cspSource: 'https://webview.test',
    nonce: 'abc123',
    scriptUri: 'https://webview.test/media/agent-panel.js',
    styleUris: ['https://webview.test/media/webview.css', 'https://webview.test/media/agent-panel.css'],
    workspace: workspace({ id: 'ws-1', name: `name ${SCRIPT}`, branch: 'grove/name', path: '/w' }),
    removed: false,
    isMac: false,
  });

  it('has a strict CSP: nothing by default, scripts by nonce, styles from the extension only', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(page)?.[1];
    assert.equal(
      csp,
      'default-src &#39;none&#39;; style-src https://webview.test; img-src https://webview.test; font-src https://webview.test; script-src &#39;nonce-abc123&#39;',
    );
    assert.ok(!/unsafe-inline|unsafe-eval/.test(page));
  });

  it('loads one script, with the nonce, and has no inline handlers or styles', () => {
    assert.equal(page.match(/<script/g)?.length, 1);
    assert.match(page, /<script nonce="abc123" src="https:\/\/webview.test\/media\/agent-panel.js"><\/script>/);
    assert.ok(!/ on[a-z]+=/i.test(page));
    assert.ok(!/ style=/i.test(page));
    assert.ok(page.includes('name &lt;script&gt;'));
  });

  it('has the prompt box, the pickers with acceptEdits chosen, New session and Send', () => {
    assert.match(page, /<textarea id="prompt"/);
    assert.match(page, /Ctrl\+Enter/);
    assert.match(page, /<option value="acceptEdits" selected>Accept edits<\/option>/);
    assert.match(page, /<select id="profile"><option value="" selected>Automatic \(workspace default or provider order\)<\/option><\/select>/);
    assert.match(page, /id="newSession"/);
    assert.match(page, /<button type="submit" id="send"/);
    // The agent picker is filled by the host (the agents the sidecar lists); the install hint waits hidden, with "Set path…".
    assert.match(page, /<label id="agent-label">Agent <select id="agent"><\/select><\/label>/);
    assert.match(
      page,
      /<div id="agent-hint"[^>]* hidden><span id="agent-hint-text"><\/span> <button [^>]*data-action="setAgentPath">Set path…<\/button><\/div>/,
    );
  });

  it('starts with Send disabled and the hint that says why: an empty prompt is never sent silently', () => {
    assert.match(
      page,
      /<span id="send-hint" class="send-hint" role="status">Type a prompt to send<\/span>\n<button type="submit" id="send" title="Ctrl\+Enter" disabled>Send<\/button>/,
    );
    const archived = panelHtml({
      cspSource: 'c',
      nonce: 'n',
      scriptUri: 's',
      styleUris: [],
      workspace: workspace({ state: 'archived' }),
      removed: false,
      isMac: false,
    });
    assert.match(archived, /<span id="send-hint" class="send-hint" role="status" hidden>/);
  });

  it('offers Bypass permissions only with a warning line (shown by the script when it is chosen)', () => {
    assert.match(page, /<option value="bypassPermissions">⚠ Bypass permissions \(never asks\)<\/option>/);
    assert.match(page, /<div id="permission-warning" class="notice notice-warning" role="alert" hidden>Bypass permissions: the agent runs every command/);
  });

  it('has the hidden notice the script fills for an agent that does not ask before it edits', () => {
    assert.match(page, /<div id="edits-notice" class="notice" role="note" hidden><\/div>\n<\/form>/);
  });
});

describe('the landing bar', () => {
  it('is empty without a status, and hidden in the page', () => {
    assert.equal(landingBarHtml(undefined, [], 'origin'), '');
    const page = panelHtml({ cspSource: 'c', nonce: 'n', scriptUri: 's', styleUris: [], workspace: workspace(), removed: false, isMac: false });
    assert.match(page, /<div id="landing" class="landing-bar" role="toolbar" aria-label="Land the work of this workspace" hidden><\/div>/);
  });

  it('shows where the branch stands and a button per action, the first one primary', () => {
    const status = gitStatus({ ahead: 2, behind: 1, uncommitted: 3 });
    const html = landingBarHtml(status, landingActions(status, false), 'origin');
    assert.match(html, /<span class="chip" title="2 commits ahead of main, 1 behind">↑2 ↓1<\/span>/);
    assert.match(html, /<span class="chip" title="3 uncommitted files">3 uncommitted<\/span>/);
    const buttons = [...html.matchAll(/<button type="button" class="([^"]*)" data-land="(\w+)" title="[^"]*">([^<]*)<\/button>/g)].map((m) => [
      m[1],
      m[2],
      m[3],
    ]);
    assert.deepEqual(buttons, [
      ['small', 'commit', 'Commit…'],
      ['small secondary', 'sync', 'Sync with main'],
      ['small secondary', 'merge', 'Merge into main…'],
      ['small secondary', 'apply', 'Apply to Main Checkout'],
      ['small secondary', 'push', 'Push'],
      ['small secondary', 'createPullRequest', 'Create Pull Request…'],
    ]);
    assert.match(landingBarHtml(gitStatus(), [], 'origin'), /<span class="chip">level with main<\/span>/);
  });

  it('warns of conflicts and names the files, escaped', () => {
    const status = conflicted([`a${SCRIPT}.ts`, 'b.ts']);
    const html = landingBarHtml(status, landingActions(status, false), 'origin');
    assertNoRawScript(html);
    assert.match(html, /<span class="chip chip-warning" title="The rebase stopped at conflicts in:\na&lt;script&gt;/);
    assert.match(html, /<div class="landing-conflicts" role="status">⚠ Conflicts in a&lt;script&gt;alert\(1\)&lt;\/script&gt;\.ts, b\.ts<\/div>/);
    assert.match(html, /data-land="resolveConflicts"[^>]*>Resolve Conflicts with Agent</);
    assert.match(html, /data-land="syncContinue"[^>]*>Continue</);
    assert.match(html, /data-land="syncAbort"[^>]*>Abort…</);
  });

  it('shows the pull request and merged, with Open Pull Request, Archive and Delete', () => {
    const status = gitStatus({ merged: true, pullRequest: { url: 'https://github.example/o/r/pull/4', number: 4, state: 'MERGED' } });
    const html = landingBarHtml(status, landingActions(status, false), 'origin');
    assert.match(html, /title="https:\/\/github.example\/o\/r\/pull\/4">PR #4 merged</);
    assert.match(html, />merged into main</);
    assert.match(html, /data-land="openPullRequest"[^>]*>Open Pull Request #4</);
    assert.match(html, /data-land="archive"/);
  });

  it('takes only known landing actions from the webview', () => {
    assert.deepEqual(parseFromWebview({ type: 'land', action: 'merge' }), { type: 'land', action: 'merge' });
    assert.equal(parseFromWebview({ type: 'land', action: 'rm -rf' }), undefined);
    assert.equal(parseFromWebview({ type: 'land' }), undefined);
  });
});

describe('a run that waits for the user', () => {
  it('says so, shows its requests between its items and its foot, and offers Interrupt and Cancel', () => {
    const log = new RunLog(run({ state: 'waiting' }), true);
    const html = renderRun(log, { ...context, requests: [request()] });
    assert.match(html, /<span class="state state-waiting">Waiting for you<\/span>/);
    assert.match(html, /<div class="run-items"><\/div><div class="run-requests"><div class="request request-tool"/);
    assert.match(html, /data-action="interrupt" data-run-id="run-1"[^>]*>Interrupt<\/button>/);
    assert.match(html, /data-action="cancel" data-run-id="run-1"[^>]*>Cancel<\/button>/);
  });

  it('offers Interrupt only while the agent process is up', () => {
    assert.match(renderRunFoot(new RunLog(run({ state: 'running' }), true), context), /data-action="interrupt"/);
    const queued = renderRunFoot(new RunLog(run({ state: 'queued' }), true), context);
    assert.ok(!queued.includes('data-action="interrupt"'));
    assert.match(queued, /data-action="cancel"/);
    assert.ok(!renderRunFoot(new RunLog(run({ state: 'succeeded' }), true), context).includes('data-action="interrupt"'));
  });

  it('shows a message sent during the run, escaped', () => {
    assert.equal(
      renderItem({ kind: 'sent', text: `also ${SCRIPT}` }),
      '<div class="sent"><span class="sent-label">You, during the run:</span> also &lt;script&gt;alert(1)&lt;/script&gt;</div>',
    );
  });
});

describe('webview messages', () => {
  it('accepts well-formed messages and drops the rest', () => {
    assert.deepEqual(parseFromWebview({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(
      parseFromWebview({ type: 'send', prompt: 'p', newSession: true, agent: 'claude', model: '', permissionMode: 'acceptEdits', profile: 'ollama:local' }),
      {
        type: 'send',
        prompt: 'p',
        newSession: true,
        agent: 'claude',
        model: '',
        permissionMode: 'acceptEdits',
        profile: 'ollama:local',
      },
    );
    assert.deepEqual(parseFromWebview({ type: 'action', action: 'retry', runId: 'r' }), {
      type: 'action',
      action: 'retry',
      runId: 'r',
      agent: '',
      model: '',
      permissionMode: '',
      profile: '',
    });
    assert.equal(parseFromWebview({ type: 'action', action: 'retryWithProfile', runId: 'r' })?.type, 'action');
    assert.equal(parseFromWebview({ type: 'action', action: 'rm -rf' }), undefined);
    assert.equal(parseFromWebview({ type: 'send' }), undefined);
    assert.equal(parseFromWebview('ready'), undefined);
    assert.equal(parseFromWebview(null), undefined);
  });

  it('accepts answers to requests, and drops malformed ones', () => {
    assert.deepEqual(parseFromWebview({ type: 'respond', runId: 'r', requestId: 'q', behavior: 'deny', message: ' no ' }), {
      type: 'respond',
      runId: 'r',
      requestId: 'q',
      behavior: 'deny',
      message: 'no',
    });
    assert.deepEqual(parseFromWebview({ type: 'respond', runId: 'r', requestId: 'q', behavior: 'allow', answers: { 'Which?': 'A', bad: 3 }, command: 'ls' }), {
      type: 'respond',
      runId: 'r',
      requestId: 'q',
      behavior: 'allow',
      answers: { 'Which?': 'A' },
      command: 'ls',
    });
    assert.equal(parseFromWebview({ type: 'respond', runId: 'r', requestId: 'q', behavior: 'yes' }), undefined);
    assert.equal(parseFromWebview({ type: 'respond', runId: 'r', behavior: 'allow' }), undefined);
    assert.equal(parseFromWebview({ type: 'action', action: 'interrupt', runId: 'r' })?.type, 'action');
  });

  it('leaves empty pickers to the CLI defaults', () => {
    assert.deepEqual(startOptions({ model: '', permissionMode: 'acceptEdits' }), { permissionMode: 'acceptEdits' });
    assert.deepEqual(startOptions({ model: 'opus', permissionMode: '' }), { model: 'opus' });
    assert.deepEqual(startOptions({ model: 'opus', permissionMode: '', profile: 'anthropic:work' }), { model: 'opus', profile: 'anthropic:work' });
    assert.deepEqual(startOptions({ agent: 'codex', model: '', permissionMode: '', profile: '' }), { agent: 'codex' });
  });
});

describe('the panel tab and the prompt', () => {
  it("carries the latest run's state in the tab title, or why the workspace takes no prompt", () => {
    const ws = workspace({ name: 'shop' });
    assert.equal(panelTitle(ws, false, undefined), 'Agent · shop');
    assert.equal(panelTitle(ws, false, 'queued'), 'Agent · shop · queued');
    assert.equal(panelTitle(ws, false, 'running'), 'Agent · shop · running');
    assert.equal(panelTitle(ws, false, 'waiting'), 'Agent · shop · waiting');
    assert.equal(panelTitle(ws, false, 'succeeded'), 'Agent · shop · succeeded', 'the outcome in the words of the Workspaces tree');
    assert.equal(panelTitle(ws, false, 'failed'), 'Agent · shop · failed');
    assert.equal(panelTitle(ws, false, 'cancelled'), 'Agent · shop · cancelled');
    assert.equal(panelTitle(ws, false, 'authRequired'), 'Agent · shop · sign-in needed');
    assert.equal(panelTitle(workspace({ name: 'shop', state: 'archived' }), false, 'succeeded'), 'Agent · shop (archived)');
    assert.equal(panelTitle(ws, true, 'failed'), 'Agent · shop (deleted)');
  });

  it('refuses an empty or whitespace-only prompt with a one-line reason', () => {
    assert.equal(promptRefusal(''), 'Type a prompt to send: the prompt is empty.');
    assert.equal(promptRefusal(' \n\t '), 'Type a prompt to send: the prompt is empty.');
    assert.equal(promptRefusal(' fix it '), undefined);
  });
});

describe('the prompt box of a workspace', () => {
  it('takes prompts for an active workspace', () => {
    assert.deepEqual(composerState(workspace(), false), { readOnly: false, note: null, action: null });
    assert.equal(composerNoteHtml(composerState(workspace(), false)), '');
  });

  it('asks to restore an archived workspace first, with a Restore button', () => {
    const state = composerState(workspace({ state: 'archived', path: '' }), false);
    assert.equal(state.readOnly, true);
    assert.match(composerNoteHtml(state), /is archived\. Restore it to send prompts\..*data-action="restoreWorkspace">Restore</);
    assert.match(panelHeaderHtml(workspace({ state: 'archived', path: '' }), false), /grove\/fix-login \(archived\)/);
  });

  it('tells the page the whole workspace state in one message: active, archived (with Restore), deleted', () => {
    assert.deepEqual(workspaceMessage(workspace(), false), {
      type: 'workspace',
      headerHtml: panelHeaderHtml(workspace(), false),
      readOnly: false,
      noteHtml: '',
    });
    const archived = workspaceMessage(workspace({ state: 'archived', path: '' }), false);
    assert.equal(archived.readOnly, true);
    assert.match(archived.headerHtml, /\(archived\)/);
    assert.match(archived.noteHtml, /data-action="restoreWorkspace">Restore</);
    const deleted = workspaceMessage(workspace(), true);
    assert.equal(deleted.readOnly, true);
    assert.ok(!deleted.noteHtml.includes('restoreWorkspace'));
  });

  it('is read-only for good once the workspace is deleted', () => {
    const state = composerState(workspace({ name: `x${SCRIPT}` }), true);
    assert.equal(state.readOnly, true);
    assert.equal(state.action, null);
    assert.match(composerNoteHtml(state), /was deleted\. Its runs stay here to read; it takes no more prompts\./);
    assert.ok(composerNoteHtml(state).includes('x&lt;script&gt;'));
    assert.match(panelHeaderHtml(workspace(), true), /\(deleted\)/);
  });

  it('says how to install the chosen agent, and offers to set its path or retry, when its CLI is missing', () => {
    const failure = startFailure({ code: -32010, message: 'codex not found' }, 'codex not found', CODEX_AGENT);
    assert.equal(failure.message, `Codex was not found. ${CODEX_AGENT.installHint} The agent did not start.`);
    assert.deepEqual(failure.actions, ['setAgentPath', 'retrySend']);
    const html = composerActionsHtml(failure.actions);
    assert.match(html, /data-action="setAgentPath">Set path…</);
    assert.match(html, /data-composer="retrySend">Retry</);
    assert.match(startFailure({ code: -32010, message: 'x not found' }, 'x not found', undefined).message, /x not found/);
    assert.deepEqual(startFailure({ code: -32602, message: 'restore it' }, 'restore it', CLAUDE_AGENT), { message: 'restore it', actions: [] });
    assert.equal(composerActionsHtml([]), '');
  });

  it('parses the new actions from the webview', () => {
    assert.deepEqual(parseFromWebview({ type: 'action', action: 'restoreWorkspace', model: '', permissionMode: '' }), {
      type: 'action',
      action: 'restoreWorkspace',
      runId: null,
      agent: '',
      model: '',
      permissionMode: '',
      profile: '',
    });
  });
});
