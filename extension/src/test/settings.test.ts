// Unit tests of settings: GroveSettings from the editor configuration and the didChangeConfiguration shape.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { didChangeConfigurationParams, groveSettings } from '../settings';

describe('groveSettings', () => {
  it('passes a claudePath', () => {
    const config: Record<string, unknown> = { claudePath: ' /opt/claude ' };
    assert.deepEqual(groveSettings((k) => config[k]), { claudePath: '/opt/claude' });
  });

  it('leaves out empty or malformed values', () => {
    assert.deepEqual(groveSettings(() => ''), {});
    assert.deepEqual(groveSettings(() => 42), {});
  });

  it('nests the settings under grove for didChangeConfiguration', () => {
    assert.deepEqual(didChangeConfigurationParams({ claudePath: '/c' }), { settings: { grove: { claudePath: '/c' } } });
  });
});
