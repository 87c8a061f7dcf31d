// What the editor shows of auth profiles, computed without vscode: providers and their profiles in order, status icons and words, descriptions and tooltips, reordering, the once-per-session expiry alerts, and the import offer.
import { Commands, ContextValues } from '../common/commands';
import type { AgentCli, Profile, ProfilesList, ProfileStatus } from '../common/protocol';
import { AgentCliStore } from '../agentClis/agentCliStore';

/** The implicit profile of the claude CLI's own sign-in: always listed, never removed. */
export const CLI_PROFILE_ID = 'anthropic:claude-cli';

/** The agents a model without a registry answer knows: none (providers by name, under their own names). */
const NO_AGENTS = new AgentCliStore();

/** The profiles Grove lists by itself (the agent CLIs' own sign-ins, `grove/agents/list`'s `ownProfile`): never removed. */
export function isBuiltInProfile(id: string, clis: AgentCliStore): boolean {
  return clis.isOwnProfile(id);
}

/** A codicon and its theme colour for each status. */
export const STATUS_ICONS: Record<ProfileStatus, { icon: string; color?: string }> = {
  ok: { icon: 'pass', color: 'testing.iconPassed' },
  expiring: { icon: 'warning', color: 'list.warningForeground' },
  expired: { icon: 'error', color: 'list.errorForeground' },
  static: { icon: 'key' },
  missing: { icon: 'circle-slash', color: 'list.errorForeground' },
  cooldown: { icon: 'clock', color: 'list.warningForeground' },
  unreachable: { icon: 'debug-disconnect', color: 'list.errorForeground' },
  checking: { icon: 'loading~spin' },
  unusable: { icon: 'warning', color: 'list.warningForeground' },
};

const STATUS_WORDS: Record<ProfileStatus, string> = {
  ok: 'ok',
  expiring: 'expiring soon',
  expired: 'expired',
  static: 'no expiry',
  missing: 'missing',
  cooldown: 'cooling down',
  unreachable: 'unreachable',
  checking: 'checking…',
  unusable: 'unusable',
};

export function statusWords(status: ProfileStatus): string {
  return STATUS_WORDS[status];
}

const TYPE_WORDS: Record<Profile['type'], string> = {
  cli: 'CLI sign-in',
  token: 'setup token',
  api_key: 'API key',
  endpoint: 'endpoint',
  oauth: 'OAuth sign-in',
  unknown: 'unknown type',
};

export function typeWords(type: Profile['type']): string {
  return TYPE_WORDS[type];
}

/**
 * A profile's kind in words, drawn from the registry: an agent's own sign-in by the agent ("Claude
 * Code's own sign-in"), a sign-in or an API key by what it signs in to ("ChatGPT sign-in", "OpenAI
 * API key"), anything else by its type.
 */
export function profileTypeWords(profile: Pick<Profile, 'id' | 'provider' | 'type'>, clis: AgentCliStore = NO_AGENTS): string {
  const owner = clis.ownerOfProfile(profile.id);
  if (owner !== undefined) return `${owner.label}'s own sign-in`;
  if (clis.providerInfo(profile.provider) === undefined) return typeWords(profile.type);
  if (profile.type === 'oauth') return `${clis.serviceName(profile.provider)} sign-in`;
  if (profile.type === 'api_key') return `${clis.serviceName(profile.provider)} API key`;
  return typeWords(profile.type);
}

/** The name part of `provider:name`. */
export function profileName(id: string): string {
  const colon = id.indexOf(':');
  return colon < 0 ? id : id.slice(colon + 1);
}

/** How a profile is named in lists: its label, else its id. */
export function profileTitle(profile: Profile): string {
  return profile.label !== undefined && profile.label !== '' ? `${profile.label} (${profile.id})` : profile.id;
}

/** Formats an RFC 3339 time for people. */
export type TimeFormatter = (rfc3339: string) => string;

/** "10:42" today, else the date and time. */
export function clockTime(rfc3339: string, now: Date = new Date()): string {
  const date = new Date(rfc3339);
  if (Number.isNaN(date.getTime())) return rfc3339;
  const hhmm = `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
  return date.toDateString() === now.toDateString() ? hhmm : `${date.toLocaleDateString()} ${hhmm}`;
}

/** "in 3 h", "in 12 min", "3 h ago". */
export function fromNow(rfc3339: string, now: Date = new Date()): string {
  const at = Date.parse(rfc3339);
  if (Number.isNaN(at)) return rfc3339;
  const seconds = Math.round((at - now.getTime()) / 1000);
  const abs = Math.abs(seconds);
  let text: string;
  if (abs < 60) text = `${abs} s`;
  else if (abs < 3600) text = `${Math.round(abs / 60)} min`;
  else if (abs < 86_400 * 2) text = `${Math.round(abs / 3600)} h`;
  else text = `${Math.round(abs / 86_400)} days`;
  return seconds >= 0 ? `in ${text}` : `${text} ago`;
}

export interface ProviderGroup {
  provider: string;
  label: string;
  /** In the provider's order (first tried first); profiles the order does not name follow by id. */
  profiles: Profile[];
}

/** The profiles by provider (in the order the agents list them; others follow by name), each in its order. */
export function groupProfiles(list: ProfilesList, clis: AgentCliStore = NO_AGENTS): ProviderGroup[] {
  const order = clis.providerOrder;
  const providerRank = (provider: string): number => {
    const i = order.indexOf(provider);
    return i < 0 ? order.length : i;
  };
  const byProvider = new Map<string, Profile[]>();
  for (const p of list.profiles) {
    const group = byProvider.get(p.provider) ?? [];
    group.push(p);
    byProvider.set(p.provider, group);
  }
  const providers = [...byProvider.keys()].sort((a, b) => providerRank(a) - providerRank(b) || a.localeCompare(b));
  return providers.map((provider) => {
    const order = list.order[provider] ?? [];
    const rank = (id: string): number => {
      const i = order.indexOf(id);
      return i < 0 ? order.length : i;
    };
    const profiles = [...(byProvider.get(provider) ?? [])].sort((a, b) => rank(a.id) - rank(b.id) || a.id.localeCompare(b.id));
    return { provider, label: clis.providerLabel(provider), profiles };
  });
}

/** The ids of a provider in the order the view shows them. */
export function orderedIds(list: ProfilesList, provider: string): string[] {
  return (
    groupProfiles(list)
      .find((g) => g.provider === provider)
      ?.profiles.map((p) => p.id) ?? []
  );
}

/** The provider's order with `id` moved one place (`-1` up, `1` down); undefined when it cannot move. */
export function moveInOrder(ids: readonly string[], id: string, delta: -1 | 1): string[] | undefined {
  const from = ids.indexOf(id);
  const to = from + delta;
  if (from < 0 || to < 0 || to >= ids.length) return undefined;
  const next = [...ids];
  next[from] = ids[to] ?? id;
  next[to] = id;
  return next;
}

/** The first word of a profile row's description, short enough for the default sidebar width. */
const ROW_WORDS: Record<ProfileStatus, string> = { ...STATUS_WORDS, expiring: 'expiring' };

/** An endpoint's URL as a row shows it: without its scheme ("127.0.0.1:11434"). */
export function shortUrl(url: string): string {
  return url.replace(/^https?:\/\//, '').replace(/\/+$/, '');
}

/**
 * The short words after a profile's name, the status word first: "ok", "expiring in 4 h",
 * "expired 2 h ago", "cooling down until 10:42", "ok · expires in 1 h", then an endpoint's host.
 * The sidecar's sentence about it (`detail`) is the tooltip's: a row cut at the default sidebar
 * width still says what matters.
 */
export function profileDescription(profile: Profile, now: Date = new Date()): string {
  const parts: string[] = [];
  if (profile.status === 'cooldown' && profile.cooldownUntil !== undefined) parts.push(`cooling down until ${clockTime(profile.cooldownUntil, now)}`);
  else if (profile.status === 'expired' && profile.expiresAt !== undefined) parts.push(`expired ${fromNow(profile.expiresAt, now)}`);
  else if (profile.status === 'expiring' && profile.expiresAt !== undefined) parts.push(`expiring ${fromNow(profile.expiresAt, now)}`);
  else if (profile.status === 'ok' && profile.expiresAt !== undefined) parts.push(`ok · expires ${fromNow(profile.expiresAt, now)}`);
  else parts.push(ROW_WORDS[profile.status]);
  if (profile.baseUrl !== undefined) parts.push(shortUrl(profile.baseUrl));
  return parts.join(' · ');
}

/** A profile's tooltip: everything known about it (never a secret: the sidecar sends none). */
export function profileTooltip(
  profile: Profile,
  active: string | null,
  clis: AgentCliStore = NO_AGENTS,
  formatTime: TimeFormatter = (t) => new Date(t).toLocaleString(),
): string {
  const lines = [profile.id];
  if (profile.label !== undefined && profile.label !== '') lines.push(`Label: ${profile.label}`);
  lines.push(`Provider: ${clis.providerLabel(profile.provider)} · ${profileTypeWords(profile, clis)}`);
  lines.push(`Status: ${statusWords(profile.status)}${profile.detail ? ` (${profile.detail})` : ''}`);
  if (profile.baseUrl !== undefined) lines.push(`URL: ${profile.baseUrl}`);
  if (profile.models !== undefined && profile.models.length > 0) lines.push(`Models: ${profile.models.join(', ')}`);
  if (profile.expiresAt !== undefined) lines.push(`Expires: ${formatTime(profile.expiresAt)}`);
  if (profile.cooldownUntil !== undefined) lines.push(`Cooling down until ${formatTime(profile.cooldownUntil)}`);
  if (profile.lastUsed !== undefined) lines.push(`Last used: ${formatTime(profile.lastUsed)}`);
  if (profile.lastFailure !== undefined) lines.push(`Last failure (${formatTime(profile.lastFailure.at)}): ${profile.lastFailure.message}`);
  if (active === profile.id) lines.push('New runs use this profile.');
  return lines.join('\n');
}

/** Flags of a profile row, as its context value (package.json's menus match them). */
export function profileContextValue(profile: Profile, index: number, count: number, clis: AgentCliStore = NO_AGENTS): string {
  let value: string = ContextValues.profile;
  if (!isBuiltInProfile(profile.id, clis)) value += '.removable';
  if (index > 0) value += '.up';
  if (index < count - 1) value += '.down';
  return value;
}

/** A row of the Account view's profiles part. */
export interface ProfileRow {
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  icon: string;
  iconColor?: string;
  contextValue: string;
  /** The profile's id, for the row's commands. */
  profileId?: string;
  /** The provider, for a provider row's commands. */
  provider?: string;
  /** What clicking the row does. */
  action?: { kind: 'command'; command: string; title: string; arguments?: unknown[] };
  children?: ProfileRow[];
}

/**
 * The agent whose own sign-in a profile's row offers, below it: an agent CLI's own sign-in profile
 * that is not signed in (or expired), other than the default agent's (the Account view's own rows
 * sign that one in).
 */
export function offersSignIn(profile: Profile, clis: AgentCliStore = NO_AGENTS): AgentCli | undefined {
  const owner = clis.ownerOfProfile(profile.id);
  if (owner === undefined || owner === clis.default) return undefined;
  return profile.status === 'missing' || profile.status === 'expired' ? owner : undefined;
}

/** The row below an agent CLI's own profile that signs it in (asked how). */
function cliSignInRow(agent: AgentCli, clis: AgentCliStore): ProfileRow {
  const provider = agent.ownProfile.slice(0, agent.ownProfile.indexOf(':'));
  return {
    id: `profile:${agent.ownProfile}:signIn`,
    label: `Sign in (${agent.label})…`,
    // Whole at the default sidebar width; what it signs in in the tooltip.
    tooltip: `The ${agent.label} CLI's own ${clis.serviceName(provider)} sign-in`,
    icon: 'sign-in',
    contextValue: ContextValues.signIn,
    action: { kind: 'command', command: Commands.signIn, title: 'Sign In', arguments: [{ agent: agent.id }] },
  };
}

/** One row per provider, its profiles below in order. */
export function profileRows(list: ProfilesList, clis: AgentCliStore = NO_AGENTS, now: Date = new Date(), formatTime?: TimeFormatter): ProfileRow[] {
  return groupProfiles(list, clis).map((group) => ({
    id: `provider:${group.provider}`,
    label: group.label,
    description: group.profiles.length === 1 ? '1 profile' : `${group.profiles.length} profiles`,
    icon: clis.providerIcon(group.provider),
    contextValue: ContextValues.provider,
    provider: group.provider,
    children: group.profiles.map((p, i) => {
      const { icon, color } = STATUS_ICONS[p.status];
      const row: ProfileRow = {
        id: `profile:${p.id}`,
        label: list.active === p.id ? `${profileName(p.id)} (new runs)` : profileName(p.id),
        description: profileDescription(p, now),
        tooltip: profileTooltip(p, list.active, clis, formatTime),
        icon,
        contextValue: profileContextValue(p, i, group.profiles.length, clis),
        profileId: p.id,
        provider: p.provider,
      };
      if (color !== undefined) row.iconColor = color;
      const signIn = offersSignIn(p, clis);
      if (signIn !== undefined) row.children = [cliSignInRow(signIn, clis)];
      return row;
    }),
  }));
}

/**
 * Whether the Account view lists profiles: any besides the agents' own sign-ins, or the default
 * agent's once signed in, or another agent's once it is signed in (an agent CLI merely installed
 * does not hide the default agent's "Sign in" welcome).
 */
export function showsProfiles(list: ProfilesList | undefined, signedInRows: boolean, clis: AgentCliStore = NO_AGENTS): boolean {
  if (!list) return false;
  const own = clis.default?.ownProfile ?? CLI_PROFILE_ID;
  return signedInRows || list.profiles.some((p) => p.id !== own && !(clis.isOwnProfile(p.id) && p.status === 'missing'));
}

/** The status-bar tooltip's line about the profile of new runs. */
export function activeProfileLine(list: ProfilesList | undefined): string | undefined {
  if (!list) return undefined;
  return list.active === null ? 'New runs have no usable profile' : `New runs use ${list.active}`;
}

// ---------------------------------------------------------------------------------------------
// Alerts

const ALERTED: ReadonlySet<ProfileStatus> = new Set<ProfileStatus>(['expiring', 'expired']);

/** Expiring and expired profiles raise one notification each per id and status, once per session. */
export class ExpiryAlerts {
  private readonly seen = new Set<string>();

  /** The profiles to tell about now. */
  check(list: ProfilesList): Profile[] {
    const due: Profile[] = [];
    for (const p of list.profiles) {
      if (!ALERTED.has(p.status)) continue;
      const key = `${p.id}\n${p.status}`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      due.push(p);
    }
    return due;
  }
}

/** The notification's words for an expiring or expired profile. */
export function expiryMessage(profile: Profile, clis: AgentCliStore = NO_AGENTS, now: Date = new Date()): string {
  const when = profile.expiresAt === undefined ? '' : ` (${profile.status === 'expired' ? 'expired' : 'expires'} ${fromNow(profile.expiresAt, now)})`;
  const what = profile.status === 'expired' ? 'has expired' : 'expires soon';
  // A sign-in (Grove's own, or an agent CLI's) is renewed by signing in again.
  const signIn = clis.isOwnProfile(profile.id) || clis.kindFor(profile.provider, profile.type)?.signIn !== undefined;
  const fix = signIn ? 'Sign in again' : 'Replace it';
  return `Grove: the ${profileTypeWords(profile, clis)} of profile ${profile.id} ${what}${when}. ${fix} to keep agents running with it.`;
}

/** The one-time import offer; undefined when there is nothing to import or it was offered before. */
export function importOffer(list: ProfilesList, alreadyOffered: boolean): string | undefined {
  const n = list.importable.length;
  if (alreadyOffered || n === 0) return undefined;
  return `Import ${n} profile${n === 1 ? '' : 's'} from CoderClaw/OpenClaw?`;
}

/** What an import did, in words: each skipped profile with why (a sidecar that gives no reasons: "Grove has them already"). */
export function importResult(imported: readonly string[], skipped: readonly string[], reasons: Readonly<Record<string, string>> = {}): string {
  const parts = [imported.length === 0 ? 'Grove imported no profiles' : `Grove imported ${imported.join(', ')}`];
  const why = (id: string): string | undefined => reasons[id]?.replace(/\.$/, '');
  if (skipped.length > 0 && skipped.every((id) => why(id) === undefined)) parts.push(`skipped ${skipped.join(', ')} (Grove has them already)`);
  else if (skipped.length > 0) parts.push(`skipped ${skipped.map((id) => (why(id) === undefined ? id : `${id} (${why(id)})`)).join(', ')}`);
  return `${parts.join('; ')}.`;
}

// ---------------------------------------------------------------------------------------------
// Quick picks

export interface ProfilePick {
  label: string;
  description: string;
  /** null: none (the provider order). */
  profile: string | null;
}

export const NO_PROFILE_LABEL = 'None (provider order)';

/** Whether runs may be given this profile: not an entry Grove cannot run. */
function runnable(profile: Profile): boolean {
  return profile.status !== 'unusable';
}

/** Set Workspace Default Profile's choices: none first, then every profile; the current one marked. */
export function workspaceProfilePicks(list: ProfilesList, current: string | undefined, clis: AgentCliStore = NO_AGENTS): ProfilePick[] {
  const picks: ProfilePick[] = [{ label: NO_PROFILE_LABEL, description: current === undefined ? 'current' : 'the first usable profile', profile: null }];
  for (const group of groupProfiles(list, clis)) {
    for (const p of group.profiles.filter(runnable)) {
      const now = p.id === current ? 'current · ' : '';
      picks.push({ label: p.id, description: `${now}${group.label} · ${statusWords(p.status)}`, profile: p.id });
    }
  }
  return picks;
}

/** Quick-pick rows for choosing one profile (Check, Remove from the palette). */
export function profilePicks(
  list: ProfilesList,
  filter: (p: Profile) => boolean = () => true,
  clis: AgentCliStore = NO_AGENTS,
): { label: string; description: string; detail?: string; id: string }[] {
  return groupProfiles(list, clis).flatMap((g) =>
    g.profiles
      .filter(filter)
      .map((p) => ({ label: p.id, description: `${g.label} · ${profileDescription(p)}`, ...(p.detail !== undefined && { detail: p.detail }), id: p.id })),
  );
}

/** A profile's id from a command argument: a row, `{profileId}`, or the id itself. */
export function profileIdFromArg(arg: unknown): string | undefined {
  if (typeof arg === 'string' && arg.includes(':')) return arg;
  if (typeof arg !== 'object' || arg === null) return undefined;
  const id = (arg as Record<string, unknown>).profileId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** The provider of a command argument: a provider row or `{provider}`. */
export function providerFromArg(arg: unknown): string | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const provider = (arg as Record<string, unknown>).provider;
  return typeof provider === 'string' && provider !== '' ? provider : undefined;
}
