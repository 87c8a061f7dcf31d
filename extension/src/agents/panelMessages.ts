// The messages between the agent panel's host (agentPanel.ts) and its webview script (webview/main.ts), as typed unions both sides use, and what the webview keeps across reloads; no vscode import, no DOM.
import type { LandingAction } from '../landing/landingModel';
import type { ComposerAgent } from './composerModel';
import type { Answer } from './requests';

/** The prompt box's options. */
export interface ComposerOptions {
  /** The chosen agent CLI (`grove/agents/list`'s id); empty: the sidecar picks. */
  agent: string;
  model: string;
  permissionMode: string;
  /** The chosen auth profile; empty: automatic (the workspace default, else the provider order). */
  profile: string;
}

/** `setAgentPath`: the setting naming the binary of the run's agent (with a run id) or of the chosen one. */
export type PanelAction =
  'cancel' | 'interrupt' | 'retry' | 'retryWithProfile' | 'signIn' | 'openAccount' | 'loadTranscript' | 'restoreWorkspace' | 'setAgentPath';

/** Every action a host-rendered button (`data-action`) may ask for. */
export const PANEL_ACTIONS: readonly PanelAction[] = [
  'cancel',
  'interrupt',
  'retry',
  'retryWithProfile',
  'signIn',
  'openAccount',
  'loadTranscript',
  'restoreWorkspace',
  'setAgentPath',
];

/** An answer to a request, as requests.ts reads it: `message` for a deny, `answers` (question text → label) for questions, `command` an edited Bash command. */
export interface RespondMessage extends Answer {
  type: 'respond';
}

/** From the webview. */
export type FromWebview =
  | { type: 'ready' }
  | ({ type: 'send'; prompt: string; newSession: boolean } & ComposerOptions)
  | ({ type: 'action'; action: PanelAction; runId: string | null } & ComposerOptions)
  /** A landing button of the bar under the header. */
  | { type: 'land'; action: LandingAction }
  | RespondMessage;

/** To the webview. */
export type ToWebview =
  | { type: 'reset'; html: string }
  | { type: 'runAdded'; runId: string; html: string }
  | { type: 'runUpdated'; runId: string; headHtml: string; footHtml: string }
  | { type: 'items'; runId: string; items: { index: number; html: string }[] }
  /** What a run waits on now (requestView's HTML; empty when nothing). */
  | { type: 'requests'; runId: string; html: string }
  | { type: 'focusPrompt' }
  | { type: 'sent' }
  /** `actionsHtml`: buttons for the error box (composerActionsHtml). */
  | { type: 'sendFailed'; message: string; actionsHtml: string }
  /** The landing bar's HTML (landingBarHtml; '' hides it). */
  | { type: 'landing'; html: string }
  /** The workspace changed: its header line, and whether (and why not) the prompt box takes prompts. */
  | { type: 'workspace'; headerHtml: string; readOnly: boolean; noteHtml: string }
  /** The composer's pickers: the agents, each with its profiles, models and permission modes; `agent` the one to start with. */
  | { type: 'composer'; agents: ComposerAgent[]; agent: string };

/** What the webview keeps while it is hidden (its page is built again when shown): the draft and the pickers. */
export interface SavedComposer {
  draft?: string;
  agent?: string;
  model?: string;
  profile?: string;
  permissionMode?: string;
  newSession?: boolean;
}
