// Unit tests of the agent panel's view model: events folded into items, tool calls paired with results, seq order, transcripts merged with live events, cost and duration.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hidesErrorResult, isActive, PanelPage, RunLog, sessionMarker, WorkspaceRuns } from './agentModel';
import { toolStatus } from './agentView';
import type { AgentEvent, Run } from '../common/protocol';

function run(overrides: Partial<Run> = {}): Run {
  return {
    runId: 'run-1',
    workspaceId: 'ws-1',
    state: 'running',
    prompt: 'please WRITE notes.txt',
    sessionId: null,
    startedAt: '2026-11-21T10:12:08.000Z',
    endedAt: null,
    costUsd: null,
    error: null,
    createdAt: '2026-11-21T10:12:07.900Z',
    resumable: false,
    ...overrides,
  };
}

/** The events the sidecar makes of tests/fixtures/claude-code-2.1.329/stream-write-tool.jsonl. */
const WRITE_TOOL: AgentEvent[] = [
  { kind: 'init', sessionId: 'eaad17b9-bfe3-4ea0-80d3-e5999027c0be', model: 'claude-opus-5-5', cwd: '/home/dev/src/demo' },
  { kind: 'toolUse', id: 'toolu_01', name: 'Write', input: { file_path: 'notes.txt', content: 'written by the agent\n' } },
  {
    kind: 'toolResult',
    toolUseId: 'toolu_01',
    isError: false,
    content: 'File created successfully at: notes.txt (file state is current in your context — no need to Read it back)',
  },
  { kind: 'text', text: 'Done.' },
  { kind: 'result', isError: false, text: 'Done.', costUsd: 0.00028, durationMs: 209 },
];

/** One event of WRITE_TOOL. */
function writeTool(seq: number): AgentEvent {
  const event = WRITE_TOOL[seq];
  assert.ok(event, `no event ${seq}`);
  return event;
}

describe('RunLog', () => {
  it('pairs a tool call with its result and keeps text, model, cost and duration', () => {
    const log = new RunLog(run(), true);
    WRITE_TOOL.forEach((e, seq) => {
      log.receive(seq, e);
    });
    assert.deepEqual(log.items, [
      {
        kind: 'tool',
        id: 'toolu_01',
        name: 'Write',
        input: { file_path: 'notes.txt', content: 'written by the agent\n' },
        result: {
          isError: false,
          content: 'File created successfully at: notes.txt (file state is current in your context — no need to Read it back)',
        },
      },
      { kind: 'text', text: 'Done.' },
    ]);
    assert.equal(log.model, 'claude-opus-5-5');
    assert.equal(log.costUsd, 0.00028);
    assert.equal(log.durationMs, 209);
  });

  it('reports which items changed: a result changes its call, not a new item', () => {
    const log = new RunLog(run(), true);
    log.takeChanges();
    log.receive(0, writeTool(1));
    assert.deepEqual(log.takeChanges(), { items: [0], meta: false });
    log.receive(1, writeTool(2));
    assert.deepEqual(log.takeChanges(), { items: [0], meta: false });
    log.receive(2, writeTool(4));
    assert.deepEqual(log.takeChanges(), { items: [], meta: true });
  });

  it('shows a result whose call was never seen', () => {
    const log = new RunLog(run(), true);
    log.receive(0, { kind: 'toolResult', toolUseId: 'toolu_9', isError: true, content: 'boom' });
    assert.deepEqual(log.items, [{ kind: 'tool', id: 'toolu_9', name: 'Tool', input: null, result: { isError: true, content: 'boom' } }]);
  });

  it('marks an error result, groups stderr and non-JSON output, and skips empty text and allowed rate limits', () => {
    const log = new RunLog(run(), true);
    const events: AgentEvent[] = [
      { kind: 'text', text: '  ' },
      { kind: 'stderr', line: 'warning: one' },
      { kind: 'other', type: 'output', line: 'not json' },
      { kind: 'other', type: 'system:hook_started' },
      { kind: 'rateLimit', status: 'allowed', limitType: 'five_hour', resetsAt: null },
      { kind: 'rateLimit', status: 'rejected', limitType: 'five_hour', resetsAt: '2026-02-18T05:00:00Z' },
      { kind: 'retry', attempt: 1, errorStatus: 529, error: 'overloaded' },
      { kind: 'result', isError: true, text: 'Not logged in · Please run /login', costUsd: 0, durationMs: 12 },
    ];
    events.forEach((e, seq) => {
      log.receive(seq, e);
    });
    assert.deepEqual(log.items, [
      { kind: 'output', lines: ['warning: one', 'not json'] },
      { kind: 'rateLimit', status: 'rejected', limitType: 'five_hour', resetsAt: '2026-02-18T05:00:00Z' },
      { kind: 'retry', attempt: 1, errorStatus: 529, error: 'overloaded' },
      { kind: 'error', text: 'Not logged in · Please run /login' },
    ]);
  });

  it('applies live events in seq order, waiting for missing ones, ignoring repeats', () => {
    const log = new RunLog(run(), true);
    log.receive(1, { kind: 'text', text: 'second' });
    assert.equal(log.items.length, 0);
    assert.ok(log.hasGap());
    log.receive(0, { kind: 'text', text: 'first' });
    log.receive(0, { kind: 'text', text: 'first again' });
    assert.deepEqual(
      log.items.map((i) => (i.kind === 'text' ? i.text : i.kind)),
      ['first', 'second'],
    );
    assert.equal(log.nextSeq, 2);
    assert.ok(!log.hasGap());
  });

  it('merges a transcript with live events that arrived while it was read', () => {
    const log = new RunLog(run(), false);
    // Live events 3 and 4 arrive before the transcript, which has 0..3.
    log.receive(3, writeTool(3));
    log.receive(4, writeTool(4));
    log.loadTranscript(WRITE_TOOL.slice(0, 4));
    assert.ok(log.loaded);
    assert.ok(!log.hasGap());
    assert.equal(log.nextSeq, 5);
    assert.deepEqual(
      log.items.map((i) => i.kind),
      ['tool', 'text'],
    );
    assert.equal(log.costUsd, 0.00028);
    // Reading it again changes nothing.
    log.loadTranscript(WRITE_TOOL);
    assert.equal(log.items.length, 2);
  });

  it('skips a gap the transcript cannot fill', () => {
    const log = new RunLog(run(), false);
    log.receive(5, { kind: 'text', text: 'late' });
    log.loadTranscript(WRITE_TOOL.slice(0, 2));
    assert.ok(log.hasGap());
    log.skipGap();
    assert.ok(!log.hasGap());
    assert.equal(log.nextSeq, 6);
    assert.deepEqual(
      log.items.map((i) => i.kind),
      ['tool', 'text'],
    );
  });

  it('falls back to the run for cost and duration', () => {
    const log = new RunLog(run({ costUsd: 0.5, endedAt: '2026-11-21T10:12:10.500Z' }), true);
    assert.equal(log.costUsd, 0.5);
    assert.equal(log.durationMs, 2500);
    assert.equal(new RunLog(run({ startedAt: null })).durationMs, null);
  });
});

describe('RunLog streaming', () => {
  it('appends text deltas to one streaming block, which the whole text then replaces', () => {
    const log = new RunLog(run(), true);
    log.receive(0, { kind: 'textDelta', text: 'Hel' });
    log.receive(1, { kind: 'textDelta', text: 'lo, ' });
    assert.deepEqual(log.items, [{ kind: 'text', text: 'Hello, ', streaming: true }]);
    log.takeChanges();
    log.receive(2, { kind: 'textDelta', text: 'world' });
    assert.deepEqual(log.takeChanges().items, [0]);
    log.receive(3, { kind: 'text', text: 'Hello, world.' });
    assert.deepEqual(log.items, [{ kind: 'text', text: 'Hello, world.' }]);
    // The next block streams into a new item.
    log.receive(4, { kind: 'toolUse', id: 't1', name: 'Write', input: {} });
    log.receive(5, { kind: 'textDelta', text: 'Next' });
    log.receive(6, { kind: 'text', text: 'Next one' });
    assert.deepEqual(
      log.items.map((i) => (i.kind === 'text' ? i.text : i.kind)),
      ['Hello, world.', 'tool', 'Next one'],
    );
  });

  it('ends a block streamed only as deltas at a tool call: the text after it is a block of its own', () => {
    const log = new RunLog(run(), true);
    log.receive(0, { kind: 'textDelta', text: 'I will write ' });
    log.receive(1, { kind: 'textDelta', text: 'the file.' });
    log.receive(2, { kind: 'toolUse', id: 't1', name: 'write_file', input: { file_path: 'hello.txt' } });
    assert.deepEqual(log.items[0], { kind: 'text', text: 'I will write the file.' });
    log.receive(3, { kind: 'textDelta', text: 'Written ' });
    log.receive(4, { kind: 'toolResult', toolUseId: 't1', isError: false, content: 'ok' });
    log.receive(5, { kind: 'textDelta', text: 'Done.' });
    log.receive(6, { kind: 'textDelta', text: ' Bye.' });
    assert.deepEqual(
      log.items.map((i) => (i.kind === 'text' ? [i.text, i.streaming === true] : i.kind)),
      [['I will write the file.', false], 'tool', ['Written ', false], ['Done. Bye.', true]],
    );
  });

  it('keeps what streamed when the run ends before the whole text', () => {
    const log = new RunLog(run(), true);
    log.receive(0, { kind: 'textDelta', text: 'Partial' });
    log.setRun(run({ state: 'cancelled' }));
    assert.deepEqual(log.items, [{ kind: 'text', text: 'Partial' }]);
  });

  it('folds a transcript with deltas the same way', () => {
    const log = new RunLog(run({ state: 'succeeded' }), false);
    log.loadTranscript([
      { kind: 'textDelta', text: 'A' },
      { kind: 'textDelta', text: 'B' },
      { kind: 'text', text: 'AB' },
      { kind: 'notice', message: 'This turn started a new session.' },
    ]);
    assert.deepEqual(log.items, [
      { kind: 'text', text: 'AB' },
      { kind: 'notice', text: 'This turn started a new session.' },
    ]);
  });

  it('hides the error result of a cancelled run, and of a failed one whose footer says it', () => {
    const log = new RunLog(run(), true);
    log.receive(0, { kind: 'result', isError: true, text: null, costUsd: null, durationMs: null });
    assert.deepEqual(log.items, [{ kind: 'error', text: 'The agent stopped with an error.' }]);
    log.takeChanges();
    log.setRun(run({ state: 'cancelled' }));
    assert.deepEqual(log.items, [{ kind: 'error', text: 'The agent stopped with an error.', hidden: true }]);
    assert.deepEqual(log.takeChanges().items, [0]);
    assert.equal(hidesErrorResult(run({ state: 'failed', error: 'x' })), true);
    assert.equal(hidesErrorResult(run({ state: 'failed', error: null })), false);
    assert.equal(hidesErrorResult(run({ state: 'authRequired', error: 'Not logged in' })), true);
    assert.equal(hidesErrorResult(run({ state: 'succeeded' })), false);
    // Known cancelled before its result arrives (a transcript read later).
    const later = new RunLog(run({ state: 'cancelled' }), false);
    later.loadTranscript([{ kind: 'result', isError: true, text: 'Interrupted', costUsd: null, durationMs: null }]);
    assert.deepEqual(later.items, [{ kind: 'error', text: 'Interrupted', hidden: true }]);
  });
});

describe('RunLog denied tool calls', () => {
  const WRITE = { file_path: 'notes.txt', content: 'x\n' };
  const deniedResult = (toolUseId: string, content: string, denied?: boolean): AgentEvent => {
    const event: AgentEvent = { kind: 'toolResult', toolUseId, isError: true, content };
    return denied === undefined ? event : { ...event, denied };
  };

  it('marks a result the sidecar says was denied, with the message as its content', () => {
    const log = new RunLog(run(), true);
    log.receive(0, { kind: 'toolUse', id: 'toolu_01', name: 'Write', input: WRITE });
    log.receive(1, deniedResult('toolu_01', 'Not now', true));
    assert.deepEqual(log.items, [{ kind: 'tool', id: 'toolu_01', name: 'Write', input: WRITE, result: { isError: true, content: 'Not now', denied: true } }]);
    // A failure is not a denial.
    const failed = new RunLog(run(), true);
    failed.receive(0, { kind: 'toolUse', id: 'toolu_02', name: 'Bash', input: { command: 'false' } });
    failed.receive(1, deniedResult('toolu_02', 'exit 1', false));
    assert.deepEqual(failed.items[0], {
      kind: 'tool',
      id: 'toolu_02',
      name: 'Bash',
      input: { command: 'false' },
      result: { isError: true, content: 'exit 1' },
    });
  });

  it('shows each result as the sidecar says: denied, then the same call asked again, allowed and failing, is an error', () => {
    // The user denies `Bash npm test`; the agent asks again, the user allows it, and the tests fail.
    const NPM_TEST = { command: 'npm test' };
    const log = new RunLog(run(), true);
    log.receive(0, { kind: 'toolUse', id: 't1', name: 'Bash', input: NPM_TEST });
    log.receive(1, deniedResult('t1', 'Not yet', true));
    log.receive(2, { kind: 'toolUse', id: 't2', name: 'Bash', input: NPM_TEST });
    log.receive(3, deniedResult('t2', '1 failing test', false));
    assert.deepEqual(
      log.items.map((item) => (item.kind === 'tool' ? toolStatus(item.result) : item.kind)),
      ['denied', 'error'],
    );
    assert.deepEqual(log.items[1], { kind: 'tool', id: 't2', name: 'Bash', input: NPM_TEST, result: { isError: true, content: '1 failing test' } });
    // The same from the transcript (it keeps `denied`), and a result without `denied` is a failure.
    const read = new RunLog(run(), false);
    read.loadTranscript([
      { kind: 'toolUse', id: 't1', name: 'Bash', input: NPM_TEST },
      deniedResult('t1', 'Not yet', true),
      { kind: 'toolUse', id: 't2', name: 'Bash', input: NPM_TEST },
      deniedResult('t2', '1 failing test'),
    ]);
    assert.deepEqual(
      read.items.map((item) => (item.kind === 'tool' ? toolStatus(item.result) : item.kind)),
      ['denied', 'error'],
    );
  });
});

describe('session markers between turns', () => {
  it('says "continued" when a turn resumed an earlier session, "new" when it started one, nothing for the first', () => {
    assert.equal(sessionMarker([], 's-1'), null);
    assert.equal(sessionMarker([null], 's-1'), null, 'nothing before had a session');
    assert.equal(sessionMarker(['s-1'], 's-1'), 'continued');
    assert.equal(sessionMarker(['s-1'], 's-2'), 'new');
    // A turn that never reached the model (no session) in between: the one before it was resumed.
    assert.equal(sessionMarker(['s-1', null], 's-1'), 'continued');
    assert.equal(sessionMarker(['s-1', 's-2'], 's-1'), 'continued');
    // Not known yet: only a new session asked for says so.
    assert.equal(sessionMarker(['s-1'], null), null);
    assert.equal(sessionMarker(['s-1'], null, true), 'new');
  });

  it("reads each run's session from the run, else from its init event", () => {
    const runs = new WorkspaceRuns();
    const first = runs.upsert(run({ runId: 'run-1', sessionId: 's-1', createdAt: '2026-11-21T10:00:00Z' })).log;
    const second = runs.upsert(run({ runId: 'run-2', sessionId: null, createdAt: '2026-11-21T11:00:00Z' }), true).log;
    const third = runs.upsert(run({ runId: 'run-3', sessionId: null, createdAt: '2026-11-21T12:00:00Z' }), true).log;
    assert.equal(runs.sessionMarker(first), null);
    assert.equal(runs.sessionMarker(second), null);
    assert.equal(runs.sessionMarker(third, true), 'new');
    second.receive(0, { kind: 'init', sessionId: 's-1', model: 'm', cwd: '/w' });
    assert.equal(second.sessionId, 's-1');
    assert.equal(runs.sessionMarker(second), 'continued');
    third.receive(0, { kind: 'init', sessionId: 's-3', model: 'm', cwd: '/w' });
    assert.equal(runs.sessionMarker(third), 'new');
    // The sidecar's record wins over the init event.
    runs.upsert(run({ runId: 'run-3', sessionId: 's-1', createdAt: '2026-11-21T12:00:00Z' }));
    assert.equal(runs.sessionMarker(third), 'continued');
  });
});

describe('WorkspaceRuns', () => {
  it('keeps runs oldest first and events of unknown runs until the run arrives', () => {
    const runs = new WorkspaceRuns();
    assert.equal(runs.receive('run-2', 0, { kind: 'text', text: 'early' }), undefined);
    runs.upsert(run({ runId: 'run-1', createdAt: '2026-11-21T10:00:00Z' }));
    const second = runs.upsert(run({ runId: 'run-2', createdAt: '2026-11-21T11:00:00Z' }), true);
    assert.ok(second.added && second.inOrder);
    assert.deepEqual(second.log.items, [{ kind: 'text', text: 'early' }]);
    const older = runs.upsert(run({ runId: 'run-0', createdAt: '2026-11-21T09:00:00Z' }));
    assert.ok(older.added && !older.inOrder);
    assert.deepEqual(
      runs.runs.map((l) => l.run.runId),
      ['run-0', 'run-1', 'run-2'],
    );
    assert.equal(runs.latest?.run.runId, 'run-2');
    const updated = runs.upsert(run({ runId: 'run-1', state: 'succeeded', createdAt: '2026-11-21T10:00:00Z' }));
    assert.ok(!updated.added);
    assert.equal(runs.get('run-1')?.run.state, 'succeeded');
  });

  it('knows which states are still active', () => {
    assert.ok(isActive('queued') && isActive('running'));
    assert.ok(!isActive('succeeded') && !isActive('failed') && !isActive('cancelled') && !isActive('authRequired'));
  });
});

describe("the panel's page", () => {
  it("takes messages from its ready until the panel is hidden; back in view, only the new page's ready shows it (once)", () => {
    const page = new PanelPage();
    assert.equal(page.ready, false, 'nothing is sent before the first page says ready');
    assert.deepEqual(page.loaded(), { focusPrompt: false });
    assert.equal(page.ready, true);
    // Hidden: the page is gone, and stays so while the panel comes back in view, until the new page says ready.
    page.gone();
    assert.equal(page.ready, false);
    assert.deepEqual(page.loaded(), { focusPrompt: false });
    assert.equal(page.ready, true);
    // Closed, or its HTML replaced: the same.
    page.gone();
    assert.equal(page.ready, false);
  });

  it('gives the prompt box the cursor now when a page is ready, else the next ready page, once', () => {
    const page = new PanelPage();
    page.loaded();
    assert.equal(page.focusPrompt(), true);
    assert.deepEqual(page.loaded(), { focusPrompt: false }, 'told already');
    page.gone();
    assert.equal(page.focusPrompt(), false, 'no page to tell: kept for the next one');
    assert.deepEqual(page.loaded(), { focusPrompt: true });
    page.gone();
    assert.deepEqual(page.loaded(), { focusPrompt: false });
  });
});
