// What the agent panel's webview script decides without the page: the saved draft and pickers read back, a picker's value among its choices, the agent to show, the elapsed-time words, the answers of a question card and the Alt+key shortcut on the oldest waiting card; no DOM, no vscode.
import type { SavedComposer } from '../panelMessages';

/** The saved state as the webview API hands it back (anything: an older page may have saved another shape). */
export function readSaved(state: unknown): SavedComposer {
  if (typeof state !== 'object' || state === null) return {};
  const s = state as Record<string, unknown>;
  const out: SavedComposer = {};
  for (const key of ['draft', 'agent', 'model', 'profile', 'permissionMode'] as const) {
    const value = s[key];
    if (typeof value === 'string') out[key] = value;
  }
  if (s.newSession === true) out.newSession = true;
  return out;
}

/** The value a picker keeps: `wanted` when it is one of the choices, else the first (or '' with none). */
export function pickValue(choices: readonly { value: string }[], wanted: string): string {
  return choices.some((c) => c.value === wanted) ? wanted : (choices[0]?.value ?? '');
}

/**
 * The agent the picker shows when the host sends its choices: the one the user chose (now, or
 * before the page was reloaded) while it is still listed, else the host's default (which follows
 * the workspace's latest run, once the runs are read).
 */
export function agentToShow(choices: readonly { value: string }[], hostDefault: string, chosen: string | undefined): string {
  return chosen !== undefined && choices.some((c) => c.value === chosen) ? chosen : hostDefault;
}

/** "12 s", "2 min 5 s", "1 h 3 min": the elapsed time of a running run, in whole seconds. */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** The answers of a card's questions: question text → the chosen label(s), joined with ", " when several; unanswered questions are left out. */
export function collectAnswers(questions: readonly { question: string; chosen: readonly string[] }[]): Record<string, string> {
  const answers: Record<string, string> = {};
  for (const { question, chosen } of questions) if (chosen.length > 0) answers[question] = chosen.join(', ');
  return answers;
}

/** What a request card's buttons (and shortcuts) do. */
export type RequestAction = 'allow' | 'allowAlways' | 'deny' | 'denyBack' | 'denySend' | 'answer' | 'submitAnswers';

/** A key pressed on the panel, as far as the shortcuts care. */
export interface ShortcutKey {
  code: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
}

/**
 * Alt+A allows (or submits the answers), Alt+D denies (and, with the message row open, sends the
 * denial), Alt+W always allows: what that does on the oldest waiting card, given the buttons it
 * has; undefined when the key is no shortcut or the card has no such button.
 */
export function shortcutAction(key: ShortcutKey, has: (action: RequestAction) => boolean, messageOpen: boolean): RequestAction | undefined {
  if (!key.altKey || key.ctrlKey || key.metaKey) return undefined;
  switch (key.code) {
    case 'KeyA':
      return has('allow') ? 'allow' : has('submitAnswers') ? 'submitAnswers' : undefined;
    case 'KeyW':
      return has('allowAlways') ? 'allowAlways' : undefined;
    case 'KeyD':
      return messageOpen ? 'denySend' : 'deny';
    default:
      return undefined;
  }
}

/** Whether a host-rendered `data-request-action` names a request action. */
export function isRequestAction(value: string | undefined): value is RequestAction {
  return value !== undefined && (REQUEST_ACTIONS as readonly string[]).includes(value);
}

const REQUEST_ACTIONS: readonly RequestAction[] = ['allow', 'allowAlways', 'deny', 'denyBack', 'denySend', 'answer', 'submitAnswers'];
