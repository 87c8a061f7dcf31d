// Signing in an agent CLI other than the default one, without vscode: the command argument that asks for it, the flows kept per agent (sign-in notifications routed by their `agent`), and the words of its notification, paste box and outcome, drawn from the registry (Grove's own sign-in into a profile of the agent's provider, or the agent CLI's own sign-in).
import type { AgentCliStore } from '../agentClis/agentCliStore';
import { sidecarError } from '../common/errors';
import { isRecord } from '../common/json';
import { ErrorCodes, type AgentCli } from '../common/protocol';
import {
  describeError,
  isCliTarget,
  type AgentWords,
  type Operation,
  type Problem,
  type SignInController,
  type SignInState,
  type SignInTarget,
} from './signIn';

/**
 * What "Grove: Sign In" was asked to sign in for an agent: Grove's own sign-in into a profile of
 * `provider` (default: the provider of the agent's kind that Grove signs in), or the agent CLI's own
 * sign-in (`device` undefined: ask how).
 */
export type AgentSignInRequest = { agent: string; provider?: string; profile: string } | { agent: string; profile: null; device?: boolean };

/**
 * An agent's sign-in asked by a command argument: `{agent, provider?, profile?, device?}`, or
 * (as earlier versions sent it) `{provider, profile?, device?}` of a provider another agent than the
 * default one runs. Tree rows (which have an `id` and a `contextValue`) are never one, nor is a
 * sign-in of the default agent (its own flow asks for a method).
 */
export function agentRequestFromArg(arg: unknown, clis: AgentCliStore): AgentSignInRequest | undefined {
  if (!isRecord(arg) || 'contextValue' in arg || 'id' in arg) return undefined;
  const provider = typeof arg.provider === 'string' && arg.provider !== '' ? arg.provider : undefined;
  const agent = typeof arg.agent === 'string' && arg.agent !== '' ? clis.get(arg.agent) : clis.forProvider(provider);
  if (agent === undefined || agent === clis.default) return undefined;
  if (typeof arg.profile === 'string' && arg.profile.trim() !== '') {
    return { agent: agent.id, ...(provider !== undefined && { provider }), profile: arg.profile.trim() };
  }
  if (arg.profile !== undefined && arg.profile !== null) return undefined;
  return typeof arg.device === 'boolean' ? { agent: agent.id, profile: null, device: arg.device } : { agent: agent.id, profile: null };
}

/** How an agent's sign-ins are named: the agent's label and what its own sign-in signs in to (its provider's label without the agent in brackets). */
export function agentWords(agent: Pick<AgentCli, 'id' | 'label' | 'ownProfile'>, clis: AgentCliStore): AgentWords {
  const provider = agent.ownProfile.slice(0, agent.ownProfile.indexOf(':'));
  return { agent: agent.id, label: agent.label, service: clis.serviceName(provider) };
}

/** The provider Grove's own sign-in of an agent signs in to: its kind with `signIn: "grove"`, else its own profile's. */
export function groveSignInProvider(agent: AgentCli): string {
  return agent.profileKinds.find((k) => k.signIn === 'grove')?.provider ?? agent.ownProfile.slice(0, agent.ownProfile.indexOf(':'));
}

/** The target of a request whose way of signing in is known. */
export function agentTarget(request: { provider: string; profile: string } | { profile: null; device: boolean }, words: AgentWords): SignInTarget {
  return request.profile !== null ? { ...words, provider: request.provider, profile: request.profile } : { ...words, profile: null, device: request.device };
}

/** "<service> (<provider>:<profile>)", "the <label> CLI's own <service> sign-in", "Claude": what is being signed in to. */
export function signInSubject(target: SignInTarget | undefined, words?: AgentWords): string {
  if (target === undefined) return words?.service ?? 'the sign-in';
  if ('method' in target) return 'Claude';
  return target.profile !== null ? `${target.service} (${target.provider}:${target.profile})` : `the ${target.label} CLI's own ${target.service} sign-in`;
}

/** Whether this sign-in takes a paste (Grove's own sign-in does; an agent CLI's own sign-in reads nothing). */
export function takesPaste(target: SignInTarget | undefined): boolean {
  return !isCliTarget(target);
}

/** The notification that guides an agent's sign-in, once its page's link is known. */
export function agentGuideMessage(state: Extract<SignInState, { kind: 'running' }>, words?: AgentWords): string {
  const target = state.target;
  if (isCliTarget(target)) {
    const lead = `Sign in to ${target.service} for the ${target.label} CLI`;
    if (state.userCode !== undefined) return `${lead}: open the page and enter the code ${state.userCode}.`;
    return `${lead}: open the sign-in page and approve it; the ${target.label} CLI finishes by itself.`;
  }
  return `Sign in to ${signInSubject(target, words)}: open the sign-in page, sign in, then — if the browser cannot come back to Grove — paste the address it ends on.`;
}

/** The paste box of Grove's own sign-in. */
export const AGENT_PASTE_BOX = {
  title: 'Paste the address the browser ended on',
  prompt:
    'After you sign in, the browser goes to an address on localhost (…/auth/callback?code=…): paste that whole address (or just its code). It goes to Grove only.',
  placeHolder: 'http://localhost:…/auth/callback?code=…&state=…',
} as const;

/**
 * The row label of a running sign-in of an agent: what it waits for, short enough for the default
 * sidebar width ("Enter code ABCD-1234", "Waiting for the address"); the sentence is
 * agentStateTooltip's.
 */
export function agentStateLabel(state: Extract<SignInState, { kind: 'running' }>): string {
  if (state.cancelling) return 'Cancelling sign-in…';
  if (state.codeSent) return 'Checking the address…';
  if (state.url === null) return 'Signing in…';
  if (isCliTarget(state.target)) return state.userCode !== undefined ? `Enter code ${state.userCode}` : 'Waiting for approval';
  return 'Waiting for the address';
}

/** The tooltip of a running sign-in's row: what to do, in a sentence, and what it signs in to. */
export function agentStateTooltip(state: Extract<SignInState, { kind: 'running' }>, words?: AgentWords): string {
  const subject = `Signing in to ${signInSubject(state.target, words)}`;
  if (state.cancelling || state.codeSent || state.url === null) return subject;
  let sentence = 'Sign in in your browser, then paste the address it ends on.';
  if (isCliTarget(state.target)) {
    sentence = state.userCode !== undefined ? `Enter the code ${state.userCode} on the sign-in page.` : 'Approve the sign-in in your browser.';
  }
  return `${sentence}\n${subject}`;
}

/** A failed request of an agent's sign-in in words: as the default agent's, but a missing CLI is this agent's, with its install hint. */
export function describeAgentError(
  agent: Pick<AgentCli, 'label' | 'installHint'> | undefined,
  words?: AgentWords,
): (error: unknown, operation: Operation) => Problem {
  return (error, operation) => {
    if (sidecarError(error).code === ErrorCodes.CliNotFound) {
      const label = agent?.label ?? words?.label ?? 'agent';
      return { message: `Grove could not find the ${label} CLI. ${agent?.installHint ?? ''}`.trim(), actions: ['showLogs'], severity: 'error' };
    }
    const problem = describeError(error, operation);
    const under = words === undefined ? '' : ` (under the ${words.service} sign-in)`;
    return { ...problem, message: problem.message.replace('cancel it in the Account view', `cancel it in the Account view${under}`) };
  };
}

/** The agent whose flow a sign-in notification belongs to: undefined for the default agent's (and for one that names no agent). */
export function flowAgent(agent: string | undefined, defaultAgent: string | undefined): string | undefined {
  return agent === undefined || agent === defaultAgent ? undefined : agent;
}

/** One agent's sign-in in this window: its controller, and what the notifications about it need to remember. */
export interface AgentFlow {
  agent: string;
  controller: SignInController;
  /** The sign-in the guide notification was shown for. */
  guided: string | undefined;
  /** What the latest sign-in of this window signed in (Retry uses it). */
  lastTarget: SignInTarget | undefined;
  /** The sign-in whose callback address was forwarded (a remote window). */
  forwarded: string | undefined;
}

/**
 * The sign-ins of the agents other than the default one, one flow per agent (made when first
 * needed), and who is told when one is made or changes.
 */
export class AgentSignIns {
  private readonly flows = new Map<string, AgentFlow>();
  private readonly listeners = new Set<() => void>();
  private readonly subscriptions: { dispose(): void }[] = [];

  constructor(private readonly make: (agent: string) => SignInController) {}

  /** The agent's flow, made when first asked for. */
  flow(agent: string): AgentFlow {
    let flow = this.flows.get(agent);
    if (flow === undefined) {
      flow = { agent, controller: this.make(agent), guided: undefined, lastTarget: undefined, forwarded: undefined };
      this.flows.set(agent, flow);
      this.subscriptions.push(
        flow.controller.onDidChange(() => {
          this.fire();
        }),
      );
      this.fire();
    }
    return flow;
  }

  /** Every flow made so far, oldest first. */
  get all(): AgentFlow[] {
    return [...this.flows.values()];
  }

  /** The first flow with a sign-in under way. */
  get busy(): AgentFlow | undefined {
    return this.all.find((f) => f.controller.busy);
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.listeners.clear();
  }

  private fire(): void {
    for (const listener of this.listeners) listener();
  }
}

/** An agent CLI's own interactive sign-in, run in a terminal of the editor: its name, its command line (never typed into a shell) and what the user is told. */
export interface TerminalSignIn {
  name: string;
  shellPath: string;
  shellArgs: string[];
  message: string;
}

/**
 * How an agent CLI's own sign-in runs when it signs in only in its own interactive flow (`terminal`
 * among its methods): in a terminal running `signIn.terminal`; `notFound` when that command line is
 * not known (the CLI was not found); undefined for an agent whose sign-in the sidecar runs.
 */
export function terminalSignIn(agent: Pick<AgentCli, 'label' | 'signIn' | 'installHint'>): TerminalSignIn | { notFound: string } | undefined {
  if (!agent.signIn.methods.includes('terminal')) return undefined;
  const [shellPath, ...shellArgs] = agent.signIn.terminal ?? [];
  if (shellPath === undefined || shellPath === '') return { notFound: `${agent.label} signs in in a terminal, but it was not found. ${agent.installHint}` };
  return { name: `${agent.label} sign-in`, shellPath, shellArgs, message: `${agent.label} signs in in this terminal; Grove notices when it is done.` };
}
