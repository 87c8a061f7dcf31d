// Unit tests of restartPolicy: the backoff sequence, its cap and reset, and the one-time notice.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RestartPolicy } from './restartPolicy';

describe('RestartPolicy', () => {
  it('doubles from 1 s and caps at 30 s', () => {
    const p = new RestartPolicy();
    p.started(0);
    const delays = Array.from({ length: 8 }, () => p.nextDelay(10));
    assert.deepEqual(delays, [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('starts over after a stable run', () => {
    const p = new RestartPolicy();
    p.started(0);
    p.nextDelay(100);
    p.nextDelay(200);
    p.started(1_000);
    assert.equal(p.nextDelay(5_000), 4000, 'a short run keeps backing off');
    p.started(10_000);
    assert.equal(p.nextDelay(10_000 + 60_000), 1000);
  });

  it('tells the user once per session', () => {
    const p = new RestartPolicy();
    assert.equal(p.shouldNotify(), true);
    assert.equal(p.shouldNotify(), false);
  });
});
