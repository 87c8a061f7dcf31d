// Unit tests of serverPath: the setting, then $GROVE_SERVER_PATH, then the bundled binary; and the missing-binary message.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { missingServerMessage, resolveServerPath } from './serverPath';

describe('resolveServerPath', () => {
  const ext = '/ext/grove';

  it('prefers the setting', () => {
    assert.deepEqual(resolveServerPath({ setting: '/s/grove-server', env: '/e/grove-server', extensionPath: ext }), {
      path: '/s/grove-server',
      source: 'setting',
    });
  });

  it('then the environment variable', () => {
    assert.deepEqual(resolveServerPath({ setting: '  ', env: '/e/grove-server', extensionPath: ext }), {
      path: '/e/grove-server',
      source: 'env',
    });
  });

  it('then the bundled binary', () => {
    assert.deepEqual(resolveServerPath({ setting: undefined, env: '', extensionPath: ext }), {
      path: '/ext/grove/server/grove-server',
      source: 'bundled',
    });
  });
});

describe('missingServerMessage', () => {
  it('says where it looked and how to fix it', () => {
    const m = missingServerMessage({ path: '/s/x', source: 'setting' });
    assert.match(m, /not found at \/s\/x \(from the grove\.server\.path setting\)/);
    assert.match(m, /clear it to use the bundled one/);
    assert.match(missingServerMessage({ path: '/e/x', source: 'env' }), /GROVE_SERVER_PATH/);
    assert.match(missingServerMessage({ path: '/b/x', source: 'bundled' }), /Reinstall the Grove extension/);
  });
});
