// The Add Profile flow's steps without vscode: the kinds of credential offered, their defaults, what the input boxes check before the sidecar does, and how a refused `grove/profiles/add` maps back to the step to ask again.
import { sidecarError } from '../common/errors';
import { isRecord } from '../common/json';
import { ErrorCodes, type ProfileAddParams, type ProfileType } from '../common/protocol';

export type AddKindId = 'setupToken' | 'apiKey' | 'ollama' | 'lmstudio' | 'gateway' | 'openaiKey' | 'chatgpt' | 'codexCli';

export interface AddKind {
  id: AddKindId;
  label: string;
  detail: string;
  provider: string;
  type: ProfileType;
  /** Whether a secret is asked for, and whether it may be left empty. */
  secret: 'required' | 'optional' | 'none';
  /** Whether a base URL is asked for, and its default. */
  url: { default: string | undefined } | null;
  /** The secret box's prompt and placeholder. */
  secretPrompt: string;
  secretPlaceholder: string;
  /**
   * Added by signing in instead of `grove/profiles/add`: Grove's ChatGPT sign-in into a profile
   * (its name asked first), or the codex CLI's own `codex login`.
   */
  signIn?: 'chatgpt' | 'codexCli';
}

export const ADD_KINDS: readonly AddKind[] = [
  {
    id: 'setupToken',
    label: 'Claude setup token',
    detail: 'A long-lived token from `claude setup-token` (sk-ant-oat01-…), for a headless machine.',
    provider: 'anthropic',
    type: 'token',
    secret: 'required',
    url: null,
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
    url: null,
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
    url: { default: 'http://localhost:11434' },
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
    url: { default: 'http://localhost:1234' },
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
    url: { default: undefined },
    secretPrompt: "The gateway's key. It is never shown or logged.",
    secretPlaceholder: 'key',
  },
  {
    id: 'openaiKey',
    label: 'OpenAI API key (Codex)',
    detail: 'An OpenAI API key (sk-proj-…, sk-…) for Codex runs, billed per use.',
    provider: 'openai',
    type: 'api_key',
    secret: 'required',
    url: null,
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
    url: null,
    secretPrompt: '',
    secretPlaceholder: '',
    signIn: 'chatgpt',
  },
  {
    id: 'codexCli',
    label: "Codex CLI's own sign-in (codex login)",
    detail: 'Runs `codex login`: the codex CLI signs itself in (openai-codex:codex-cli), the same sign-in as the codex CLI in your terminal.',
    provider: 'openai-codex',
    type: 'cli',
    secret: 'none',
    url: null,
    secretPrompt: '',
    secretPlaceholder: '',
    signIn: 'codexCli',
  },
];

/** The kind that adds (or replaces) a profile of this provider and type. */
export function kindFor(provider: string, type: ProfileType): AddKind | undefined {
  return ADD_KINDS.find((k) => k.provider === provider && k.type === type);
}

export const DEFAULT_PROFILE_NAME = 'default';

/** The name to suggest: "default", else "default-2", … (a name taken would replace that profile). */
export function suggestedName(provider: string, taken: readonly string[]): string {
  const ids = new Set(taken);
  if (!ids.has(`${provider}:${DEFAULT_PROFILE_NAME}`)) return DEFAULT_PROFILE_NAME;
  for (let n = 2; ; n++) if (!ids.has(`${provider}:${DEFAULT_PROFILE_NAME}-${n}`)) return `${DEFAULT_PROFILE_NAME}-${n}`;
}

/** Why a typed profile name will not do, or undefined; the CLIs' own sign-ins' names are taken. */
export function nameProblem(name: string): string | undefined {
  const trimmed = name.trim();
  if (trimmed === '') return 'Give the profile a name, such as "default" or "work".';
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(trimmed)) return 'Use letters, digits, ".", "_" and "-" (no spaces or ":").';
  if (trimmed.length > 64) return 'Use at most 64 characters.';
  if (trimmed === 'claude-cli' || trimmed === 'codex-cli') return `"${trimmed}" is the CLI's own sign-in: choose another name.`;
  return undefined;
}

/** The ways to run `codex login`, in the order offered (a remote window puts the device code first). */
export function codexLoginChoices(remote: boolean): { label: string; detail: string; device: boolean }[] {
  const browser = {
    label: 'In the browser',
    detail: 'The codex CLI opens a page and waits on http://localhost:1455 for it: for a browser on the machine the codex CLI runs on.',
    device: false,
  };
  const device = {
    label: 'With a one-time code (device code)',
    detail: 'Open a page anywhere and type the code the codex CLI shows: for remote machines (SSH, containers, Codespaces).',
    device: true,
  };
  return remote ? [device, browser] : [browser, device];
}

/** Why a typed URL will not do, or undefined. */
export function urlProblem(url: string): string | undefined {
  const trimmed = url.trim();
  if (trimmed === '') return 'Type the server URL, such as http://localhost:11434.';
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    return 'That is not a URL: type it as http://host:port.';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'Use an http:// or https:// URL.';
  return undefined;
}

/** Why a secret cannot be sent yet (empty where one is needed), or undefined; its checks of form are the sidecar's. */
export function secretProblem(kind: AddKind, secret: string): string | undefined {
  if (kind.secret === 'required' && secret.trim() === '') return kind.type === 'token' ? 'Paste the setup token.' : 'Paste the key.';
  return undefined;
}

/** What the flow collected. */
export interface AddAnswers {
  name: string;
  secret: string;
  baseUrl: string;
}

/** `grove/profiles/add`'s params for the answers (an empty optional secret is left out). */
export function addParams(kind: AddKind, answers: AddAnswers): ProfileAddParams {
  const params: ProfileAddParams = { provider: kind.provider, name: answers.name.trim(), type: kind.type };
  if (kind.secret !== 'none' && answers.secret !== '') params.secret = answers.secret;
  if (kind.url !== null && answers.baseUrl.trim() !== '') params.baseUrl = answers.baseUrl.trim();
  return params;
}

/** The step of the flow a refusal points at. */
export type AddStep = 'secret' | 'url' | 'name' | 'kind';

const REASON_STEPS: Record<string, AddStep> = {
  codeState: 'secret',
  wrongPrefix: 'secret',
  tooShort: 'secret',
  tooLong: 'secret',
  badCharacters: 'secret',
  badSecret: 'secret',
  notApiKey: 'secret',
  missingSecret: 'secret',
  badUrl: 'url',
  unreachable: 'url',
  redirected: 'url',
  badName: 'name',
  unknownProvider: 'kind',
  badType: 'kind',
};

/** Fallback words per reason, for a refusal that came without a message. */
const REASON_WORDS: Record<string, string> = {
  codeState: 'That looks like a sign-in code (code#state), not a setup token: run `claude setup-token` and paste the token it prints.',
  wrongPrefix: 'That is not a setup token: it should start with sk-ant-oat01-.',
  tooShort: 'That token is too short: it was probably cut off when copied.',
  tooLong: 'That is too long: a token or key is at most 16 KiB. Copy it alone.',
  badCharacters: 'That token holds characters a setup token never has: copy it again.',
  badSecret: 'That key holds spaces, line breaks or control characters: copy it again, whole.',
  redirected: 'That URL redirected to another address, where Grove sends no key: use the address it redirects to, if you trust it.',
  badLabel: 'A label is at most 200 characters, without line breaks or invisible characters.',
  notApiKey: 'That is not an Anthropic API key: it should start with sk-ant-api.',
  missingSecret: 'This kind of profile needs a key.',
  badUrl: 'That URL will not do: use http:// or https://.',
  unreachable: 'Nothing answered at that URL.',
  badName: 'That profile name will not do.',
  unknownProvider: 'Grove does not know that provider.',
  badType: 'That provider has no such kind of profile.',
};

export interface AddRefusal {
  /** For people, as the sidecar said it (it never holds the secret). */
  message: string;
  /** The step to ask again; undefined when asking again would not help. */
  step: AddStep | undefined;
  reason: string | undefined;
}

/** A failed `grove/profiles/add`: its message and the step to ask again. */
export function addRefusal(error: unknown): AddRefusal {
  const { code, message, data } = sidecarError(error);
  const reason = isRecord(data) && typeof data.reason === 'string' ? data.reason : undefined;
  if (code !== ErrorCodes.InvalidParams || reason === undefined) return { message, step: undefined, reason };
  const words = message.trim() === '' ? (REASON_WORDS[reason] ?? 'The profile was refused.') : message;
  return { message: words, step: REASON_STEPS[reason], reason };
}

/** Whether an error is the sidecar's "the built-in profile cannot be removed". */
export function isBuiltInRefusal(error: unknown): boolean {
  const { code, data } = sidecarError(error);
  return code === ErrorCodes.InvalidParams && isRecord(data) && data.reason === 'builtIn';
}
