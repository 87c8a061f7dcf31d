// The requests agents wait on (tools to allow, questions, plans): kept by run and request from `grove/agent/request`, `requestDone`, state changes and `grove/agent/pending`, the count of waiting agents, and the words the status bar, notifications and the rules picker use for them; no vscode import.
import { ErrorCodes, type AgentRequest, type AgentRequestDone, type AgentRespondParams, type Behavior, type Rule, type Run } from '../common/protocol';
import type { SidecarError } from '../common/errors';
import { isRecord } from '../common/json';
import { scrub } from '../account/signIn';
import { isActive } from './agentModel';

type Listener = () => void;

function key(runId: string, requestId: string): string {
  return `${runId}\u0000${requestId}`;
}

/** Oldest first: by `createdAt`, then by arrival. */
function byAge(a: { request: AgentRequest; seq: number }, b: { request: AgentRequest; seq: number }): number {
  if (a.request.createdAt !== b.request.createdAt) return a.request.createdAt < b.request.createdAt ? -1 : 1;
  return a.seq - b.seq;
}

/** How many answered or dropped requests are remembered, so that a late `pending` answer cannot bring them back. */
const DONE_KEPT = 500;

/**
 * The unanswered requests of every agent. Notifications add and remove them; a `pending` answer
 * replaces what was known before it was asked for (`mark()`), keeping what arrived meanwhile and
 * never bringing back one already answered.
 */
export class PendingRequests {
  private readonly entries = new Map<string, { request: AgentRequest; seq: number }>();
  private readonly done = new Set<string>();
  private seq = 0;
  private readonly listeners = new Set<Listener>();

  onDidChange(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** A `grove/agent/request`; false when it was known (or answered) already. */
  add(request: AgentRequest): boolean {
    const k = key(request.runId, request.requestId);
    if (this.entries.has(k) || this.done.has(k)) return false;
    this.entries.set(k, { request, seq: ++this.seq });
    this.fire();
    return true;
  }

  /** A `grove/agent/requestDone` (or an answer given here): false when it was not waiting. */
  finish(done: Pick<AgentRequestDone, 'runId' | 'requestId'>): boolean {
    const k = key(done.runId, done.requestId);
    this.remember(k);
    if (!this.entries.delete(k)) return false;
    this.fire();
    return true;
  }

  /** A `grove/agent/stateChanged`: a run that ended waits on nothing. */
  runChanged(run: Pick<Run, 'runId' | 'state'>): void {
    if (isActive(run.state)) return;
    let changed = false;
    for (const [k, entry] of this.entries) {
      if (entry.request.runId !== run.runId) continue;
      this.entries.delete(k);
      this.remember(k);
      changed = true;
    }
    if (changed) this.fire();
  }

  /** Call before asking `grove/agent/pending`; hand the answer to `replace` with what this returned. */
  mark(): number {
    return this.seq;
  }

  /**
   * The answer of `grove/agent/pending` asked for after `mark` returned `since`: requests known then
   * and not listed are gone (answered elsewhere, or the sidecar restarted); those that arrived since stay.
   * With `workspaceId`, the answer listed that workspace only: the others are left as they are.
   */
  replace(requests: readonly AgentRequest[], since: number, workspaceId?: string): void {
    const listed = new Set(requests.map((r) => key(r.runId, r.requestId)));
    let changed = false;
    for (const [k, entry] of this.entries) {
      if (workspaceId !== undefined && entry.request.workspaceId !== workspaceId) continue;
      if (entry.seq <= since && !listed.has(k)) {
        this.entries.delete(k);
        changed = true;
      }
    }
    for (const request of requests) {
      const k = key(request.runId, request.requestId);
      if (this.entries.has(k) || this.done.has(k)) continue;
      this.entries.set(k, { request, seq: ++this.seq });
      changed = true;
    }
    if (changed) this.fire();
  }

  /** Forgets everything (the sidecar is gone: its requests went with it). */
  clear(): void {
    if (this.entries.size === 0) return;
    this.entries.clear();
    this.fire();
  }

  get(runId: string, requestId: string): AgentRequest | undefined {
    return this.entries.get(key(runId, requestId))?.request;
  }

  /** Every waiting request, oldest first. */
  all(): AgentRequest[] {
    return [...this.entries.values()].sort(byAge).map((e) => e.request);
  }

  /** The requests of one run, oldest first. */
  ofRun(runId: string): AgentRequest[] {
    return this.all().filter((r) => r.runId === runId);
  }

  /** The requests of one workspace, oldest first. */
  ofWorkspace(workspaceId: string): AgentRequest[] {
    return this.all().filter((r) => r.workspaceId === workspaceId);
  }

  /** How many agents (runs) wait for an answer. */
  get waitingAgents(): number {
    return new Set([...this.entries.values()].map((e) => e.request.runId)).size;
  }

  /** The request waiting longest. */
  oldest(): AgentRequest | undefined {
    return this.all()[0];
  }

  private remember(k: string): void {
    this.done.add(k);
    if (this.done.size > DONE_KEPT) {
      const first = this.done.values().next().value;
      if (first !== undefined) this.done.delete(first);
    }
  }

  private fire(): void {
    for (const listener of this.listeners) listener();
  }
}

// ---------------------------------------------------------------------------------------------
// Words

/** The status-bar text for `count` waiting agents; undefined at 0 (the item is hidden). */
export function waitingText(count: number): string | undefined {
  if (count <= 0) return undefined;
  return `$(bell) ${count} ${count === 1 ? 'agent' : 'agents'} waiting`;
}

/** The status-bar tooltip: one line per waiting request (up to `max`). */
export function waitingTooltip(requests: readonly AgentRequest[], workspaceName: (id: string) => string, max = 5): string {
  const lines = requests.slice(0, max).map((r) => `${workspaceName(r.workspaceId)}: ${requestSummary(r)}`);
  if (requests.length > max) lines.push(`…and ${requests.length - max} more`);
  lines.push('', 'Click to open the agent that has waited longest.');
  return lines.join('\n');
}

/** `NAME=value` where the name says it is a secret. */
const SECRET_ASSIGNMENT = /\b([A-Za-z_][A-Za-z0-9_]*(?:TOKEN|SECRET|KEY|PASSWORD|PASSWD|CREDENTIALS?)[A-Za-z0-9_]*)=("[^"]*"|'[^']*'|\S+)/gi;
/** Bearer tokens and basic-auth passwords in URLs. */
const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/-]{8,}=*/g;
const URL_PASSWORD = /(\/\/[^/\s:@]+:)[^@\s/]+@/g;

/** Text about what an agent wants, with token-like things hidden: it goes to notifications and tooltips. */
export function maskSecrets(text: string): string {
  return scrub(text)
    .replace(SECRET_ASSIGNMENT, (_m, name: string) => `${name}=…`)
    .replace(BEARER, (_m, prefix: string) => `${prefix}…`)
    .replace(URL_PASSWORD, (_m, user: string) => `${user}…@`);
}

function oneLine(text: string, max: number): string {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function field(input: unknown, name: string): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const value = (input as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}

/** The questions of an `AskUserQuestion` request (malformed ones left out). */
export interface Question {
  question: string;
  header: string;
  options: { label: string; description: string }[];
  multiSelect: boolean;
}

export function questionsOf(request: Pick<AgentRequest, 'input'>): Question[] {
  const input = request.input;
  if (typeof input !== 'object' || input === null) return [];
  const list = (input as Record<string, unknown>).questions;
  if (!Array.isArray(list)) return [];
  const out: Question[] = [];
  for (const q of list as unknown[]) {
    const question = field(q, 'question');
    if (question === undefined) continue;
    const rawOptions = (q as Record<string, unknown>).options;
    const options = Array.isArray(rawOptions)
      ? (rawOptions as unknown[]).flatMap((o) => {
          const label = field(o, 'label');
          return label === undefined ? [] : [{ label, description: field(o, 'description') ?? '' }];
        })
      : [];
    out.push({ question, header: field(q, 'header') ?? '', options, multiSelect: (q as Record<string, unknown>).multiSelect === true });
  }
  return out;
}

/** The plan of an `ExitPlanMode` request. */
export function planOf(request: Pick<AgentRequest, 'input'>): string {
  return field(request.input, 'plan') ?? '';
}

/** One line saying what the agent asks (secrets masked): the sidecar's description, else one made from the input. */
export function requestSummary(request: AgentRequest, max = 120): string {
  switch (request.kind) {
    case 'question': {
      const first = questionsOf(request)[0];
      return maskSecrets(oneLine(first ? first.question : 'a question', max));
    }
    case 'plan':
      return 'to approve its plan';
    case 'tool': {
      if (request.description.trim() !== '') return maskSecrets(oneLine(request.description, max));
      const detail = field(request.input, 'command') ?? field(request.input, 'file_path') ?? field(request.input, 'path') ?? field(request.input, 'url');
      return maskSecrets(oneLine(detail === undefined ? `to use ${request.toolName}` : `${request.toolName}: ${detail}`, max));
    }
  }
}

/** The notification for a request whose panel is not in view. */
export function requestNotification(request: AgentRequest, workspaceName: string): string {
  return `Grove: Agent in “${workspaceName}” asks: ${requestSummary(request)}`;
}

/**
 * What "Always allow here" would allow, in words ("Write", "Bash commands starting with “touch”"): the rule the
 * sidecar offers (for `X=1 touch a`, “touch”); undefined when it offers none.
 */
export function alwaysAllowWhat(request: AgentRequest): string | undefined {
  const rule = request.alwaysAllow ? request.alwaysAllowRule : undefined;
  if (rule === undefined) return undefined;
  if (rule.prefix !== undefined && rule.prefix !== '') return `${rule.toolName} commands starting with “${rule.prefix}”`;
  return rule.toolName;
}

/** A rule in words, for the rules picker. */
export function ruleLabel(rule: Rule): string {
  if (rule.prefix !== undefined && rule.prefix !== '') return `${rule.toolName}: commands starting with “${rule.prefix}”`;
  return `${rule.toolName}: every use`;
}

/** An answer as the panel gives it: a deny's message, a question's answers, a Bash command as edited. */
export interface Answer {
  runId: string;
  requestId: string;
  behavior: Behavior;
  message?: string;
  answers?: Record<string, string>;
  command?: string;
}

/**
 * The params of `grove/agent/respond` for an answer: an edited command becomes `updatedInput`; a
 * question's answers go along with allow; a message only with deny. A request the sidecar offers
 * no "always allow" for (questions, plans, shells and wrappers…) cannot be allowed always (the
 * sidecar refuses it): allow instead.
 */
export function respondParams(answer: Answer, request: AgentRequest | undefined): AgentRespondParams {
  let behavior = answer.behavior;
  if (behavior === 'allowAlways' && request !== undefined && (request.kind !== 'tool' || !request.alwaysAllow)) behavior = 'allow';
  const params: AgentRespondParams = {
    runId: answer.runId,
    requestId: answer.requestId,
    behavior,
  };
  if (behavior === 'deny') {
    if (answer.message !== undefined && answer.message.trim() !== '') params.message = answer.message.trim();
  } else if (request?.kind === 'question') {
    params.answers = answer.answers ?? {};
  } else if (request?.kind === 'tool' && request.toolName === 'Bash' && answer.command !== undefined) {
    const original = field(request.input, 'command');
    if (answer.command.trim() !== '' && answer.command !== original) {
      params.updatedInput = { ...(request.input as Record<string, unknown>), command: answer.command };
    }
  }
  return params;
}

/**
 * A failed `grove/agent/send` that means "start a follow-up instead": the run is not running any
 * more (InvalidParams with `data.reason` notRunning), or the sidecar does not know it (NotFound).
 */
export function needsFollowUp(failure: SidecarError): boolean {
  if (failure.code === ErrorCodes.NotFound) return true;
  return failure.code === ErrorCodes.InvalidParams && isRecord(failure.data) && failure.data.reason === 'notRunning';
}
