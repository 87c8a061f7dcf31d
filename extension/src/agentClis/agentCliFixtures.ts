// Agent CLIs shaped as the sidecar's `grove/agents/list` answers them (both found), for the unit tests.
import type { AgentCli } from '../common/protocol';

/** The default agent and the second one, as `grove/agents/list` lists them (copied from the sidecar's answer, both found). */
export const AGENTS: readonly AgentCli[] = [
  {
    id: 'claude',
    label: 'Claude Code',
    found: true,
    path: '/home/dev/.local/bin/claude',
    version: '2.1.329 (Claude Code)',
    installHint: 'Install it (npm install -g @anthropic-ai/claude-code) or set grove.claudePath to its path.',
    setting: 'claudePath',
    capabilities: {
      resume: true,
      permissions: true,
      questions: true,
      steer: true,
      interrupt: true,
      cost: 'money',
    },
    signIn: {
      status: 'signedIn',
      account: 'a@b.c',
      methods: ['browser', 'paste'],
    },
    providers: ['anthropic', 'ollama', 'lmstudio', 'anthropic-compatible'],
    models: ['sonnet', 'opus', 'haiku'],
    ownProfile: 'anthropic:claude-cli',
    providerInfo: [
      {
        id: 'anthropic',
        label: 'Anthropic',
        icon: 'server-environment',
      },
      {
        id: 'ollama',
        label: 'Ollama',
        icon: 'server-environment',
      },
      {
        id: 'lmstudio',
        label: 'LM Studio',
        icon: 'server-environment',
      },
      {
        id: 'anthropic-compatible',
        label: 'Anthropic-compatible gateways',
        icon: 'server-environment',
      },
    ],
    profileKinds: [
      {
        id: 'setupToken',
        label: 'Claude setup token',
        detail: 'A long-lived token from `claude setup-token` (sk-ant-oat01-…), for a headless machine.',
        provider: 'anthropic',
        type: 'token',
        secret: 'required',
        askUrl: false,
        secretPrompt: 'Paste the token `claude setup-token` printed. Grove stores it in its own credential store; it is never shown or logged.',
        secretPlaceholder: 'sk-ant-oat01-…',
      },
      {
        id: 'apiKey',
        label: 'Anthropic API key',
        detail: 'A Console API key (sk-ant-api…), billed per use.',
        provider: 'anthropic',
        type: 'api_key',
        secret: 'required',
        askUrl: false,
        secretPrompt: 'Paste the API key from the Anthropic Console. It is never shown or logged.',
        secretPlaceholder: 'sk-ant-api03-…',
      },
      {
        id: 'ollama',
        label: 'Ollama',
        detail: 'A local or remote Ollama server (its Anthropic-compatible API).',
        provider: 'ollama',
        type: 'endpoint',
        secret: 'optional',
        askUrl: true,
        defaultUrl: 'http://localhost:11434',
        secretPrompt: 'A key, if the server asks for one (leave empty otherwise).',
        secretPlaceholder: 'optional',
      },
      {
        id: 'lmstudio',
        label: 'LM Studio',
        detail: 'An LM Studio server (its Anthropic-compatible API).',
        provider: 'lmstudio',
        type: 'endpoint',
        secret: 'optional',
        askUrl: true,
        defaultUrl: 'http://localhost:1234',
        secretPrompt: 'The key, if "Require Authentication" is on (leave empty otherwise).',
        secretPlaceholder: 'optional',
      },
      {
        id: 'gateway',
        label: 'Anthropic-compatible gateway',
        detail: "Any gateway that speaks Anthropic's Messages API: its URL and a key.",
        provider: 'anthropic-compatible',
        type: 'endpoint',
        secret: 'required',
        askUrl: true,
        secretPrompt: "The gateway's key. It is never shown or logged.",
        secretPlaceholder: 'key',
      },
    ],
  },
  {
    id: 'codex',
    label: 'Codex',
    found: true,
    path: '/home/dev/.npm-global/bin/codex',
    version: 'codex-cli 0.46.0',
    installHint: 'Install it (npm install -g @openai/codex) or set grove.codexPath to its path.',
    setting: 'codexPath',
    capabilities: {
      resume: true,
      permissions: false,
      questions: false,
      steer: false,
      interrupt: false,
      cost: 'tokens',
    },
    signIn: {
      status: 'signedOut',
      methods: ['browser', 'deviceCode', 'paste', 'apiKey'],
    },
    providers: ['openai-codex', 'openai'],
    ownProfile: 'openai-codex:codex-cli',
    providerInfo: [
      {
        id: 'openai-codex',
        label: 'ChatGPT (Codex)',
        icon: 'comment-discussion',
      },
      {
        id: 'openai',
        label: 'OpenAI (Codex)',
        icon: 'sparkle',
      },
    ],
    profileKinds: [
      {
        id: 'openaiKey',
        label: 'OpenAI API key (Codex)',
        detail: 'An OpenAI API key (sk-proj-…, sk-…) for Codex runs, billed per use.',
        provider: 'openai',
        type: 'api_key',
        secret: 'required',
        askUrl: false,
        secretPrompt: 'Paste the API key from platform.openai.com. Codex runs get it; it is never shown or logged.',
        secretPlaceholder: 'sk-proj-…',
      },
      {
        id: 'chatgpt',
        label: 'ChatGPT sign-in (Codex)',
        detail:
          'Sign in with your ChatGPT plan (Plus, Pro, Team…) in the browser; Grove keeps the sign-in for Codex runs, apart from the codex CLI in your terminal.',
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
        detail: 'Runs `codex login`: the codex CLI signs itself in (openai-codex:codex-cli), the same sign-in as the codex CLI in your terminal.',
        provider: 'openai-codex',
        type: 'cli',
        secret: 'none',
        askUrl: false,
        secretPrompt: '',
        secretPlaceholder: '',
        signIn: 'cli',
      },
    ],
  },
];

/** The first agent (the default) and the second one. */
export const DEFAULT_AGENT: AgentCli = listed(0);
export const OTHER_AGENT: AgentCli = listed(1);

function listed(index: number): AgentCli {
  const found = AGENTS[index];
  if (found === undefined) throw new Error(`no agent ${index}`);
  return found;
}

/** An agent of the list with some fields changed (a copy). */
export function agent(index: number, overrides: Partial<AgentCli> = {}): AgentCli {
  return { ...listed(index), ...overrides };
}

/** An agent CLI that signs in only in its own interactive flow, in a terminal (as `grove/agents/list` lists the Gemini CLI), with an API-key kind whose base URL is optional. */
export const TERMINAL_AGENT: AgentCli = {
  id: 'gemini',
  label: 'Gemini CLI',
  found: true,
  path: '/home/dev/.npm-global/bin/gemini',
  version: '0.61.0',
  installHint: 'Install it (npm install -g @google/gemini-cli) or set grove.geminiPath to its path.',
  setting: 'geminiPath',
  capabilities: { resume: true, permissions: false, questions: false, steer: false, interrupt: false, cost: 'tokens' },
  signIn: { status: 'unknown', methods: ['terminal', 'apiKey'], terminal: ['/home/dev/.npm-global/bin/gemini'] },
  providers: ['google'],
  models: ['gemini-2.5-pro', 'gemini-2.5-flash'],
  ownProfile: 'google:gemini-cli',
  providerInfo: [{ id: 'google', label: 'Google Gemini', icon: 'sparkle' }],
  profileKinds: [
    {
      id: 'geminiKey',
      label: 'Gemini API key',
      detail: "A Gemini API key from Google AI Studio (AIza…), for Gemini CLI runs; a gateway's base URL if you use one.",
      provider: 'google',
      type: 'api_key',
      secret: 'required',
      askUrl: true,
      secretPrompt: 'Paste the Gemini API key. Gemini CLI runs get it; it is never shown or logged.',
      secretPlaceholder: 'AIza…',
    },
  ],
};
