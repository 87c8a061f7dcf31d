// Unit tests of the messages between the agent panel and its host: every message the webview script can send (typed as it sends it) reaches the host as sent, and nothing else does.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFromWebview } from './agentView';
import { PANEL_ACTIONS, type FromWebview } from './panelMessages';

const composer = { agent: 'claude', model: 'opus', permissionMode: 'default', profile: 'anthropic:work' };

describe('messages from the panel', () => {
  it('reach the host as the webview sent them', () => {
    const sent: FromWebview[] = [
      { type: 'ready' },
      { type: 'send', prompt: 'fix it', newSession: false, ...composer },
      { type: 'land', action: 'push' },
      { type: 'respond', runId: 'r', requestId: 'q', behavior: 'allowAlways', command: 'ls -la' },
      { type: 'respond', runId: 'r', requestId: 'q', behavior: 'deny', message: 'not now' },
      { type: 'respond', runId: 'r', requestId: 'q', behavior: 'allow', answers: { 'Which?': 'A, B' } },
      ...PANEL_ACTIONS.map((action): FromWebview => ({ type: 'action', action, runId: 'r', ...composer })),
      { type: 'action', action: 'restoreWorkspace', runId: null, ...composer },
    ];
    for (const message of sent) assert.deepEqual(parseFromWebview(JSON.parse(JSON.stringify(message))), message);
  });

  it('are refused when the page sends what its host never rendered', () => {
    for (const message of [
      { type: 'action', action: 'deleteEverything', runId: 'r' },
      { type: 'land', action: 'forcePush' },
      { type: 'respond', runId: 'r', requestId: 'q', behavior: 'always' },
      { type: 'send', prompt: 3 },
      { type: 'unknown' },
    ]) {
      assert.equal(parseFromWebview(message), undefined, JSON.stringify(message));
    }
  });
});
