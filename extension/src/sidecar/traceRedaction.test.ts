// Unit tests of traceRedaction: a secret's value never reaches the protocol trace, in the text or the JSON format; other messages pass unchanged.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HIDDEN, TraceRedactor } from './traceRedaction';

const SECRET = 's3cret-value-zz';

describe('TraceRedactor', () => {
  it('hides the params of a secrets request in the text trace, and keeps its header', () => {
    const r = new TraceRedactor();
    const header = "[Trace - 10:00:00 AM] Sending request 'grove/secrets/set - (7)'.";
    assert.equal(r.redact(header), header);
    const data = r.redact(`Params: {\n    "key": "test.key",\n    "value": "${SECRET}"\n}\n\n`);
    assert.equal(data, `Params: ${HIDDEN}`);
    // The next message is traced as usual.
    const other = "[Trace - 10:00:01 AM] Sending request 'grove/usage/get - (8)'.";
    assert.equal(r.redact(other), other);
    assert.equal(r.redact('Params: {}\n\n'), 'Params: {}\n\n');
  });

  it('hides the result of a secrets response', () => {
    const r = new TraceRedactor();
    r.redact("[Trace - 10:00:00 AM] Received response 'grove/secrets/get - (9)' in 3ms.");
    assert.equal(r.redact(`Result: {"value": "${SECRET}"}\n\n`), `Result: ${HIDDEN}`);
  });

  it('hides nothing else after a header without data (trace level "messages")', () => {
    const r = new TraceRedactor();
    r.redact("[Trace - 10:00:00 AM] Sending request 'grove/secrets/set - (7)'.");
    const next = "[Trace - 10:00:00 AM] Received response 'grove/secrets/set - (7)' in 2ms.";
    assert.equal(r.redact(next), next);
    assert.equal(r.redact('No result returned.\n\n'), 'No result returned.\n\n');
  });

  it('hides the params of a secrets request in the JSON trace', () => {
    const r = new TraceRedactor();
    const line = JSON.stringify({
      isLSPMessage: true,
      type: 'send-request',
      message: { jsonrpc: '2.0', id: 7, method: 'grove/secrets/set', params: { key: 'test.key', value: SECRET } },
      timestamp: 1,
    });
    const out = r.redact(line);
    assert.ok(!out.includes(SECRET));
    assert.deepEqual(JSON.parse(out), {
      isLSPMessage: true,
      type: 'send-request',
      message: { jsonrpc: '2.0', id: 7, method: 'grove/secrets/set', params: HIDDEN },
      timestamp: 1,
    });
    assert.equal(r.redact(`not json grove/secrets/set ${SECRET}`), HIDDEN);
  });

  it('hides what every request of SECRET_FIELDS carries: a pasted sign-in code, a profile secret', () => {
    const r = new TraceRedactor();
    r.redact("[Trace - 10:00:00 AM] Sending request 'grove/auth/loginInput - (4)'.");
    assert.equal(r.redact(`Params: {"loginId": "login-1", "code": "${SECRET}"}\n\n`), `Params: ${HIDDEN}`);
    const line = JSON.stringify({
      type: 'send-request',
      message: { jsonrpc: '2.0', id: 5, method: 'grove/profiles/add', params: { provider: 'anthropic', secret: SECRET } },
    });
    assert.ok(!r.redact(line).includes(SECRET));
    // A secrets request whose params carry none (a key read) keeps them; its result is hidden.
    r.redact("[Trace - 10:00:00 AM] Sending request 'grove/secrets/get - (6)'.");
    assert.equal(r.redact('Params: {"key": "test.key"}\n\n'), 'Params: {"key": "test.key"}\n\n');
  });

  it('passes every other line unchanged', () => {
    const r = new TraceRedactor();
    for (const line of [
      "[Trace - 10:00:00 AM] Sending request 'grove/auth/status - (1)'.",
      'Params: {"force": true}\n\n',
      '[LSP   - 10:00:00 AM] ',
      '{"message":{"method":"grove/usage/get"}}',
    ]) {
      assert.equal(r.redact(line), line);
    }
  });
});
