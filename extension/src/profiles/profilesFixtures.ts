// Profiles and listings for the profiles feature's unit tests.
import type { Profile, ProfilesList } from '../common/protocol';

export function profile(overrides: Partial<Profile> & { id: string }): Profile {
  const provider = overrides.id.slice(0, overrides.id.indexOf(':'));
  return { provider, type: 'token', status: 'ok', agents: [], ...overrides };
}

export const CLI = profile({ id: 'anthropic:claude-cli', type: 'cli', status: 'ok', detail: 'Signed in as a@b.c' });
export const WORK = profile({ id: 'anthropic:work', type: 'token', status: 'expiring', expiresAt: '2026-11-21T14:00:00Z' });
export const KEY = profile({ id: 'anthropic:key', type: 'api_key', status: 'static' });
export const OLLAMA = profile({ id: 'ollama:local', type: 'endpoint', status: 'ok', baseUrl: 'http://127.0.0.1:11434', models: ['qwen3-coder', 'llama3'] });
export const GATEWAY = profile({ id: 'anthropic-compatible:corp', type: 'endpoint', status: 'unreachable', baseUrl: 'https://gw.example.com' });

export function listing(overrides: Partial<ProfilesList> = {}): ProfilesList {
  return {
    profiles: [GATEWAY, OLLAMA, KEY, WORK, CLI],
    order: { anthropic: ['anthropic:work', 'anthropic:claude-cli'] },
    active: 'anthropic:work',
    importable: [],
    ...overrides,
  };
}
