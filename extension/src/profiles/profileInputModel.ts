// The sidecar's checks of what a user types when adding a profile (server/src/profiles/input.rs and `Profiles::add`), mirrored without vscode so each input box refuses at once what `grove/profiles/add` would refuse at the end; each function names the Rust function it mirrors.
import type { ProfileType } from '../common/protocol';

/** `input::SETUP_TOKEN_PREFIX`. */
export const SETUP_TOKEN_PREFIX = 'sk-ant-oat01-';
/** `input::API_KEY_PREFIX`. */
export const API_KEY_PREFIX = 'sk-ant-api';
/** `input::MIN_TOKEN_LEN`: a setup token is about 108 characters. */
export const MIN_TOKEN_LEN = 80;
/** `input::MIN_API_KEY_LEN`. */
export const MIN_API_KEY_LEN = 40;
/** The shortest key of another provider (`input::api_key`'s `k.len() < 20`). */
export const MIN_OTHER_KEY_LEN = 20;
/** `input::MAX_SECRET`, in bytes. */
export const MAX_SECRET = 16 * 1024;
/** `input::MAX_URL`, in bytes. */
export const MAX_URL = 2048;
/** `input::check_name`'s longest name, in characters. */
export const MAX_NAME = 64;

/** The default URLs of `input::PROVIDERS`. */
const DEFAULT_URLS: Record<string, string> = {
  ollama: 'http://localhost:11434',
  lmstudio: 'http://localhost:1234',
};

/** What the sidecar would refuse: the `data.reason` of its -32602 and words for the user (never the input itself). */
export interface InputProblem {
  reason: string;
  message: string;
}

const problem = (reason: string, message: string): InputProblem => ({ reason, message });

/** Rust's `char::is_whitespace` (the Unicode White_Space property), which JavaScript's `\s` does not match exactly. */
export function isRustWhitespace(c: string): boolean {
  const n = c.codePointAt(0) ?? 0;
  return (
    (n >= 0x09 && n <= 0x0d) ||
    n === 0x20 ||
    n === 0x85 ||
    n === 0xa0 ||
    n === 0x1680 ||
    (n >= 0x2000 && n <= 0x200a) ||
    n === 0x2028 ||
    n === 0x2029 ||
    n === 0x202f ||
    n === 0x205f ||
    n === 0x3000
  );
}

/** Rust's `char::is_control` (general category Cc). */
function isControl(c: string): boolean {
  const n = c.codePointAt(0) ?? 0;
  return n <= 0x1f || (n >= 0x7f && n <= 0x9f);
}

/** The string's code points, as Rust's `str::chars` (not UTF-16 units). */
function chars(s: string): string[] {
  return Array.from(s);
}

/** Rust's `str::trim`. */
export function rustTrim(s: string): string {
  const all = chars(s);
  let start = 0;
  let end = all.length;
  while (start < end && isRustWhitespace(all[start] ?? '')) start++;
  while (end > start && isRustWhitespace(all[end - 1] ?? '')) end--;
  return all.slice(start, end).join('');
}

/** Mirrors `input::squeeze`: whitespace anywhere (a token copied across lines) removed. */
export function squeeze(s: string): string {
  return chars(s)
    .filter((c) => !isRustWhitespace(c))
    .join('');
}

/** The UTF-8 length, as Rust's `str::len`. */
function byteLength(s: string): number {
  return new TextEncoder().encode(s).length;
}

/** Mirrors `input::token_chars`: ASCII letters, digits, `-` and `_`. */
function tokenChars(t: string): boolean {
  return /^[A-Za-z0-9_-]*$/.test(t);
}

/** Mirrors `input::check_size`: a pasted secret over `MAX_SECRET` bytes is refused before anything else looks at it. */
function checkSize(pasted: string): InputProblem | undefined {
  const bytes = byteLength(pasted);
  if (bytes <= MAX_SECRET) return undefined;
  return problem('tooLong', `That is ${Math.floor(bytes / 1024)} KiB; a secret is at most ${MAX_SECRET / 1024} KiB. Copy the token or key alone.`);
}

/**
 * Mirrors `input::check_name` (with `workspaces::names::invalid_reason`) on the trimmed name, as
 * `Profiles::add` and Grove's own sign-ins check it: one word per rule where the sidecar has one
 * sentence for all. `reserved`: the names of the agents' own sign-in profiles (`grove/agents/list`'s
 * `ownProfile`), which no profile Grove adds may take.
 */
export function checkName(typed: string, reserved: readonly string[] = []): InputProblem | undefined {
  const name = rustTrim(typed);
  const bad = (message: string) => problem('badName', message);
  if (name === '') return bad('Give the profile a name, such as "default" or "work".');
  if (chars(name).length > MAX_NAME) return bad(`Use at most ${MAX_NAME} characters.`);
  if (!/^[A-Za-z0-9._-]+$/.test(name)) return bad('Use letters, digits, ".", "_" and "-" only (no spaces or ":").');
  if (name.startsWith('-')) return bad('Start the name with a letter, digit or "_" (not "-").');
  if (name.startsWith('.') || name.endsWith('.')) return bad('A name cannot start or end with ".".');
  if (name.endsWith('.lock')) return bad('A name cannot end with ".lock".');
  if (name.includes('..')) return bad('A name cannot hold "..".');
  if (reserved.includes(name)) return bad(`"${name}" is the CLI's own sign-in: choose another name.`);
  return undefined;
}

/** Mirrors `input::setup_token`. */
export function checkSetupToken(pasted: string): InputProblem | undefined {
  const tooLong = checkSize(pasted);
  if (tooLong) return tooLong;
  const t = squeeze(pasted);
  if (t === '') return problem('missingSecret', 'Paste the setup token.');
  if (t.includes('#')) {
    return problem(
      'codeState',
      'That looks like a sign-in code (code#state), not a setup token. Run `claude setup-token` and paste the token it prints (it starts with sk-ant-oat01-).',
    );
  }
  if (!t.startsWith(SETUP_TOKEN_PREFIX)) {
    const what = t.startsWith(API_KEY_PREFIX) ? 'an API key' : 'something else';
    return problem(
      'wrongPrefix',
      `That is ${what}, not a setup token: a setup token starts with ${SETUP_TOKEN_PREFIX}. Run \`claude setup-token\` and paste what it prints.`,
    );
  }
  if (!tokenChars(t)) {
    return problem('badCharacters', 'That setup token holds characters a setup token never has. Copy it again from what `claude setup-token` printed.');
  }
  if (t.length < MIN_TOKEN_LEN) {
    return problem('tooShort', `That setup token is incomplete (${t.length} characters; a setup token has over ${MIN_TOKEN_LEN}). Copy it again, whole.`);
  }
  return undefined;
}

/** Mirrors `input::api_key`: an Anthropic key has its prefix and length; another provider's, a length. */
export function checkApiKey(provider: string, pasted: string): InputProblem | undefined {
  const tooLong = checkSize(pasted);
  if (tooLong) return tooLong;
  const k = squeeze(pasted);
  if (k === '') return problem('missingSecret', 'Paste the API key.');
  if (provider === 'anthropic') {
    if (k.startsWith(SETUP_TOKEN_PREFIX)) {
      return problem('notApiKey', 'That is a setup token, not an API key: add it as a "Claude setup token" profile.');
    }
    if (!k.startsWith(API_KEY_PREFIX) || byteLength(k) < MIN_API_KEY_LEN || !tokenChars(k)) {
      return problem(
        'notApiKey',
        `That is not an Anthropic API key: one starts with ${API_KEY_PREFIX} (such as sk-ant-api03-…) and has at least ${MIN_API_KEY_LEN} letters, digits, "-" and "_". Copy it again from the Anthropic Console.`,
      );
    }
    return undefined;
  }
  if (byteLength(k) < MIN_OTHER_KEY_LEN || !tokenChars(k)) {
    return problem(
      'notApiKey',
      `That does not look like an API key: one has at least ${MIN_OTHER_KEY_LEN} letters, digits, "-" and "_" (such as sk-proj-…). Copy it again, whole.`,
    );
  }
  return undefined;
}

/**
 * Mirrors `input::endpoint_key` (with `input::check_opaque`), and the `missingSecret` of
 * `Profiles::endpoint`: a gateway needs a key, a local server may have none.
 */
export function checkEndpointKey(provider: string, pasted: string): InputProblem | undefined {
  const tooLong = checkSize(pasted);
  if (tooLong) return tooLong;
  const k = rustTrim(pasted);
  if (k === '') return provider === 'anthropic-compatible' ? problem('missingSecret', "Give the gateway's API key.") : undefined;
  if (!/^[\x21-\x7e]+$/.test(k)) {
    return problem('badSecret', "The endpoint's key must be visible ASCII characters without spaces, line breaks or control characters. Copy it again, whole.");
  }
  return undefined;
}

/** Mirrors the secret checks of `Profiles::add`, by type. */
export function checkSecret(provider: string, type: ProfileType, pasted: string): InputProblem | undefined {
  switch (type) {
    case 'token':
      return checkSetupToken(pasted);
    case 'api_key':
      return checkApiKey(provider, pasted);
    case 'endpoint':
      return checkEndpointKey(provider, pasted);
    default:
      return undefined;
  }
}

/** Mirrors `input::default_url`. */
export function defaultUrl(provider: string): string | undefined {
  return DEFAULT_URLS[provider];
}

/** Mirrors `input::base_url`: http(s), a host, no credentials, query or fragment, nothing invisible; parsed by the WHATWG URL parser, which the sidecar's `reqwest::Url` implements too. */
export function checkBaseUrl(text: string): InputProblem | undefined {
  const bad = problem(
    'badUrl',
    'The endpoint must be an http:// or https:// URL such as http://localhost:11434, without a user name, password, query or fragment.',
  );
  const t = rustTrim(text);
  if (byteLength(t) > MAX_URL) return bad;
  const rest = t.startsWith('http://') ? t.slice('http://'.length) : t.startsWith('https://') ? t.slice('https://'.length) : undefined;
  if (rest === undefined) return bad;
  const host = rest.split(/[/?#\\]/)[0] ?? '';
  if (host === '' || host.includes('@') || /[?#]/.test(t) || chars(t).some((c) => isRustWhitespace(c) || isControl(c))) return bad;
  let parsed: URL;
  try {
    parsed = new URL(t);
  } catch {
    return bad;
  }
  const plain = (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.username === '' && parsed.password === '' && parsed.hostname !== '';
  return plain ? undefined : bad;
}

/**
 * Mirrors the URL part of `Profiles::endpoint`: a blank URL is the provider's default (a gateway
 * has none), any other is `input::base_url`'s.
 */
export function checkEndpointUrl(provider: string, text: string): InputProblem | undefined {
  if (rustTrim(text) === '') return defaultUrl(provider) === undefined ? problem('badUrl', "Give the gateway's base URL (http:// or https://).") : undefined;
  return checkBaseUrl(text);
}
