// Unit tests of settings: GroveSettings from the editor configuration and the didChangeConfiguration shape.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { didChangeConfigurationParams, groveSettings } from './settings';

describe('groveSettings', () => {
  it('passes a claudePath', () => {
    const config: Record<string, unknown> = { claudePath: ' /opt/claude ' };
    assert.deepEqual(
      groveSettings((k) => config[k]),
      { claudePath: '/opt/claude' },
    );
  });

  it("passes every grove.*Path setting as it is, trimmed, but the extension's own serverPath; an empty one is left to the sidecar", () => {
    const config: Record<string, unknown> = {
      claudePath: '/opt/claude',
      codexPath: ' /opt/codex/bin/codex ',
      otherAgentPath: '/opt/other',
      serverPath: '/opt/grove-server',
      ghPath: ' /usr/bin/gh ',
      get: () => undefined,
    };
    assert.deepEqual(
      groveSettings((k) => config[k], Object.keys(config)),
      { claudePath: '/opt/claude', codexPath: '/opt/codex/bin/codex', otherAgentPath: '/opt/other', ghPath: '/usr/bin/gh' },
    );
    for (const empty of ['', '  ', null, 7]) {
      assert.deepEqual(
        groveSettings((k) => (k === 'codexPath' ? empty : undefined), ['codexPath']),
        {},
        String(empty),
      );
    }
    // Without the keys, claudePath is still read (and ghPath, as before).
    assert.deepEqual(
      groveSettings((k) => config[k]),
      { claudePath: '/opt/claude', ghPath: '/usr/bin/gh' },
    );
  });

  it('passes the workspace settings, trimmed, and leaves out empty ones (the sidecar default)', () => {
    const config: Record<string, unknown> = { worktreeRoot: ' /w ', branchPrefix: 'me/', setupScript: 'scripts/setup.sh' };
    assert.deepEqual(
      groveSettings((k) => config[k]),
      { worktreeRoot: '/w', branchPrefix: 'me/', setupScript: 'scripts/setup.sh' },
    );
    const empty: Record<string, unknown> = { worktreeRoot: '', branchPrefix: '  ', setupScript: null };
    assert.deepEqual(
      groveSettings((k) => empty[k]),
      {},
    );
  });

  it('leaves the default setup script to the sidecar, which runs it only when present', () => {
    const config: Record<string, unknown> = { branchPrefix: 'grove/', setupScript: '.grove/setup.sh' };
    assert.deepEqual(
      groveSettings((k) => config[k]),
      { branchPrefix: 'grove/' },
    );
  });

  it('passes setupTimeoutSeconds as whole seconds of at least 1, else leaves the default to the sidecar', () => {
    assert.deepEqual(
      groveSettings((k) => (k === 'setupTimeoutSeconds' ? 90.5 : undefined)),
      { setupTimeoutSeconds: 90 },
    );
    for (const bad of [0, -5, Number.NaN, '60', null]) {
      assert.deepEqual(
        groveSettings((k) => (k === 'setupTimeoutSeconds' ? bad : undefined)),
        {},
        String(bad),
      );
    }
  });

  it('passes maxParallelAgents as a whole number of at least 1, else leaves the default to the sidecar', () => {
    const config: Record<string, unknown> = { maxParallelAgents: 5 };
    assert.deepEqual(
      groveSettings((k) => config[k]),
      { maxParallelAgents: 5 },
    );
    assert.deepEqual(
      groveSettings((k) => (k === 'maxParallelAgents' ? 2.7 : undefined)),
      { maxParallelAgents: 2 },
    );
    for (const bad of [0, -1, 0.5, Number.NaN, Number.POSITIVE_INFINITY, '4', null]) {
      assert.deepEqual(
        groveSettings((k) => (k === 'maxParallelAgents' ? bad : undefined)),
        {},
        String(bad),
      );
    }
  });

  it('turns usage insights on only for true; off is the default, so it is left out', () => {
    assert.deepEqual(
      groveSettings((k) => (k === 'usageInsights.enabled' ? true : undefined)),
      { usageInsights: true },
    );
    for (const off of [false, 'true', 1, null, undefined]) {
      assert.deepEqual(
        groveSettings((k) => (k === 'usageInsights.enabled' ? off : undefined)),
        {},
        String(off),
      );
    }
  });

  it('passes the landing settings the sidecar knows, and leaves the rest to its defaults', () => {
    const config: Record<string, unknown> = {
      commitAfterEachRun: true,
      syncMethod: 'merge',
      mergeMethod: 'squash',
      remote: ' upstream ',
      ghPath: ' /opt/gh/bin/gh ',
    };
    assert.deepEqual(
      groveSettings((k) => config[k]),
      { commitAfterEachRun: true, syncMethod: 'merge', mergeMethod: 'squash', remote: 'upstream', ghPath: '/opt/gh/bin/gh' },
    );
    const defaults: Record<string, unknown> = { commitAfterEachRun: false, syncMethod: 'rebase', mergeMethod: 'merge', remote: 'origin', ghPath: '' };
    assert.deepEqual(
      groveSettings((k) => defaults[k]),
      { syncMethod: 'rebase', mergeMethod: 'merge', remote: 'origin' },
    );
    const bad: Record<string, unknown> = { commitAfterEachRun: 'true', syncMethod: 'squash', mergeMethod: 'octopus', remote: '  ', ghPath: 3 };
    assert.deepEqual(
      groveSettings((k) => bad[k]),
      {},
    );
  });

  it('leaves out empty or malformed values', () => {
    assert.deepEqual(
      groveSettings(() => ''),
      {},
    );
    // A number is malformed for every string setting; the number settings take it.
    assert.deepEqual(
      groveSettings(() => 42),
      { setupTimeoutSeconds: 42, maxParallelAgents: 42, agentStallSeconds: 42 },
    );
  });

  it('nests the settings under grove for didChangeConfiguration', () => {
    assert.deepEqual(didChangeConfigurationParams({ claudePath: '/c' }), { settings: { grove: { claudePath: '/c' } } });
  });
});
