// The agent CLIs the sidecar has (`grove/agents/list` at start, then every `grove/agents/changed`), looked up by id, provider or profile, and who is told when they change; no vscode import.
import type { AgentCli, Profile, ProfileKind, ProfileType } from '../common/protocol';

type Listener = (agents: readonly AgentCli[]) => void;

/**
 * Holds the latest list. A notification that arrives while a list request is pending wins over
 * the request's answer, which may have been computed before the change the notification reports.
 */
export class AgentCliStore {
  private current: readonly AgentCli[] | undefined;
  private readonly listeners = new Set<Listener>();
  private notifications = 0;

  /** A store that starts with `agents` (tests, and a list known beforehand). */
  constructor(agents?: readonly AgentCli[]) {
    this.current = agents;
  }

  /** Undefined until the sidecar answered once. */
  get list(): readonly AgentCli[] | undefined {
    return this.current;
  }

  /** Every agent, the default first; empty until the sidecar answered. */
  get all(): readonly AgentCli[] {
    return this.current ?? [];
  }

  /** The agents whose binary was found. */
  get found(): readonly AgentCli[] {
    return this.all.filter((a) => a.found);
  }

  /** The default agent (the sidecar lists it first). */
  get default(): AgentCli | undefined {
    return this.all[0];
  }

  get(id: string | undefined): AgentCli | undefined {
    return id === undefined ? undefined : this.all.find((a) => a.id === id);
  }

  /** The agent that runs profiles of `provider` (the first that lists it). */
  forProvider(provider: string | undefined): AgentCli | undefined {
    return provider === undefined ? undefined : this.all.find((a) => a.providers.includes(provider));
  }

  /** The agents that can run a profile (its `agents`, else by its provider). */
  forProfile(profile: Pick<Profile, 'provider' | 'agents'>): AgentCli[] {
    const ids = profile.agents.length > 0 ? profile.agents : this.all.filter((a) => a.providers.includes(profile.provider)).map((a) => a.id);
    return this.all.filter((a) => ids.includes(a.id));
  }

  /** Whether `id` is some agent's own sign-in profile (listed by Grove, never removed). */
  isOwnProfile(id: string): boolean {
    return this.all.some((a) => a.ownProfile === id);
  }

  /** The agent whose own sign-in `profileId` is. */
  ownerOfProfile(profileId: string): AgentCli | undefined {
    return this.all.find((a) => a.ownProfile === profileId);
  }

  /** The names (`<provider>:<name>`'s name) of every agent's own sign-in profile: no profile Grove adds may take one. */
  get ownProfileNames(): string[] {
    return this.all.map((a) => a.ownProfile.slice(a.ownProfile.indexOf(':') + 1));
  }

  /** Every agent's profile kinds, in the agents' order. */
  get profileKinds(): ProfileKind[] {
    return this.all.flatMap((a) => a.profileKinds);
  }

  /** The kind that adds (or replaces) a profile of this provider and type. */
  kindFor(provider: string, type: ProfileType): ProfileKind | undefined {
    return this.profileKinds.find((k) => k.provider === provider && k.type === type);
  }

  /** The agent whose sign-in adds a kind of profile: the one whose providers hold the kind's provider. */
  agentOfKind(kind: Pick<ProfileKind, 'provider'>): AgentCli | undefined {
    return this.forProvider(kind.provider) ?? this.all.find((a) => a.ownProfile.startsWith(`${kind.provider}:`));
  }

  /** What is signed in to with a provider's credentials, for people: its label without the agent in brackets ("Service (Agent)" → "Service"). */
  serviceName(provider: string): string {
    return serviceName(this.providerLabel(provider));
  }

  /** A provider row's codicon (from the agent that runs it). */
  providerIcon(provider: string): string {
    return this.providerInfo(provider)?.icon ?? 'server-environment';
  }

  /** A provider's name for people, from the agent that runs it; an unknown provider keeps its name. */
  providerLabel(provider: string): string {
    return this.providerInfo(provider)?.label ?? provider;
  }

  providerInfo(provider: string): { id: string; label: string; icon: string } | undefined {
    for (const a of this.all) {
      const p = a.providerInfo.find((x) => x.id === provider);
      if (p) return p;
    }
    return undefined;
  }

  /** Providers in the order the agents list them. */
  get providerOrder(): string[] {
    return this.all.flatMap((a) => a.providers);
  }

  /** Asks for the list; a failure leaves the last one in place and is rethrown. */
  async load(request: () => Promise<{ agents: AgentCli[] }>): Promise<void> {
    const seen = this.notifications;
    const answer = await request();
    if (this.notifications === seen) this.set(answer.agents);
  }

  /** A `grove/agents/changed` notification. */
  changed(agents: readonly AgentCli[]): void {
    this.notifications++;
    this.set(agents);
  }

  /** Registers a listener; the returned object unregisters it. */
  onDidChange(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private set(agents: readonly AgentCli[]): void {
    this.current = agents;
    for (const listener of this.listeners) listener(agents);
  }
}

/** A provider's label without a trailing part in brackets: "Service (Agent)" → "Service", "Anthropic" as it is. */
export function serviceName(providerLabel: string): string {
  const cut = providerLabel.replace(/\s*\([^()]*\)$/, '').trim();
  return cut === '' ? providerLabel : cut;
}
