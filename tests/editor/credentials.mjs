// The fake Claude sign-in of the shared fixtures, for the editor tests and the contract test (which loads this file bundled as CommonJS, so it stays plain Node: no import.meta).
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The fake credentials of the shared fixtures: claude.ai, subscription "max", valid until 2100-01-01. All fake. */
export const MAX_CREDENTIALS = JSON.stringify({
  claudeAiOauth: {
    accessToken: 'sk-ant-oat01-FAKEACCESS',
    refreshToken: 'sk-ant-ort01-FAKEREFRESH',
    expiresAt: 4102444800000,
    scopes: ['user:inference', 'user:profile'],
    subscriptionType: 'max',
    rateLimitTier: 'default_claude_max_20x',
  },
});

/**
 * Writes `json` as the claude CLI's credentials under `home`: a 0700 folder and a 0600 file, as the CLI writes them.
 * @param {string} home
 * @param {string} [json] default: MAX_CREDENTIALS
 * @returns {string} the credentials file
 */
export function writeCredentials(home, json = MAX_CREDENTIALS) {
  const dir = join(home, '.claude');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const file = join(dir, '.credentials.json');
  writeFileSync(file, json, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}
