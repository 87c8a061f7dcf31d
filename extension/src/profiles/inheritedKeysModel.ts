// The one-time offer of an API key VS Code's environment holds (`grove/profiles/inherited`): which keys to offer (each variable once, ever), the offer's words with its kind's label from the registry, and the profile name asked for; no vscode import.
import type { InheritedKey, ProfileKind } from '../common/protocol';
import { checkName, rustTrim } from './profileInputModel';

/** The name a profile added from an inherited key is offered under. */
export const INHERITED_PROFILE_NAME = 'env';

export const ADD_AS_PROFILE = 'Add as Profile';
export const NOT_NOW = 'Not Now';

/** The keys to offer now: each variable once (the first key naming it), and none offered before (`offered`: the variables offered, whatever the answer was). */
export function keysToOffer(keys: readonly InheritedKey[], offered: readonly string[]): InheritedKey[] {
  const seen = new Set(offered);
  const out: InheritedKey[] = [];
  for (const key of keys) {
    if (seen.has(key.variable)) continue;
    seen.add(key.variable);
    out.push(key);
  }
  return out;
}

/** The offer's words: the variable, that no agent gets it, and the kind of profile it would make (its label from the agents' kinds, else its id). */
export function inheritedOffer(key: Pick<InheritedKey, 'variable' | 'kind'>, kinds: readonly Pick<ProfileKind, 'id' | 'label'>[]): string {
  const label = kinds.find((k) => k.id === key.kind)?.label ?? key.kind;
  return `${key.variable} is set in VS Code's environment. Grove never passes inherited keys to agents; add it as a "${label}" profile?`;
}

/** The name box's problem with a typed name, in words (the sidecar's name rules, an agent's own sign-in's name, or a profile of that provider already named so); undefined when it is fine. */
export function inheritedNameProblem(typed: string, provider: string, taken: readonly string[], reserved: readonly string[]): string | undefined {
  const problem = checkName(typed, reserved);
  if (problem !== undefined) return problem.message;
  const id = `${provider}:${rustTrim(typed)}`;
  return taken.includes(id) ? `There is a profile ${id} already: choose another name.` : undefined;
}

/** The name the box starts with: "env", or "env-2", "env-3", … when the provider has one by that name. */
export function inheritedDefaultName(provider: string, taken: readonly string[]): string {
  const ids = new Set(taken);
  if (!ids.has(`${provider}:${INHERITED_PROFILE_NAME}`)) return INHERITED_PROFILE_NAME;
  for (let n = 2; ; n++) if (!ids.has(`${provider}:${INHERITED_PROFILE_NAME}-${n}`)) return `${INHERITED_PROFILE_NAME}-${n}`;
}
