// The auth-profiles feature in the editor: keeps the listing current, and runs Add / Check / Remove / Move / Import / Set Workspace Default Profile, the expiry notifications with Replace…, and the one-time import offer.
import * as vscode from 'vscode';
import { Commands, focusViewCommand, Ids, Views } from '../common/commands';
import { errorMessage } from '../common/errors';
import {
  AgentsListRequest,
  ProfileAddRequest,
  ProfileAdoptRequest,
  ProfileCheckRequest,
  ProfileRemoveRequest,
  ProfilesChanged,
  ProfilesDetectRequest,
  ProfileSetOrderRequest,
  ProfilesImportRequest,
  ProfilesInheritedRequest,
  ProfilesListRequest,
  WorkspaceListRequest,
  WorkspaceSetProfileRequest,
  type InheritedKey,
  type Profile,
  type ProfilesList,
  type ProfileType,
} from '../common/protocol';
import type { Sidecar } from '../sidecar/sidecar';
import { workspaceArgument } from '../workspaces/workspaceModel';
import {
  AddFlow,
  addParams,
  cliSignInChoices,
  addRefusal,
  isBuiltInRefusal,
  kindFor,
  suggestedName,
  type AddAnswers,
  type AddKind,
  type AddRefusal,
} from './addProfile';
import { runAddFlow } from './addProfileInput';
import { ProfileStore } from './profileStore';
import { ADD_AS_PROFILE, inheritedDefaultName, inheritedNameProblem, inheritedOffer, keysToOffer, NOT_NOW } from './inheritedKeysModel';
import type { AgentCliStore } from '../agentClis/agentCliStore';
import {
  expiryMessage,
  isBuiltInProfile,
  ExpiryAlerts,
  importOffer,
  importResult,
  moveInOrder,
  orderedIds,
  profileIdFromArg,
  profileName,
  profilePicks,
  providerFromArg,
  workspaceProfilePicks,
} from './profilesModel';

const REPLACE = 'Replace…';

/** What Replace… (or a provider row's Add) presets in the add flow. */
interface AddPreset {
  provider: string;
  type?: ProfileType;
  name?: string;
}

export class Profiles implements vscode.Disposable {
  readonly store = new ProfileStore();
  private readonly alerts = new ExpiryAlerts();
  private readonly disposables: { dispose(): unknown }[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly sidecar: Sidecar,
    private readonly output: vscode.OutputChannel,
    /** The agent CLIs (`grove/agents/list`): the kinds Add Profile offers, provider names, own sign-ins. */
    private readonly clis: AgentCliStore,
  ) {
    sidecar.onNotification(ProfilesChanged, (list) => {
      this.store.changed(list);
    });
    this.disposables.push(
      sidecar.onDidStart(() => {
        void this.load();
        void this.offerInherited();
      }),
      this.store.onDidChange((list) => {
        this.listed(list);
      }),
      vscode.commands.registerCommand(Commands.addProfile, (arg: unknown) => this.guard(() => this.add(presetFromArg(arg, this.clis.profileKinds)))),
      vscode.commands.registerCommand(Commands.checkProfile, (arg: unknown) => this.guard(() => this.check(arg))),
      vscode.commands.registerCommand(Commands.removeProfile, (arg: unknown) => this.guard(() => this.remove(arg))),
      vscode.commands.registerCommand(Commands.moveProfileUp, (arg: unknown) => this.guard(() => this.move(arg, -1))),
      vscode.commands.registerCommand(Commands.moveProfileDown, (arg: unknown) => this.guard(() => this.move(arg, 1))),
      vscode.commands.registerCommand(Commands.importProfiles, () => this.guard(() => this.import())),
      vscode.commands.registerCommand(Commands.setWorkspaceProfile, (arg: unknown) => this.guard(() => this.setWorkspaceProfile(arg))),
    );
  }

  /** Reads the listing (at start and after every restart of the sidecar). */
  private async load(): Promise<void> {
    try {
      await this.store.load(() => this.sidecar.sendRequest(ProfilesListRequest, {}));
    } catch (error) {
      this.log(`profiles list: ${errorMessage(error)}`);
    }
  }

  /** The listing, asked for when none has arrived yet. */
  private async current(): Promise<ProfilesList> {
    if (!this.store.list) await this.store.load(() => this.sidecar.sendRequest(ProfilesListRequest, {}));
    const list = this.store.list;
    if (!list) throw new Error('Grove could not read the profiles.');
    return list;
  }

  /** Every new listing: expiry alerts, once per profile and status, and the one-time import offer. */
  private listed(list: ProfilesList): void {
    for (const profile of this.alerts.check(list)) void this.alertExpiry(profile);
    const offer = importOffer(list, this.context.globalState.get<boolean>(Ids.importOffered) === true);
    if (offer !== undefined) void this.offerImport(offer);
  }

  private async alertExpiry(profile: Profile): Promise<void> {
    this.log(`profile ${profile.id} is ${profile.status}`);
    const kind = kindFor(this.clis.profileKinds, profile.provider, profile.type);
    const signIn = 'Sign In';
    // A sign-in (Grove's own, or an agent CLI's) is renewed by signing in again.
    const owner = this.clis.ownerOfProfile(profile.id);
    const actions = kind?.signIn !== undefined || owner !== undefined ? [signIn] : kind !== undefined ? [REPLACE] : [];
    const show = profile.status === 'expired' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
    const choice = await show(expiryMessage(profile, this.clis), ...actions);
    const again = { provider: profile.provider, type: profile.type, name: profileName(profile.id) };
    if (choice === REPLACE || (choice === signIn && kind?.signIn !== undefined)) await this.guard(() => this.add(again));
    else if (choice === signIn && owner !== undefined && owner !== this.clis.default)
      await vscode.commands.executeCommand(Commands.signIn, { agent: owner.id });
    else if (choice === signIn) await vscode.commands.executeCommand(Commands.signIn);
  }

  private async offerImport(message: string): Promise<void> {
    await this.context.globalState.update(Ids.importOffered, true);
    const importLabel = 'Import';
    const choice = await vscode.window.showInformationMessage(message, importLabel, 'Not Now');
    if (choice === importLabel) await this.guard(() => this.import());
  }

  // -------------------------------------------------------------------------------------------
  // Inherited keys: each variable offered once, ever

  /** Asks the sidecar which API keys it inherited (names only) and offers each one not offered before as a profile. */
  private async offerInherited(): Promise<void> {
    let keys: InheritedKey[];
    try {
      ({ keys } = await this.sidecar.sendRequest(ProfilesInheritedRequest, {}));
    } catch (error) {
      this.log(`profiles inherited: ${errorMessage(error)}`);
      return;
    }
    const offered = this.context.globalState.get<string[]>(Ids.inheritedOffered) ?? [];
    const due = keysToOffer(keys, offered);
    if (due.length === 0) return;
    // Offered counts whatever the answer (Not Now, or the notification dismissed).
    await this.context.globalState.update(Ids.inheritedOffered, [...offered, ...due.map((k) => k.variable)]);
    const kinds = await this.kinds();
    for (const key of due) void this.offerKey(key, inheritedOffer(key, kinds));
  }

  private async offerKey(key: InheritedKey, message: string): Promise<void> {
    this.log(`${key.variable} is inherited: offering it as a ${key.provider} profile`);
    const choice = await vscode.window.showInformationMessage(message, ADD_AS_PROFILE, NOT_NOW);
    if (choice !== ADD_AS_PROFILE) return;
    await this.guard(async () => {
      const taken = (await this.current().catch(() => undefined))?.profiles.map((p) => p.id) ?? [];
      const reserved = this.clis.ownProfileNames;
      const name = await vscode.window.showInputBox({
        title: `Add ${key.variable} as a profile`,
        prompt: `The name of the ${this.clis.providerLabel(key.provider)} profile (${key.provider}:<name>). Grove stores the key itself; it is never shown or logged.`,
        value: inheritedDefaultName(key.provider, taken),
        ignoreFocusOut: true,
        validateInput: (typed) => inheritedNameProblem(typed, key.provider, taken, reserved),
      });
      if (name === undefined) return;
      const profile = await this.sidecar.sendRequest(ProfileAdoptRequest, { variable: key.variable, name: name.trim() });
      this.log(`added profile ${profile.id} from ${key.variable} (${profile.status})`);
      vscode.window.setStatusBarMessage(`$(check) Grove: added profile ${profile.id}`, 5000);
      await vscode.commands.executeCommand(focusViewCommand(Views.account));
    });
  }

  // -------------------------------------------------------------------------------------------
  // Add Profile…

  private async add(preset: AddPreset | undefined): Promise<void> {
    const list = await this.current().catch(() => undefined);
    const taken = list?.profiles.map((p) => p.id) ?? [];
    for (;;) {
      const picked = await this.pickKind(preset);
      if (!picked) return;
      const { kind, offered } = picked;
      const backToKind = offered > 1;
      if (kind.signIn !== undefined) {
        if ((await this.signIn(kind, preset, taken, backToKind)) === 'kind') continue;
        return;
      }
      const answers: AddAnswers = {
        name: preset?.name ?? suggestedName(kind.provider, taken),
        secret: '',
        baseUrl: kind.askUrl ? await this.detectedUrl(kind) : '',
      };
      const flow = new AddFlow(kind, answers, { verb: preset?.name === undefined ? 'Add' : 'Replace', taken, backToKind, reserved: this.clis.ownProfileNames });
      const ended = await runAddFlow(flow, () => this.send(flow)).finally(() => {
        flow.forget();
      });
      if (ended.end === 'kind') continue;
      if (ended.end === 'refused') void vscode.window.showErrorMessage(`Grove: ${ended.refusal.message}`);
      return;
    }
  }

  /** The kind to add, and how many kinds were offered (Back goes to the choice only when there was one). */
  private async pickKind(preset: AddPreset | undefined): Promise<{ kind: AddKind; offered: number } | undefined> {
    const all = await this.kinds();
    if (preset?.type !== undefined) {
      const kind = kindFor(all, preset.provider, preset.type);
      if (!kind) void vscode.window.showErrorMessage(`Grove cannot add a ${preset.type} profile for ${this.clis.providerLabel(preset.provider)}.`);
      return kind && { kind, offered: 1 };
    }
    const provided = preset ? all.filter((k) => k.provider === preset.provider) : all;
    const kinds = provided.length > 0 ? provided : all;
    if (kinds.length === 0) {
      void vscode.window.showErrorMessage('Grove: the sidecar has not said which agent CLIs it runs yet; try again in a moment.');
      return undefined;
    }
    if (kinds.length === 1 && kinds[0] !== undefined) return { kind: kinds[0], offered: 1 };
    const picked = await vscode.window.showQuickPick(
      kinds.map((k) => ({ label: k.label, detail: k.detail, addKind: k })),
      { title: 'Add Profile', placeHolder: 'Which kind of credential?', matchOnDetail: true },
    );
    return picked && { kind: picked.addKind, offered: kinds.length };
  }

  /** Every agent's kinds (`grove/agents/list`), asked for when the sidecar has not answered yet. */
  private async kinds(): Promise<readonly AddKind[]> {
    if (this.clis.list === undefined) {
      await this.clis
        .load(() => this.sidecar.sendRequest(AgentsListRequest, {}))
        .catch((error: unknown) => {
          this.log(`agents list: ${errorMessage(error)}`);
        });
    }
    return this.clis.profileKinds;
  }

  /**
   * A profile that signing in adds: Grove's own sign-in (`signIn: "grove"`) asks the profile's name
   * (unless signing in again), an agent CLI's own sign-in (`signIn: "cli"`) asks how; then the
   * Account feature runs the sign-in ("Grove: Sign In" with `{agent, provider?, profile?, device?}`),
   * its progress, paste box and outcome.
   */
  private async signIn(kind: AddKind, preset: AddPreset | undefined, taken: readonly string[], backToKind: boolean): Promise<'kind' | undefined> {
    const agent = this.clis.agentOfKind(kind);
    if (agent === undefined) {
      void vscode.window.showErrorMessage(`Grove knows no agent CLI that signs in to ${this.clis.providerLabel(kind.provider)}.`);
      return undefined;
    }
    if (kind.signIn === 'cli') {
      const choices = cliSignInChoices(agent, vscode.env.remoteName !== undefined);
      const picked =
        choices.length === 1
          ? choices[0]
          : await vscode.window.showQuickPick(choices, { title: `Sign in the ${agent.label} CLI`, placeHolder: 'How do you sign in?' });
      if (!picked) return undefined;
      this.log(`signing in the ${agent.label} CLI (its own sign-in${picked.device ? ', with a device code' : ''})`);
      await vscode.commands.executeCommand(Commands.signIn, { agent: agent.id, device: picked.device });
      return undefined;
    }
    const answers: AddAnswers = { name: preset?.name ?? suggestedName(kind.provider, taken), secret: '', baseUrl: '' };
    if (preset?.name === undefined) {
      const ended = await runAddFlow(new AddFlow(kind, answers, { verb: 'Add', taken, backToKind, reserved: this.clis.ownProfileNames }));
      if (ended.end === 'kind') return 'kind';
      if (ended.end !== 'done') return undefined;
    }
    const name = addParams(kind, answers).name;
    this.log(`signing in to ${this.clis.serviceName(kind.provider)} for ${kind.provider}:${name}`);
    await vscode.commands.executeCommand(Commands.signIn, { agent: agent.id, provider: kind.provider, profile: name });
    return undefined;
  }

  /** The URL a local server answers on (`grove/profiles/detect`), else the kind's default. */
  private async detectedUrl(kind: AddKind): Promise<string> {
    // Only a kind with a default URL is a local server that may answer elsewhere.
    const fallback = kind.defaultUrl ?? '';
    if (kind.type !== 'endpoint' || kind.defaultUrl === undefined) return fallback;
    try {
      const { endpoints } = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Looking for ${kind.label}…` }, () =>
        this.sidecar.sendRequest(ProfilesDetectRequest, {}),
      );
      return endpoints.find((e) => e.provider === kind.provider)?.baseUrl ?? fallback;
    } catch (error) {
      this.log(`profiles detect: ${errorMessage(error)}`);
      return fallback;
    }
  }

  /** `grove/profiles/add` for the flow's answers; undefined when it was added, else why not (the secret never logged). */
  private async send(flow: AddFlow): Promise<AddRefusal | undefined> {
    const params = flow.params();
    const id = `${params.provider}:${params.name}`;
    try {
      const profile = await this.sidecar.sendRequest(ProfileAddRequest, params);
      this.log(`added profile ${profile.id} (${profile.status})`);
      vscode.window.setStatusBarMessage(`$(check) Grove: added profile ${profile.id}`, 5000);
      await vscode.commands.executeCommand(focusViewCommand(Views.account));
      return undefined;
    } catch (error) {
      const refusal = addRefusal(error);
      this.log(`adding profile ${id} failed${refusal.reason === undefined ? '' : ` (${refusal.reason})`}: ${refusal.message}`);
      return refusal;
    }
  }

  // -------------------------------------------------------------------------------------------
  // Check, Remove, Move, Import

  /** The profile a command is about: its row, else a quick pick. */
  private async profileOf(arg: unknown, placeHolder: string, filter?: (p: Profile) => boolean): Promise<string | undefined> {
    const fromArg = profileIdFromArg(arg);
    if (fromArg !== undefined) return fromArg;
    const picks = profilePicks(await this.current(), filter, this.clis);
    const picked = await vscode.window.showQuickPick(picks, { title: 'Grove profiles', placeHolder });
    return picked?.id;
  }

  private async check(arg: unknown): Promise<void> {
    const id = await this.profileOf(arg, 'Check which profile?');
    if (id === undefined) return;
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Checking ${id}: one small request…` }, () =>
      this.sidecar.sendRequest(ProfileCheckRequest, { id }),
    );
    this.log(`check of ${id}: ${result.ok ? 'ok' : 'failed'}: ${result.message}`);
    if (result.ok) void vscode.window.showInformationMessage(`Profile ${id} works${result.message ? `: ${result.message}` : '.'}`);
    else void vscode.window.showWarningMessage(`Profile ${id} does not work: ${result.message}`);
  }

  private async remove(arg: unknown): Promise<void> {
    const id = await this.profileOf(arg, 'Remove which profile?', (p) => !isBuiltInProfile(p.id, this.clis));
    if (id === undefined) return;
    const remove = 'Remove';
    const choice = await vscode.window.showWarningMessage(
      `Remove the profile ${id}?`,
      { modal: true, detail: 'Grove forgets it and its secret. Runs that name it, and workspaces that use it by default, fall back to the provider order.' },
      remove,
    );
    if (choice !== remove) return;
    try {
      await this.sidecar.sendRequest(ProfileRemoveRequest, { id });
      this.log(`removed profile ${id}`);
    } catch (error) {
      if (isBuiltInRefusal(error)) {
        const owner = this.clis.ownerOfProfile(id);
        const label = owner?.label ?? 'the agent';
        const how =
          owner === undefined || owner === this.clis.default
            ? `${owner === undefined ? 'an agent CLI' : `the ${label} CLI`}'s own sign-in: it cannot be removed (use Sign Out instead)`
            : `the ${label} CLI's own sign-in: it cannot be removed (sign it out with the ${label} CLI in a terminal instead)`;
        void vscode.window.showInformationMessage(`${id} is ${how}.`);
        return;
      }
      throw error;
    }
  }

  private async move(arg: unknown, delta: -1 | 1): Promise<void> {
    const id = profileIdFromArg(arg);
    if (id === undefined) return;
    const list = await this.current();
    const provider = list.profiles.find((p) => p.id === id)?.provider;
    if (provider === undefined) return;
    const ids = moveInOrder(orderedIds(list, provider), id, delta);
    if (!ids) return;
    await this.sidecar.sendRequest(ProfileSetOrderRequest, { provider, ids });
  }

  private async import(): Promise<void> {
    const { imported, skipped, reasons } = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Importing profiles from CoderClaw/OpenClaw…' },
      () => this.sidecar.sendRequest(ProfilesImportRequest, {}),
    );
    const message = importResult(imported, skipped, reasons);
    this.log(message);
    void vscode.window.showInformationMessage(message);
  }

  // -------------------------------------------------------------------------------------------
  // Set Workspace Default Profile…

  private async setWorkspaceProfile(arg: unknown): Promise<void> {
    const { workspaces } = await this.sidecar.sendRequest(WorkspaceListRequest, {});
    let id = workspaceArgument(arg) ?? (typeof arg === 'string' ? arg : undefined);
    if (id === undefined) {
      const picked = await vscode.window.showQuickPick(
        workspaces.map((w) => ({ label: w.name, description: w.profile ?? 'provider order', id: w.id })),
        { placeHolder: 'Set the default profile of which workspace?' },
      );
      id = picked?.id;
    }
    const ws = workspaces.find((w) => w.id === id);
    if (!ws) return;
    const picked = await vscode.window.showQuickPick(workspaceProfilePicks(await this.current(), ws.profile, this.clis), {
      title: `Default profile of ${ws.name}`,
      placeHolder: 'Runs in this workspace that name no profile use…',
    });
    if (!picked) return;
    const updated = await this.sidecar.sendRequest(WorkspaceSetProfileRequest, { id: ws.id, profile: picked.profile });
    this.log(`workspace ${ws.name}: default profile ${updated.profile ?? 'none (provider order)'}`);
    vscode.window.setStatusBarMessage(`$(check) ${ws.name}: ${updated.profile ?? 'provider order'}`, 5000);
  }

  /** Runs a command's work; failures become an error message (the sidecar's words, never a secret). */
  private async guard(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.log(`profile command failed: ${errorMessage(error)}`);
      void vscode.window.showErrorMessage(`Grove: ${errorMessage(error)}`);
    }
  }

  private log(line: string): void {
    this.output.appendLine(`[grove ${new Date().toLocaleTimeString()}] profiles: ${line}`);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** Add Profile's argument: a provider row presets the provider; `{provider, type, name}` is Replace…. */
function presetFromArg(arg: unknown, kinds: readonly AddKind[]): AddPreset | undefined {
  const provider = providerFromArg(arg);
  if (provider === undefined) return undefined;
  const record = arg as Record<string, unknown>;
  const preset: AddPreset = { provider };
  if (typeof record.type === 'string' && kinds.some((k) => k.type === record.type)) preset.type = record.type as ProfileType;
  if (typeof record.name === 'string' && record.name !== '' && preset.type !== undefined) preset.name = record.name;
  return preset;
}
