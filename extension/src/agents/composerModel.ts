// The agent panel's composer, drawn from the agent CLIs the sidecar lists (`grove/agents/list`): the agent picker, the profiles each agent can run with, the models each profile offers, the permission modes it honors, and what `grove/agent/start` gets from the choices; no vscode import, and no CLI named.
import type { AgentCapabilities, AgentCli, Profile, ProfilesList, RequestKind, Run } from '../common/protocol';
import { statusWords } from '../profiles/profilesModel';

export const AUTOMATIC_PROFILE_LABEL = 'Automatic (workspace default or provider order)';

/** The first choice of every model picker: the CLI picks (no model is sent). */
export const DEFAULT_MODEL_LABEL = 'Default model';

export interface Choice {
  value: string;
  label: string;
}

/** One profile of the composer's picker, with the models to offer when it is chosen (null: the agent's). */
export interface ComposerProfile extends Choice {
  models: Choice[] | null;
}

/** One agent of the composer's picker, with everything the composer offers while it is chosen. */
export interface ComposerAgent extends Choice {
  found: boolean;
  /** For an agent not found: that it was not, how to install it and the setting that points at it (shown while it is chosen); else null. */
  notFound: string | null;
  /** For an agent that never asks before it edits (no permission requests): that it does not, shown while it is chosen; else null. */
  editsNotice: string | null;
  /** A message sent while its turn runs reaches it. */
  steer: boolean;
  /** The prompt box's placeholder while it is chosen. */
  placeholder: string;
  /** Automatic first, then the profiles it can run with. */
  profiles: ComposerProfile[];
  /** The models of a profile that is not an endpoint: its default first. */
  models: Choice[];
  /** The permission modes it honors. */
  permissionModes: Choice[];
}

export const DEFAULT_PERMISSION_MODE = 'acceptEdits';

/** Every permission mode, and the capability it needs (none: every agent honors it). */
const PERMISSION_MODES: readonly (Choice & { needs?: 'permissions' | 'questions' })[] = [
  { value: 'acceptEdits', label: 'Accept edits' },
  { value: 'default', label: 'Ask before edits and commands', needs: 'permissions' },
  { value: 'plan', label: 'Plan first (approve the plan)', needs: 'questions' },
  { value: 'bypassPermissions', label: '⚠ Bypass permissions (never asks)' },
];

/** The permission modes an agent honors ("ask" needs permission requests, "plan" needs plans approved); all of them for an agent not known yet. */
export function permissionModes(capabilities: AgentCapabilities | undefined): Choice[] {
  return PERMISSION_MODES.filter((m) => m.needs === undefined || capabilities === undefined || capabilities[m.needs]).map(({ value, label }) => ({
    value,
    label,
  }));
}

/** An agent's models for profiles that are not endpoints: its default, then its aliases ("sonnet" → "Sonnet"); only the default, named after the CLI, when it lists none. */
export function agentModels(agent: Pick<AgentCli, 'id' | 'models'> | undefined): Choice[] {
  if (agent === undefined) return [{ value: '', label: DEFAULT_MODEL_LABEL }];
  if (agent.models === undefined || agent.models.length === 0) return [{ value: '', label: `${DEFAULT_MODEL_LABEL} (${agent.id})` }];
  return [{ value: '', label: DEFAULT_MODEL_LABEL }, ...agent.models.map((m) => ({ value: m, label: m.charAt(0).toUpperCase() + m.slice(1) }))];
}

/** An endpoint's models (the first is its default); null for other profiles (the agent's models apply). */
export function modelChoices(profile: Profile | undefined): Choice[] | null {
  if (profile?.type !== 'endpoint') return null;
  return (profile.models ?? []).map((m) => ({ value: m, label: m }));
}

/** Whether an agent can run a profile: the profile says so (`agents`), else the agent runs its provider. */
export function canRun(agent: Pick<AgentCli, 'id' | 'providers'>, profile: Pick<Profile, 'provider'> & { agents?: readonly string[] }): boolean {
  const agents = profile.agents ?? [];
  return agents.length > 0 ? agents.includes(agent.id) : agent.providers.includes(profile.provider);
}

/** Whether runs may be given this profile: not an entry Grove cannot run. */
function runnable(profile: Profile): boolean {
  return profile.status !== 'unusable';
}

/** The profiles an agent (undefined: any agent) can run with, in its providers' order and each provider's own order. */
export function agentProfiles(list: ProfilesList | undefined, agent: Pick<AgentCli, 'id' | 'providers'> | undefined): Profile[] {
  if (!list) return [];
  const providers = agent?.providers ?? [];
  const providerRank = (provider: string): number => {
    const i = providers.indexOf(provider);
    return i < 0 ? providers.length : i;
  };
  const rank = (p: Profile): number => {
    const order = list.order[p.provider] ?? [];
    const i = order.indexOf(p.id);
    return i < 0 ? order.length : i;
  };
  return list.profiles
    .filter((p) => runnable(p) && (agent === undefined || canRun(agent, p)))
    .sort(
      (a, b) => providerRank(a.provider) - providerRank(b.provider) || a.provider.localeCompare(b.provider) || rank(a) - rank(b) || a.id.localeCompare(b.id),
    );
}

/** The profile picker for an agent (undefined: any agent): Automatic first, then every profile it can run with (a profile not ok says how it is). */
export function composerProfiles(list: ProfilesList | undefined, agent: Pick<AgentCli, 'id' | 'providers'> | undefined): ComposerProfile[] {
  const out: ComposerProfile[] = [{ value: '', label: AUTOMATIC_PROFILE_LABEL, models: null }];
  for (const p of agentProfiles(list, agent)) {
    const status = p.status === 'ok' || p.status === 'static' ? '' : ` (${statusWords(p.status)})`;
    out.push({ value: p.id, label: `${p.label ?? p.id}${status}`, models: modelChoices(p) });
  }
  return out;
}

/** The prompt box's placeholder: how to send, and (for an agent that takes them) that a message steers a running turn. */
export function promptPlaceholder(sendKeys: string, steer: boolean): string {
  return steer ? `Tell the agent what to do (${sendKeys} to send; while it runs, a message steers it)` : `Tell the agent what to do (${sendKeys} to send)`;
}

/** What the composer says of an agent that was not found: so, and its install hint. */
export function notFoundHint(agent: Pick<AgentCli, 'label' | 'installHint'>): string {
  return `${agent.label} was not found. ${agent.installHint}`;
}

/** What the composer says of an agent that makes no permission requests: it edits without a card. */
export function editsNotice(agent: Pick<AgentCli, 'label' | 'capabilities'>): string | null {
  if (agent.capabilities.permissions) return null;
  return `${agent.label} does not ask before it edits: it changes files in this workspace's worktree without a permission card.`;
}

/**
 * The agent picker: the agents found first (in the sidecar's order), then those not found, which
 * say so. Before the sidecar listed any: one unnamed entry (value '': the sidecar picks) offering
 * every profile.
 */
export function composerAgents(agents: readonly AgentCli[], list: ProfilesList | undefined, sendKeys: string): ComposerAgent[] {
  if (agents.length === 0) {
    return [
      {
        value: '',
        label: 'Default',
        found: true,
        notFound: null,
        editsNotice: null,
        steer: true,
        placeholder: promptPlaceholder(sendKeys, true),
        profiles: composerProfiles(list, undefined),
        models: agentModels(undefined),
        permissionModes: permissionModes(undefined),
      },
    ];
  }
  const ordered = [...agents.filter((a) => a.found), ...agents.filter((a) => !a.found)];
  return ordered.map((agent) => ({
    value: agent.id,
    label: agent.found ? agent.label : `${agent.label} (not found)`,
    found: agent.found,
    notFound: agent.found ? null : notFoundHint(agent),
    editsNotice: editsNotice(agent),
    steer: agent.capabilities.steer,
    placeholder: promptPlaceholder(sendKeys, agent.capabilities.steer),
    profiles: composerProfiles(list, agent),
    models: agentModels(agent),
    permissionModes: permissionModes(agent.capabilities),
  }));
}

/** The agent a run used: the one it names, else the one that runs its provider. */
export function runAgent(agents: readonly AgentCli[], run: Pick<Run, 'agent' | 'provider'>): AgentCli | undefined {
  if (run.agent !== undefined) return agents.find((a) => a.id === run.agent);
  return run.provider === undefined ? undefined : agents.find((a) => a.providers.includes(run.provider ?? ''));
}

/**
 * The agent the composer starts with: the one the workspace's latest run used, else the one its
 * default profile implies, else the first found (else the first listed).
 */
export function defaultAgent(
  agents: readonly AgentCli[],
  latest: Pick<Run, 'agent' | 'provider'> | undefined,
  workspaceProfile: string | undefined,
  list: ProfilesList | undefined,
): string | undefined {
  const fromRun = latest === undefined ? undefined : runAgent(agents, latest);
  if (fromRun) return fromRun.id;
  const profile = workspaceProfile === undefined ? undefined : list?.profiles.find((p) => p.id === workspaceProfile);
  const fromProfile = profile === undefined ? undefined : agents.find((a) => canRun(a, profile));
  if (fromProfile) return fromProfile.id;
  return (agents.find((a) => a.found) ?? agents[0])?.id;
}

/** The requests of a run that its agent can make (an agent without permission requests shows no Allow/Deny card, one without questions no question or plan card). */
export function shownRequests<T extends { kind: RequestKind }>(requests: readonly T[], capabilities: AgentCapabilities | undefined): T[] {
  if (capabilities === undefined) return [...requests];
  return requests.filter((r) => (r.kind === 'tool' ? capabilities.permissions : capabilities.questions));
}

/**
 * `grove/agent/start`'s `profile` and `model` from the composer's choices. An endpoint runs one of
 * the models it serves (the first when none was chosen); another profile one of the agent's
 * models (a model it does not list is not sent); with no agent known, the chosen model as it is.
 */
export function composerSelection(
  list: ProfilesList | undefined,
  agent: Pick<AgentCli, 'id' | 'models'> | undefined,
  profile: string,
  model: string,
): { profile?: string; model?: string } {
  const out: { profile?: string; model?: string } = {};
  const chosen = profile.trim();
  const typedModel = model.trim();
  const found = chosen === '' ? undefined : list?.profiles.find((p) => p.id === chosen);
  if (chosen !== '') out.profile = chosen;
  const models = modelChoices(found) ?? (agent === undefined ? null : agentModels(agent));
  if (models === null) {
    if (typedModel !== '') out.model = typedModel;
    return out;
  }
  const served = models.map((m) => m.value);
  const pick = served.includes(typedModel) ? typedModel : served[0];
  // '' is the CLI's own default: no model is sent.
  if (pick !== undefined && pick !== '') out.model = pick;
  return out;
}

/**
 * "Retry with <profile>": the next profile, with the model the run had unless it was one an
 * endpoint served (another profile would not know it); an endpoint runs one of its own models, and
 * another profile only a model of the agent that runs it.
 */
export function retrySelection(
  list: ProfilesList | undefined,
  agent: Pick<AgentCli, 'id' | 'models'> | undefined,
  next: string,
  earlierProfile: string | undefined,
  earlierModel: string | undefined,
): { profile?: string; model?: string } {
  const before = earlierProfile === undefined ? undefined : list?.profiles.find((p) => p.id === earlierProfile);
  const keep = before?.type === 'endpoint' ? '' : (earlierModel ?? '');
  return composerSelection(list, agent, next, keep);
}
