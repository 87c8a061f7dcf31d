// Unit tests of the agent panel's view model: events folded into items, tool calls paired with results, seq order, transcripts merged with live events, cost and duration.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isActive, RunLog, WorkspaceRuns } from '../agentModel';
import type { AgentEvent, Run } from '../protocol';

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
