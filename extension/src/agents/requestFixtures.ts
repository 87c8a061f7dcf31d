// Requests of agents for unit tests: a Write to allow (always allow offered), a Bash command with the rule the sidecar offers, a request always allow is not offered for, and a question with two options.
import type { AgentRequest } from '../common/protocol';

export function request(overrides: Partial<AgentRequest> = {}): AgentRequest {
  return {
    runId: 'run-1',
    workspaceId: 'ws-1',
    requestId: 'req-1',
    kind: 'tool',
    toolName: 'Write',
    input: { file_path: 'notes.txt', content: 'hi\n' },
    description: 'Write notes.txt',
    suggestions: [],
    createdAt: '2026-12-02T08:00:00Z',
    alwaysAllow: true,
    alwaysAllowRule: { toolName: 'Write' },
    ...overrides,
  };
}

/** A Bash request whose "always allow" rule is `prefix` (the command word the sidecar found). */
export function bashRequest(command: string, prefix: string, overrides: Partial<AgentRequest> = {}): AgentRequest {
  return request({ toolName: 'Bash', description: '', input: { command }, alwaysAllowRule: { toolName: 'Bash', prefix }, ...overrides });
}

/** A request "always allow" is not offered for, with the sidecar's reason. */
export function notOffered(why: string, overrides: Partial<AgentRequest> = {}): AgentRequest {
  const base = request(overrides);
  delete base.alwaysAllowRule;
  return { ...base, alwaysAllow: false, alwaysAllowWhy: why };
}

export const QUESTION = notOffered('A question is answered each time it is asked.', {
  requestId: 'q-1',
  kind: 'question',
  toolName: 'AskUserQuestion',
  description: '',
  input: {
    questions: [
      {
        question: 'Which database?',
        header: 'DB',
        options: [
          { label: 'Postgres', description: 'the usual' },
          { label: 'SQLite', description: 'a file' },
        ],
        multiSelect: false,
      },
    ],
  },
});
