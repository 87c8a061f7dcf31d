// Requests of agents for unit tests: a Write to allow, and a question with two options.
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
    ...overrides,
  };
}

export const QUESTION = request({
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
