// Signing in to ChatGPT for Codex, without vscode: which login ids are Codex's, the command argument that asks for one, and the words of its notification, paste box and outcome (Grove's own sign-in into an `openai-codex:<name>` profile, or the codex CLI's own `codex login`).
import { sidecarError } from '../common/errors';
import { ErrorCodes } from '../common/protocol';
import { describeError, type Operation, type Problem, type SignInState, type SignInTarget } from './signIn';

/** Every ChatGPT sign-in's login id starts so; Claude's never do. */
export const CODEX_LOGIN_PREFIX = 'login-codex-';

export function isCodexLoginId(loginId: string): boolean {
  return loginId.startsWith(CODEX_LOGIN_PREFIX);
}

/** The implicit profile of the codex CLI's own sign-in (listed when the codex CLI is installed). */
export const CODEX_CLI_PROFILE_ID = 'openai-codex:codex-cli';

/**
 * What "Grove: Sign In" was asked to sign in to ChatGPT: Grove's own sign-in into a profile, or
 * the codex CLI's (`device` undefined: ask how).
 */
export type CodexSignInRequest = { profile: string } | { profile: null; device?: boolean };

/**
 * A Codex sign-in asked by a command argument: `{provider: "openai-codex", profile?, device?}`.
 * Tree rows (which have an `id` and a `contextValue`) are never one.
 */
export function codexRequestFromArg(arg: unknown): CodexSignInRequest | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const record = arg as Record<string, unknown>;
  if (record.provider !== 'openai-codex' || 'contextValue' in record || 'id' in record) return undefined;
  if (typeof record.profile === 'string' && record.profile.trim() !== '') return { profile: record.profile.trim() };
  if (record.profile !== undefined && record.profile !== null) return undefined;
  return typeof record.device === 'boolean' ? { profile: null, device: record.device } : { profile: null };
}

/** The target of a request whose way of signing in is known. */
export function codexTarget(request: { profile: string } | { profile: null; device: boolean }): SignInTarget {
  return request.profile !== null
    ? { provider: 'openai-codex', profile: request.profile }
    : { provider: 'openai-codex', profile: null, device: request.device };
}

/** "ChatGPT (openai-codex:team)", "the codex CLI", "Claude": what is being signed in to. */
export function signInSubject(target: SignInTarget | undefined): string {
  if (target === undefined) return 'ChatGPT';
  if (target.provider === 'anthropic') return 'Claude';
  return target.profile !== null ? `ChatGPT (openai-codex:${target.profile})` : "the codex CLI's own ChatGPT sign-in";
}

/** Whether this sign-in takes a paste (Grove's own ChatGPT sign-in does; `codex login` reads nothing). */
export function takesPaste(target: SignInTarget | undefined): boolean {
  return target === undefined || target.provider === 'anthropic' || target.profile !== null;
}

/** The notification that guides a ChatGPT sign-in, once its page's link is known. */
export function codexGuideMessage(state: Extract<SignInState, { kind: 'running' }>): string {
  const target = state.target;
  if (target?.provider === 'openai-codex' && target.profile === null) {
    if (state.userCode !== undefined) return `Sign in to ChatGPT for the codex CLI: open the page and enter the code ${state.userCode}.`;
    return 'Sign in to ChatGPT for the codex CLI: open the sign-in page and approve it; the codex CLI finishes by itself.';
  }
  return `Sign in to ${signInSubject(target)}: open the sign-in page, sign in, then — if the browser cannot come back to Grove — paste the address it ends on.`;
}

/** The paste box of a ChatGPT sign-in. */
export const CODEX_PASTE_BOX = {
  title: 'Paste the address the browser ended on',
  prompt:
    'After you sign in, the browser goes to http://localhost:1455/auth/callback?code=…: paste that whole address (or just its code). It goes to Grove only.',
  placeHolder: 'http://localhost:1455/auth/callback?code=…&state=…',
} as const;

/**
 * The row label of a running ChatGPT sign-in: what it waits for, short enough for the default
 * sidebar width ("Enter code ABCD-1234", "Waiting for the address"); the sentence is
 * codexStateTooltip's.
 */
export function codexStateLabel(state: Extract<SignInState, { kind: 'running' }>): string {
  if (state.cancelling) return 'Cancelling sign-in…';
  if (state.codeSent) return 'Checking the address…';
  if (state.url === null) return 'Signing in…';
  const target = state.target;
  if (target?.provider === 'openai-codex' && target.profile === null) {
    return state.userCode !== undefined ? `Enter code ${state.userCode}` : 'Waiting for approval';
  }
  return 'Waiting for the address';
}

/** The tooltip of a running ChatGPT sign-in's row: what to do, in a sentence, and what it signs in to. */
export function codexStateTooltip(state: Extract<SignInState, { kind: 'running' }>): string {
  const subject = `Signing in to ${signInSubject(state.target)}`;
  if (state.cancelling || state.codeSent || state.url === null) return subject;
  const target = state.target;
  let sentence = 'Sign in in your browser, then paste the address it ends on.';
  if (target?.provider === 'openai-codex' && target.profile === null) {
    sentence = state.userCode !== undefined ? `Enter the code ${state.userCode} on the sign-in page.` : 'Approve the sign-in in your browser.';
  }
  return `${sentence}\n${subject}`;
}

/** A failed request of a ChatGPT sign-in in words: as Claude's, but a missing CLI is the codex CLI. */
export function describeCodexError(error: unknown, operation: Operation): Problem {
  if (sidecarError(error).code === ErrorCodes.CliNotFound) {
    return {
      message: 'Grove could not find the codex CLI. Install it (npm install -g @openai/codex), or set grove.codexPath to the codex executable.',
      actions: ['showLogs'],
      severity: 'error',
    };
  }
  const problem = describeError(error, operation);
  return { ...problem, message: problem.message.replace('cancel it in the Account view', 'cancel it in the Account view (under the ChatGPT sign-in)') };
}
