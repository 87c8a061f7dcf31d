// Unit tests of changesScheduler: debouncing per workspace, one request per workspace at a time, a cap on requests at once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChangesScheduler, type Timers } from './changesScheduler';

/** Timers that fire only when told to. */
class FakeTimers implements Timers {
  time = 0;
  now(): number {
    return this.time;
  }
  private next = 0;
  private readonly pending = new Map<number, { at: number; callback: () => void }>();
  setTimeout(callback: () => void, ms: number): unknown {
    const id = ++this.next;
    this.pending.set(id, { at: this.time + ms, callback });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  advance(ms: number): void {
    this.time += ms;
    for (const [id, t] of [...this.pending].sort((a, b) => a[1].at - b[1].at)) {
      if (t.at <= this.time) {
        this.pending.delete(id);
        t.callback();
      }
    }
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('ChangesScheduler', () => {
  it('asks once for a burst of events, after the workspace is quiet', () => {
    const timers = new FakeTimers();
    const asked: string[] = [];
    const s = new ChangesScheduler(
      (id) => {
        asked.push(id);
        return Promise.resolve();
      },
      { delayMs: 500, timers },
    );
    s.schedule('a');
    timers.advance(400);
    s.schedule('a');
    timers.advance(400);
    assert.deepEqual(asked, []);
    timers.advance(100);
    assert.deepEqual(asked, ['a']);
  });

  it('asks at the latest after maxWaitMs while events keep coming', () => {
    const timers = new FakeTimers();
    const asked: string[] = [];
    const s = new ChangesScheduler(
      (id) => {
        asked.push(id);
        return Promise.resolve();
      },
      { delayMs: 500, maxWaitMs: 2000, timers },
    );
    for (let t = 0; t < 1900; t += 100) {
      s.schedule('a');
      timers.advance(100);
    }
    assert.deepEqual(asked, []);
    s.schedule('a');
    timers.advance(100);
    assert.deepEqual(asked, ['a']);
  });

  it('asks again once after an answer when events came meanwhile', async () => {
    const timers = new FakeTimers();
    const asked: string[] = [];
    const answers: ReturnType<typeof deferred>[] = [];
    const s = new ChangesScheduler(
      (id) => {
        asked.push(id);
        const d = deferred();
        answers.push(d);
        return d.promise;
      },
      { delayMs: 100, timers },
    );
    s.schedule('a', 0);
    timers.advance(0);
    s.schedule('a');
    s.schedule('a');
    timers.advance(1000);
    assert.deepEqual(asked, ['a']);
    answers[0]?.resolve();
    await settle();
    timers.advance(100);
    assert.deepEqual(asked, ['a', 'a']);
  });

  it('keeps at most maxInFlight requests at once', async () => {
    const timers = new FakeTimers();
    const asked: string[] = [];
    const answers: ReturnType<typeof deferred>[] = [];
    const s = new ChangesScheduler(
      (id) => {
        asked.push(id);
        const d = deferred();
        answers.push(d);
        return d.promise;
      },
      { delayMs: 0, maxInFlight: 2, timers },
    );
    for (const id of ['a', 'b', 'c']) s.schedule(id);
    timers.advance(0);
    assert.deepEqual(asked, ['a', 'b']);
    answers[0]?.resolve();
    await settle();
    assert.deepEqual(asked, ['a', 'b', 'c']);
  });

  it('asks nothing for a forgotten workspace, or after dispose', () => {
    const timers = new FakeTimers();
    const asked: string[] = [];
    const s = new ChangesScheduler(
      (id) => {
        asked.push(id);
        return Promise.resolve();
      },
      { delayMs: 10, timers },
    );
    s.schedule('a');
    s.forget('a');
    s.schedule('b');
    s.dispose();
    s.schedule('c');
    timers.advance(100);
    assert.deepEqual(asked, []);
  });

  it('survives a failing request', async () => {
    const timers = new FakeTimers();
    let calls = 0;
    const s = new ChangesScheduler(
      () => {
        calls++;
        return Promise.reject(new Error('no'));
      },
      { delayMs: 0, timers },
    );
    s.schedule('a');
    timers.advance(0);
    await settle();
    s.schedule('a');
    timers.advance(0);
    assert.equal(calls, 2);
  });
});
