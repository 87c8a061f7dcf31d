// Which finished agent runs the user has opened: a "new result" until then; kept in a memento (the window's workspaceState) by run id; no vscode import.
import type { Run, RunState } from '../common/protocol';

/** The memento key (the extension's own workspaceState, so no prefix is needed). */
export const RESULT_SEEN_KEY = 'workspaces.resultSeen';
/** Run ids kept at most: only the latest run of each workspace matters, so old ones go first. */
export const MAX_SEEN = 500;

/** What a finished run came to; undefined while it is not finished (or ended needing sign-in, which says so itself). */
export type RunOutcome = 'succeeded' | 'failed' | 'cancelled';

export function runOutcome(state: RunState): RunOutcome | undefined {
  switch (state) {
    case 'succeeded':
    case 'failed':
    case 'cancelled':
      return state;
    default:
      return undefined;
  }
}

/** The part of a vscode.Memento this needs. */
export interface SeenMemento {
  get(key: string): unknown;
  update(key: string, value: unknown): Thenable<void>;
}

/** As stored: since when this window counts results (runs that ended before are not news), and the runs opened since, oldest first. */
export interface SeenState {
  since: string;
  seen: string[];
}

/** A stored value read back: anything else (an older shape, a hand edit) starts afresh from `now`. */
export function readSeenState(value: unknown, now: string): SeenState {
  if (typeof value === 'object' && value !== null) {
    const { since, seen } = value as Record<string, unknown>;
    if (typeof since === 'string' && !Number.isNaN(Date.parse(since)) && Array.isArray(seen)) {
      return { since, seen: seen.filter((id): id is string => typeof id === 'string') };
    }
  }
  return { since: now, seen: [] };
}

/** Whether `run` is a finished run the user has not opened: it ended after `since` and its id is not among those seen. */
export function isNewResult(run: Run, state: SeenState, seen: ReadonlySet<string> = new Set(state.seen)): boolean {
  if (runOutcome(run.state) === undefined) return false;
  if (seen.has(run.runId)) return false;
  const ended = Date.parse(run.endedAt ?? run.createdAt);
  // A run that ended before Grove counted results here is old news, not a new result.
  return Number.isNaN(ended) || ended >= Date.parse(state.since);
}

/** `state` with `runId` seen (last, as the newest), at most `max` ids kept; the same object when it was seen already. */
export function withSeen(state: SeenState, runId: string, max = MAX_SEEN): SeenState {
  if (state.seen.includes(runId)) return state;
  const seen = [...state.seen, runId];
  return { since: state.since, seen: seen.slice(Math.max(0, seen.length - max)) };
}

/** The seen runs of this window, stored in its memento; tells listeners when a result is opened. */
export class ResultSeen {
  private state: SeenState;
  private seenIds: Set<string>;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly memento: SeenMemento,
    now: Date = new Date(),
  ) {
    const stored = memento.get(RESULT_SEEN_KEY);
    this.state = readSeenState(stored, now.toISOString());
    this.seenIds = new Set(this.state.seen);
    // The first time: remember since when results count, so that runs of before stay old news after a reload.
    if (stored === undefined) void this.memento.update(RESULT_SEEN_KEY, this.state);
  }

  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** A finished run not opened yet. */
  isNew(run: Run | undefined): boolean {
    return run !== undefined && isNewResult(run, this.state, this.seenIds);
  }

  /** The user saw the result of `runId` (its panel showed it, or it was opened from the tree). */
  markSeen(runId: string): void {
    const next = withSeen(this.state, runId);
    if (next === this.state) return;
    this.state = next;
    this.seenIds = new Set(next.seen);
    void this.memento.update(RESULT_SEEN_KEY, next);
    for (const listener of this.listeners) listener();
  }
}
