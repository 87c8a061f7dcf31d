// The agent panel's view model: a run's events (live, by seq, and from its transcript) folded into items — text, tool calls paired with their results, notices, errors — with cost and duration; no vscode import.
import type { AgentEvent, Run, RunState } from '../common/protocol';
import type { TokenUsage } from '../common/protocol.generated';

export interface ToolResult {
  isError: boolean;
  content: string;
  /** The tool never ran: its permission request was denied (`content` is the message given). */
  denied?: boolean;
}

/** One thing the panel shows in a run's conversation. */
export type Item =
  /** `streaming` while text deltas still arrive (the whole block replaces them when it comes). */
  | { kind: 'text'; text: string; streaming?: boolean }
  | { kind: 'tool'; id: string; name: string; input: unknown; result: ToolResult | null }
  | { kind: 'retry'; attempt: number; errorStatus: number | null; error: string | null }
  | { kind: 'rateLimit'; status: string; limitType: string | null; resetsAt: string | null }
  /**
   * The CLI's error result. `hidden` when the run's footer says it already (a failed run's error,
   * a sign-in callout) or when it is the user's own cancel: one message, shown once.
   */
  | { kind: 'error'; text: string; hidden?: boolean }
  /** Something Grove did for the user (e.g. started a new session), in plain words. */
  | { kind: 'notice'; text: string }
  /** A message the user sent to the running agent from this panel (steering). */
  | { kind: 'sent'; text: string } /** Lines the CLI wrote on stderr, or stdout lines that were not JSON; consecutive ones together. */
  | { kind: 'output'; lines: string[] };

const ACTIVE: ReadonlySet<RunState> = new Set<RunState>(['queued', 'running', 'waiting']);

/** Queued, running or waiting for the user: the run can still change and be cancelled. */
export function isActive(state: RunState): boolean {
  return ACTIVE.has(state);
}

/** Running or waiting for the user: the agent process is up, so a message can steer it and Interrupt can stop its turn. */
export function isLive(state: RunState): boolean {
  return state === 'running' || state === 'waiting';
}

/**
 * True when a run's error result is not shown as an item: the user cancelled (the footer says
 * "Cancelled"), or the footer shows the run's error already (failed, or the sign-in callout).
 */
export function hidesErrorResult(run: Run): boolean {
  if (run.state === 'cancelled') return true;
  return (run.state === 'failed' || run.state === 'authRequired') && run.error !== null && run.error.trim() !== '';
}

/** What changed since the last `takeChanges`: item indices, and whether the run's own facts did. */
export interface Changes {
  items: number[];
  meta: boolean;
}

/**
 * One run and its events. Events are applied in `seq` order: a live event ahead of the next
 * expected one waits until the gap is filled (by the transcript, or by `skipGap`); one already
 * applied is ignored. The transcript's events are seq 0, 1, 2, … in order.
 */
export class RunLog {
  readonly items: Item[] = [];
  /** The model the CLI reported at init. */
  model: string | null = null;
  /** The session the CLI reported at init. */
  private initSession: string | null = null;
  private resultCost: number | null = null;
  private resultDuration: number | null = null;
  private resultTokens: TokenUsage | null = null;
  private next = 0;
  private readonly pending = new Map<number, AgentEvent>();
  private readonly toolIndex = new Map<string, number>();
  /** The text item deltas are appended to, until its whole block arrives. */
  private streamingIndex: number | undefined;
  /** The error results, whose visibility follows the run's state. */
  private readonly errorIndices: number[] = [];
  private readonly changedItems = new Set<number>();
  private metaChanged = true;
  private runValue: Run;

  /**
   * @param loaded true when every event of the run will arrive live from seq 0 (a run started here);
   *   false when its transcript has to be read first.
   */
  constructor(
    run: Run,
    public loaded = false,
  ) {
    this.runValue = run;
  }

  get run(): Run {
    return this.runValue;
  }

  /** A newer state of the run (from `stateChanged`, `list` or `start`). */
  setRun(run: Run): void {
    this.runValue = run;
    this.metaChanged = true;
    for (const index of this.errorIndices) {
      const item = this.items[index];
      if (item?.kind !== 'error') continue;
      const hidden = hidesErrorResult(run);
      if ((item.hidden ?? false) === hidden) continue;
      this.items[index] = hidden ? { kind: 'error', text: item.text, hidden } : { kind: 'error', text: item.text };
      this.changedItems.add(index);
    }
    // A run that ended has no text still arriving.
    if (!isActive(run.state)) this.endStreaming();
  }

  /** Marks the run's own facts as changed (e.g. something it is rendered with changed). */
  touch(): void {
    this.metaChanged = true;
  }

  /** The run's session: the sidecar's record, else what the CLI said at init (null until known). */
  get sessionId(): string | null {
    return this.runValue.sessionId ?? this.initSession;
  }

  /** A message the user sent to the running agent (it has no event of its own). */
  addSent(text: string): void {
    this.push({ kind: 'sent', text });
  }

  /** The seq the next applied event must have. */
  get nextSeq(): number {
    return this.next;
  }

  /** A live event. */
  receive(seq: number, event: AgentEvent): void {
    if (seq < this.next) return;
    this.pending.set(seq, event);
    this.drain();
  }

  /** The run's transcript: every event so far, seq 0 first. Safe to call again. */
  loadTranscript(events: readonly AgentEvent[]): void {
    for (let seq = this.next; seq < events.length; seq++) {
      const event = events[seq];
      if (event !== undefined) this.apply(event);
      this.next = seq + 1;
    }
    for (const seq of this.pending.keys()) if (seq < this.next) this.pending.delete(seq);
    this.loaded = true;
    this.drain();
  }

  /** Live events wait for ones that are missing. */
  hasGap(): boolean {
    return this.pending.size > 0;
  }

  /** Gives up on missing events: applies those waiting, in order. */
  skipGap(): void {
    const seqs = [...this.pending.keys()].sort((a, b) => a - b);
    for (const seq of seqs) {
      const event = this.pending.get(seq);
      this.pending.delete(seq);
      if (event !== undefined) this.apply(event);
      this.next = seq + 1;
    }
  }

  /** The changes since the last call, and forgets them. */
  takeChanges(): Changes {
    const changes = { items: [...this.changedItems].sort((a, b) => a - b), meta: this.metaChanged };
    this.changedItems.clear();
    this.metaChanged = false;
    return changes;
  }

  /** From the run's result event, else what the sidecar recorded on the run. */
  get costUsd(): number | null {
    return this.resultCost ?? this.runValue.costUsd;
  }

  /** The tokens the run's result reported (an agent CLI that reports no cost), or null. */
  get tokens(): TokenUsage | null {
    return this.resultTokens;
  }

  /** From the run's result event, else from its start and end times. */
  get durationMs(): number | null {
    if (this.resultDuration !== null) return this.resultDuration;
    const { startedAt, endedAt } = this.runValue;
    if (startedAt === null || endedAt === null) return null;
    const ms = Date.parse(endedAt) - Date.parse(startedAt);
    return Number.isFinite(ms) && ms >= 0 ? ms : null;
  }

  private drain(): void {
    for (let event = this.pending.get(this.next); event !== undefined; event = this.pending.get(this.next)) {
      this.pending.delete(this.next);
      this.next++;
      this.apply(event);
    }
  }

  private push(item: Item): void {
    this.items.push(item);
    this.changedItems.add(this.items.length - 1);
  }

  private apply(event: AgentEvent): void {
    switch (event.kind) {
      case 'init':
        this.model = event.model || null;
        this.initSession = event.sessionId || null;
        this.metaChanged = true;
        break;
      case 'textDelta': {
        if (event.text === '') break;
        const index = this.streamingIndex;
        const item = index === undefined ? undefined : this.items[index];
        if (index !== undefined && item?.kind === 'text') {
          this.items[index] = { kind: 'text', text: item.text + event.text, streaming: true };
          this.changedItems.add(index);
        } else {
          this.push({ kind: 'text', text: event.text, streaming: true });
          this.streamingIndex = this.items.length - 1;
        }
        break;
      }
      case 'text': {
        // The whole block: it replaces what its deltas wrote.
        const index = this.streamingIndex;
        this.streamingIndex = undefined;
        if (index !== undefined && this.items[index]?.kind === 'text') {
          this.items[index] = { kind: 'text', text: event.text };
          this.changedItems.add(index);
        } else if (event.text.trim() !== '') {
          this.push({ kind: 'text', text: event.text });
        }
        break;
      }
      case 'notice':
        this.push({ kind: 'notice', text: event.message });
        break;
      case 'toolUse':
        // A tool call ends the text before it: text after it is a block of its own (a CLI that streams only deltas never sends the whole block).
        this.endStreaming();
        this.push({ kind: 'tool', id: event.id, name: event.name, input: event.input, result: null });
        this.toolIndex.set(event.id, this.items.length - 1);
        break;
      case 'toolResult': {
        this.endStreaming();
        const index = this.toolIndex.get(event.toolUseId);
        const item = index === undefined ? undefined : this.items[index];
        // Denied or failed is the sidecar's word, per result: a call denied once and allowed later fails as itself.
        const result: ToolResult = { isError: event.isError, content: event.content };
        if (event.denied === true) result.denied = true;
        if (index !== undefined && item?.kind === 'tool') {
          this.items[index] = { ...item, result };
          this.changedItems.add(index);
        } else {
          // A result whose call was not seen: still shown, with what is known.
          this.push({ kind: 'tool', id: event.toolUseId, name: 'Tool', input: null, result });
        }
        break;
      }
      case 'retry':
        this.push({ kind: 'retry', attempt: event.attempt, errorStatus: event.errorStatus, error: event.error });
        break;
      case 'rateLimit':
        // The CLI reports "allowed" on every turn of a subscription; only a warning or a refusal is news.
        if (event.status !== 'allowed') {
          this.push({ kind: 'rateLimit', status: event.status, limitType: event.limitType, resetsAt: event.resetsAt });
        }
        break;
      case 'result':
        this.resultCost = event.costUsd;
        this.resultDuration = event.durationMs;
        this.resultTokens = event.usage ?? null;
        this.metaChanged = true;
        this.endStreaming();
        if (event.isError) {
          const text = event.text ?? 'The agent stopped with an error.';
          this.push(hidesErrorResult(this.runValue) ? { kind: 'error', text, hidden: true } : { kind: 'error', text });
          this.errorIndices.push(this.items.length - 1);
        }
        break;
      case 'stderr':
        this.output(event.line);
        break;
      case 'other':
        if (event.line !== undefined) this.output(event.line);
        break;
    }
  }

  /** Text deltas stop (a result, or the run ended): what they wrote stays, as a finished block. */
  private endStreaming(): void {
    const index = this.streamingIndex;
    this.streamingIndex = undefined;
    const item = index === undefined ? undefined : this.items[index];
    if (index !== undefined && item?.kind === 'text' && item.streaming === true) {
      this.items[index] = { kind: 'text', text: item.text };
      this.changedItems.add(index);
    }
  }

  private output(line: string): void {
    const index = this.items.length - 1;
    const last = this.items[index];
    if (last?.kind === 'output') {
      last.lines.push(line);
      this.changedItems.add(index);
    } else {
      this.push({ kind: 'output', lines: [line] });
    }
  }
}

/**
 * Where a turn stands in the workspace's conversation: it `continued` an earlier turn's session
 * (the CLI resumed it), started a `new` one, or nothing to say (the first turn with a session, or
 * its session not known yet and no new one asked for).
 */
export type SessionMarker = 'continued' | 'new' | null;

/**
 * The marker of a turn whose session is `session` (null: not known yet), after turns whose
 * sessions were `earlier` (oldest first; null for those that never had one); `newSessionAsked`
 * when the user asked for a new session.
 */
export function sessionMarker(earlier: readonly (string | null)[], session: string | null, newSessionAsked = false): SessionMarker {
  const before = earlier.filter((s): s is string => s !== null);
  if (before.length === 0) return null;
  if (session === null) return newSessionAsked ? 'new' : null;
  return before.includes(session) ? 'continued' : 'new';
}

/**
 * The runs of one workspace, oldest first, and live events of runs not known yet (kept until the
 * run arrives from `start`, `list` or `stateChanged`).
 */
export class WorkspaceRuns {
  private readonly logs: RunLog[] = [];
  private readonly byId = new Map<string, RunLog>();
  private readonly orphans = new Map<string, { seq: number; event: AgentEvent }[]>();

  get runs(): readonly RunLog[] {
    return this.logs;
  }

  get(runId: string): RunLog | undefined {
    return this.byId.get(runId);
  }

  /** The newest run, if any. */
  get latest(): RunLog | undefined {
    return this.logs[this.logs.length - 1];
  }

  /**
   * Adds or updates a run. `added` is true for a new run; `inOrder` false when it was not the
   * newest (the panel then renders everything again).
   */
  upsert(run: Run, loaded = false): { log: RunLog; added: boolean; inOrder: boolean } {
    const known = this.byId.get(run.runId);
    if (known) {
      known.setRun(run);
      return { log: known, added: false, inOrder: true };
    }
    const log = new RunLog(run, loaded);
    const at = this.logs.findIndex((l) => l.run.createdAt > run.createdAt);
    if (at === -1) this.logs.push(log);
    else this.logs.splice(at, 0, log);
    this.byId.set(run.runId, log);
    for (const { seq, event } of this.orphans.get(run.runId) ?? []) log.receive(seq, event);
    this.orphans.delete(run.runId);
    return { log, added: true, inOrder: at === -1 };
  }

  /** The marker before `log`'s turn (see `sessionMarker`). */
  sessionMarker(log: RunLog, newSessionAsked = false): SessionMarker {
    const index = this.logs.indexOf(log);
    if (index <= 0) return null;
    return sessionMarker(
      this.logs.slice(0, index).map((l) => l.sessionId),
      log.sessionId,
      newSessionAsked,
    );
  }

  /** A live event; returns its run's log, or undefined when the run is not known yet. */
  receive(runId: string, seq: number, event: AgentEvent): RunLog | undefined {
    const log = this.byId.get(runId);
    if (log) {
      log.receive(seq, event);
      return log;
    }
    const waiting = this.orphans.get(runId) ?? [];
    waiting.push({ seq, event });
    this.orphans.set(runId, waiting);
    return undefined;
  }
}

/**
 * The panel's page as the host knows it. A hidden panel's page is gone (messages to it are lost)
 * and a new one is built when the panel is shown again; so is one built from new HTML. Each new
 * page says `ready`, and only then takes messages: the host shows it whole then, once.
 */
export class PanelPage {
  private isReady = false;
  private focusWanted = false;

  /** A page is there and takes messages. */
  get ready(): boolean {
    return this.isReady;
  }

  /** A new page said `ready` (the host shows it whole): answers whether its prompt box gets the cursor (asked for while no page was ready). */
  loaded(): { focusPrompt: boolean } {
    this.isReady = true;
    const focusPrompt = this.focusWanted;
    this.focusWanted = false;
    return { focusPrompt };
  }

  /** The panel was hidden, its HTML replaced or the panel closed: nothing is sent until a new page says `ready`. */
  gone(): void {
    this.isReady = false;
  }

  /** The prompt box should get the cursor: true when the page can be told now, else the next ready page gets it. */
  focusPrompt(): boolean {
    if (this.isReady) return true;
    this.focusWanted = true;
    return false;
  }
}
