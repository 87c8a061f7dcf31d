// Agent CLIs as `grove/agents/list` answers them (Claude Code and Codex, as the sidecar's registry has them), for the agent panel's unit tests.
import type { AgentCli } from '../common/protocol';

export const CLAUDE_AGENT: AgentCli = {
  id: 'claude',
  label: 'Claude Code',
  found: true,
  path: '/usr/local/bin/claude',
  version: '2.1.0',
  installHint: 'Install it (npm install -g @anthropic-ai/claude-code) or set grove.claudePath to its path.',
  setting: 'claudePath',
  capabilities: { resume: true, permissions: true, questions: true, steer: true, interrupt: true, cost: 'money' },
  signIn: { status: 'signedIn', methods: ['browser', 'paste'] },
  providers: ['anthropic', 'ollama', 'lmstudio', 'anthropic-compatible'],
  models: ['sonnet', 'opus', 'haiku'],
  ownProfile: 'anthropic:claude-cli',
  providerInfo: [
    { id: 'anthropic', label: 'Anthropic', icon: 'server-environment' },
    { id: 'ollama', label: 'Ollama', icon: 'server-environment' },
    { id: 'lmstudio', label: 'LM Studio', icon: 'server-environment' },
    { id: 'anthropic-compatible', label: 'Anthropic-compatible gateways', icon: 'server-environment' },
  ],
  profileKinds: [],
};

export const CODEX_AGENT: AgentCli = {
  id: 'codex',
  label: 'Codex',
  found: true,
  path: '/usr/local/bin/codex',
  version: '0.46.0',
  installHint: 'Install it (npm install -g @openai/codex) or set grove.codexPath to its path.',
  setting: 'codexPath',
  capabilities: { resume: true, permissions: false, questions: false, steer: false, interrupt: false, cost: 'tokens' },
  signIn: { status: 'signedOut', methods: ['browser', 'deviceCode', 'paste', 'apiKey'] },
  providers: ['openai-codex', 'openai'],
  ownProfile: 'openai-codex:codex-cli',
  providerInfo: [
    { id: 'openai-codex', label: 'ChatGPT (Codex)', icon: 'comment-discussion' },
    { id: 'openai', label: 'OpenAI (Codex)', icon: 'sparkle' },
  ],
  profileKinds: [
    {
      id: 'chatgpt',
      label: 'ChatGPT sign-in (Codex)',
      detail: 'Sign in with your ChatGPT plan in the browser.',
      provider: 'openai-codex',
      type: 'oauth',
      secret: 'none',
      askUrl: false,
      secretPrompt: '',
      secretPlaceholder: '',
      signIn: 'grove',
    },
    {
      id: 'codexCli',
      label: "Codex CLI's own sign-in (codex login)",
      detail: 'Runs `codex login`.',
      provider: 'openai-codex',
      type: 'cli',
      secret: 'none',
      askUrl: false,
      secretPrompt: '',
      secretPlaceholder: '',
      signIn: 'cli',
    },
  ],
};

export const AGENTS: readonly AgentCli[] = [CLAUDE_AGENT, CODEX_AGENT];
