// Unit tests of secretKey: the "Set Secret" key check agrees with the sidecar's (1 to 200 printable characters).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { secretKeyProblem } from './secretKey';

describe('secretKeyProblem', () => {
  it('accepts printable keys up to 200 bytes', () => {
    for (const key of ['test.key', 'a', 'my plugin/token #1', 'clé', 'x'.repeat(200)]) {
      assert.equal(secretKeyProblem(key), undefined, key);
    }
  });

  it('refuses an empty or blank key', () => {
    assert.match(secretKeyProblem('') ?? '', /Type a key/);
    assert.match(secretKeyProblem('   ') ?? '', /Type a key/);
  });

  it('refuses control characters', () => {
    for (const key of ['a\tb', 'a\nb', 'a\u0000', 'a\u007f', 'a\u0085']) {
      assert.match(secretKeyProblem(key) ?? '', /printable/, JSON.stringify(key));
    }
  });

  it('refuses more than 200 bytes, as the sidecar counts them', () => {
    assert.match(secretKeyProblem('x'.repeat(201)) ?? '', /at most 200/);
    // 101 two-byte characters: 202 bytes.
    assert.match(secretKeyProblem('é'.repeat(101)) ?? '', /at most 200/);
  });
});
