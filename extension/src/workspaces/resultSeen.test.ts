// Unit tests of resultSeen: which finished runs are new results, kept by run id in a memento, and old runs not news after an upgrade.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isNewResult, MAX_SEEN, readSeenState, RESULT_SEEN_KEY, ResultSeen, runOutcome, withSeen, type SeenMemento } from './resultSeen';
import { run } from './workspaceFixtures';

/** A memento in memory, as vscode's workspaceState behaves. */
function memento(initial?: unknown): SeenMemento & { values: Map<string, unknown>; writes: number } {
  const values = new Map<string, unknown>();
  if (initial !== undefined) values.set(RESULT_SEEN_KEY, initial);
  const m = {
    values,
    writes: 0,
    get: (key: string) => values.get(key),
    update: (key: string, value: unknown) => {
      m.writes++;
      values.set(key, JSON.parse(JSON.stringify(value)));
      return Promise.resolve();
    },
  };
  return m;
}

const SINCE = new Date('2026-11-21T10:00:00Z');
const finished = (runId: string, state: 'succeeded' | 'failed' | 'cancelled' = 'succeeded', endedAt = '2026-11-21T10:30:00Z') =>
  run({ runId, state, endedAt, createdAt: '2026-11-21T10:20:00Z' });

describe('run outcomes', () => {
  it('names the three ends of a run, and nothing for the others', () => {
    assert.equal(runOutcome('succeeded'), 'succeeded');
    assert.equal(runOutcome('failed'), 'failed');
    assert.equal(runOutcome('cancelled'), 'cancelled');
    for (const state of ['queued', 'running', 'waiting', 'authRequired'] as const) assert.equal(runOutcome(state), undefined);
  });
});

describe('new results', () => {
  it('counts a finished run not opened as new, until it is seen', () => {
    const state = { since: SINCE.toISOString(), seen: [] };
    assert.equal(isNewResult(finished('r1'), state), true);
    assert.equal(isNewResult(finished('r1', 'failed'), state), true);
    assert.equal(isNewResult(run({ runId: 'r1', state: 'running' }), state), false);
    assert.equal(isNewResult(finished('r1'), withSeen(state, 'r1')), false);
  });

  it('does not count runs that ended before results were counted here', () => {
    const state = { since: SINCE.toISOString(), seen: [] };
    assert.equal(isNewResult(finished('old', 'succeeded', '2026-11-21T09:59:59Z'), state), false);
    // No end time: its creation time says.
    assert.equal(isNewResult(run({ runId: 'x', state: 'failed', endedAt: null, createdAt: '2026-11-21T09:00:00Z' }), state), false);
  });

  it('keeps the newest ids, at most MAX_SEEN, and returns the same state for a run seen again', () => {
    let state = { since: SINCE.toISOString(), seen: [] as string[] };
    for (let i = 0; i < MAX_SEEN + 5; i++) state = withSeen(state, `r${i}`);
    assert.equal(state.seen.length, MAX_SEEN);
    assert.equal(state.seen[0], 'r5');
    assert.equal(withSeen(state, 'r9'), state);
  });

  it('reads back what it stored, and starts afresh from anything else', () => {
    assert.deepEqual(readSeenState({ since: SINCE.toISOString(), seen: ['a', 3, 'b'] }, 'now'), { since: SINCE.toISOString(), seen: ['a', 'b'] });
    assert.deepEqual(readSeenState(undefined, 'now'), { since: 'now', seen: [] });
    assert.deepEqual(readSeenState({ since: 'yesterday', seen: [] }, 'now'), { since: 'now', seen: [] });
    assert.deepEqual(readSeenState(['r1'], 'now'), { since: 'now', seen: [] });
  });
});

describe('ResultSeen', () => {
  it('stores since when it counts on first use, so that a reload keeps old runs old', () => {
    const m = memento();
    const seen = new ResultSeen(m, SINCE);
    assert.deepEqual(m.values.get(RESULT_SEEN_KEY), { since: SINCE.toISOString(), seen: [] });
    assert.equal(seen.isNew(finished('r1')), true);
    // A later window start reads the same "since".
    const later = new ResultSeen(m, new Date('2026-12-01T00:00:00Z'));
    assert.equal(later.isNew(finished('r1')), true);
    assert.equal(later.isNew(undefined), false);
  });

  it('marks a result seen by run id, persists it, and tells listeners once', () => {
    const m = memento();
    const seen = new ResultSeen(m, SINCE);
    let told = 0;
    const sub = seen.onDidChange(() => told++);
    seen.markSeen('r1');
    seen.markSeen('r1');
    assert.equal(told, 1);
    assert.equal(seen.isNew(finished('r1')), false);
    assert.equal(seen.isNew(finished('r2')), true);
    assert.deepEqual(m.values.get(RESULT_SEEN_KEY), { since: SINCE.toISOString(), seen: ['r1'] });
    // After a reload of the window.
    assert.equal(new ResultSeen(m).isNew(finished('r1')), false);
    sub.dispose();
    seen.markSeen('r2');
    assert.equal(told, 1);
  });
});
