// Sign-in statuses shaped like the sidecar's answers for the real CLI fixtures, for the unit tests.
import type { AuthStatus } from '../common/protocol';

export const CHECKED_AT = '2026-11-21T10:00:00.000Z';
/** A deterministic stand-in for the local-time formatter. */
export const fixedTime = (iso: string): string => `<${iso}>`;

const base: AuthStatus = {
  loggedIn: false,
  authMethod: 'none',
  apiProvider: 'firstParty',
  email: null,
  orgName: null,
  subscriptionType: null,
  cli: { path: '/home/dev/.local/bin/claude', version: '2.1.329' },
  checkedAt: CHECKED_AT,
  lastFailure: null,
};

export const signedOut: AuthStatus = base;
export const max: AuthStatus = { ...base, loggedIn: true, authMethod: 'claude.ai', subscriptionType: 'max' };
export const apiKey: AuthStatus = { ...base, loggedIn: true, authMethod: 'api_key' };
export const oauthToken: AuthStatus = { ...base, loggedIn: true, authMethod: 'oauth_token' };
