// The Add Profile flow without vscode: the kinds of credential offered, their defaults, its steps (each checked as the user types, by the sidecar's rules in profileInputModel), Back, and a refused `grove/profiles/add` brought back to the step that owns the field, its value kept.
import { sidecarError } from '../common/errors';
import { isRecord } from '../common/json';
import { ErrorCodes, type AgentCli, type ProfileAddParams, type ProfileKind, type ProfileType } from '../common/protocol';
import { checkBaseUrl, checkEndpointUrl, checkName, checkSecret, rustTrim, type InputProblem } from './profileInputModel';

/**
 * A kind of credential Add Profile offers: the sidecar's `ProfileKind` (`grove/agents/list`'s
 * `profileKinds`, every agent's in the agents' order); a kind with `signIn` is added by signing in
 * instead of `grove/profiles/add` (Grove's own sign-in into a profile, its name asked first, or
 * the agent CLI's own).
 */
export type AddKind = ProfileKind;

/** The kind of `kinds` that adds (or replaces) a profile of this provider and type. */
export function kindFor(kinds: readonly AddKind[], provider: string, type: ProfileType): AddKind | undefined {
  return kinds.find((k) => k.provider === provider && k.type === type);
}

export const DEFAULT_PROFILE_NAME = 'default';

/** The name to suggest: "default", else "default-2", … (a name taken would replace that profile). */
export function suggestedName(provider: string, taken: readonly string[]): string {
  const ids = new Set(taken);
  if (!ids.has(`${provider}:${DEFAULT_PROFILE_NAME}`)) return DEFAULT_PROFILE_NAME;
  for (let n = 2; ; n++) if (!ids.has(`${provider}:${DEFAULT_PROFILE_NAME}-${n}`)) return `${DEFAULT_PROFILE_NAME}-${n}`;
}

/** One way to run an agent CLI's own sign-in. */
export interface CliSignInChoice {
  label: string;
  detail: string;
  /** With a one-time code typed on a page anywhere (`grove/auth/login`'s method "device"). */
  device: boolean;
}

/**
 * The ways to run an agent CLI's own sign-in, from its `signIn.methods` ("browser", "deviceCode"),
 * in the order offered (a remote window puts the device code first); a CLI that names neither is
 * signed in in the browser.
 */
export function cliSignInChoices(agent: Pick<AgentCli, 'label' | 'signIn'>, remote: boolean): CliSignInChoice[] {
  const cli = `the ${agent.label} CLI`;
  const browser = {
    label: 'In the browser',
    detail: `${capitalize(cli)} opens a page and waits on this machine for it: for a browser on the machine ${cli} runs on.`,
    device: false,
  };
  const device = {
    label: 'With a one-time code (device code)',
    detail: `Open a page anywhere and type the code ${cli} shows: for remote machines (SSH, containers, Codespaces).`,
    device: true,
  };
  const methods = agent.signIn.methods;
  const offered = [...(methods.includes('browser') ? [browser] : []), ...(methods.includes('deviceCode') ? [device] : [])];
  if (offered.length === 0) return [browser];
  return remote ? [...offered].sort((a, b) => Number(b.device) - Number(a.device)) : offered;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** What the flow collected. */
export interface AddAnswers {
  name: string;
  secret: string;
  baseUrl: string;
}

/** `grove/profiles/add`'s params for the answers (an empty optional secret is left out). */
export function addParams(kind: AddKind, answers: AddAnswers): ProfileAddParams {
  const params: ProfileAddParams = { provider: kind.provider, name: rustTrim(answers.name), type: kind.type };
  if (kind.secret !== 'none' && answers.secret !== '') params.secret = answers.secret;
  if (kind.askUrl && rustTrim(answers.baseUrl) !== '') params.baseUrl = rustTrim(answers.baseUrl);
  return params;
}

/** The step of the flow a refusal points at. */
export type AddStep = 'secret' | 'url' | 'name' | 'kind';

const REASON_STEPS: Record<string, AddStep> = {
  codeState: 'secret',
  wrongPrefix: 'secret',
  tooShort: 'secret',
  tooLong: 'secret',
  badCharacters: 'secret',
  badSecret: 'secret',
  notApiKey: 'secret',
  missingSecret: 'secret',
  badUrl: 'url',
  unreachable: 'url',
  redirected: 'url',
  badName: 'name',
  unknownProvider: 'kind',
  badType: 'kind',
};

/** Fallback words per reason, for a refusal that came without a message. */
const REASON_WORDS: Record<string, string> = {
  codeState: 'That looks like a sign-in code (code#state), not a setup token: run `claude setup-token` and paste the token it prints.',
  wrongPrefix: 'That is not a setup token: it should start with sk-ant-oat01-.',
  tooShort: 'That token is too short: it was probably cut off when copied.',
  tooLong: 'That is too long: a token or key is at most 16 KiB. Copy it alone.',
  badCharacters: 'That token holds characters a setup token never has: copy it again.',
  badSecret: 'That key holds spaces, line breaks or control characters: copy it again, whole.',
  redirected: 'That URL redirected to another address, where Grove sends no key: use the address it redirects to, if you trust it.',
  badLabel: 'A label is at most 200 characters, without line breaks or invisible characters.',
  notApiKey: 'That is not an Anthropic API key: it should start with sk-ant-api.',
  missingSecret: 'This kind of profile needs a key.',
  badUrl: 'That URL will not do: use http:// or https://.',
  unreachable: 'Nothing answered at that URL.',
  badName: 'That profile name will not do.',
  unknownProvider: 'Grove does not know that provider.',
  badType: 'That provider has no such kind of profile.',
};

export interface AddRefusal {
  /** For people, as the sidecar said it (it never holds the secret). */
  message: string;
  /** The step to ask again; undefined when asking again would not help. */
  step: AddStep | undefined;
  reason: string | undefined;
}

/** A failed `grove/profiles/add`: its message and the step to ask again. */
export function addRefusal(error: unknown): AddRefusal {
  const { code, message, data } = sidecarError(error);
  const reason = isRecord(data) && typeof data.reason === 'string' ? data.reason : undefined;
  if (code !== ErrorCodes.InvalidParams || reason === undefined) return { message, step: undefined, reason };
  const words = message.trim() === '' ? (REASON_WORDS[reason] ?? 'The profile was refused.') : message;
  return { message: words, step: REASON_STEPS[reason], reason };
}

/** Whether an error is the sidecar's "the built-in profile cannot be removed". */
export function isBuiltInRefusal(error: unknown): boolean {
  const { code, data } = sidecarError(error);
  return code === ErrorCodes.InvalidParams && isRecord(data) && data.reason === 'builtIn';
}

// ---------------------------------------------------------------------------------------------
// The steps

/** The steps that ask for a value in a box. */
export type InputStep = Exclude<AddStep, 'kind'>;

/** A message under a step's box. An error refuses Enter; so does a hint about an empty box that needs a value. */
export interface StepMessage {
  message: string;
  severity: 'error' | 'warning' | 'info';
}

/** What one step's box shows. */
export interface StepView {
  step: InputStep;
  /** 1-based, of `total`. */
  number: number;
  total: number;
  title: string;
  prompt: string;
  placeholder: string;
  value: string;
  password: boolean;
  /** Whether it has a Back button (to the step before, or to the choice of kind). */
  back: boolean;
}

/** Enter on a step: stay there with an error, go on to the next step, or everything is asked (send it). */
export type AcceptOutcome = { kind: 'stay'; message: StepMessage } | { kind: 'next' } | { kind: 'send' };

/** Back on a step: the step before is shown, or the choice of kind, or there is nothing before. */
export type BackOutcome = 'step' | 'kind' | 'none';

/** The steps of a kind: its URL, its secret, then the name (not when replacing a profile, whose name is known). */
export function addSteps(kind: AddKind, askName: boolean): InputStep[] {
  const steps: InputStep[] = [];
  if (kind.askUrl) steps.push('url');
  if (kind.secret !== 'none') steps.push('secret');
  if (askName) steps.push('name');
  return steps;
}

/**
 * Whether a kind's base URL may be left empty: a kind that is not an endpoint and has no default
 * URL (an API key a gateway may stand in front of) runs with the provider's own API without one.
 */
export function urlOptional(kind: Pick<AddKind, 'askUrl' | 'type' | 'defaultUrl'>): boolean {
  return kind.askUrl && kind.type !== 'endpoint' && kind.defaultUrl === undefined;
}

/** What the sidecar would refuse in a step's value (its rules, mirrored), or undefined; `reserved`: the agents' own sign-in names. */
export function stepProblem(step: InputStep, kind: AddKind, value: string, reserved: readonly string[] = []): InputProblem | undefined {
  switch (step) {
    case 'url':
      if (urlOptional(kind)) return rustTrim(value) === '' ? undefined : checkBaseUrl(value);
      return checkEndpointUrl(kind.provider, value);
    case 'secret':
      return checkSecret(kind.provider, kind.type, value);
    case 'name':
      return checkName(value, reserved);
  }
}

export interface AddFlowOptions {
  /** "Replace" when the name is known (Replace…): the name is not asked. */
  verb: 'Add' | 'Replace';
  /** Ids of the profiles there are: a name taken is replaced (a warning, not an error). */
  taken: readonly string[];
  /** Whether Back on the first step goes back to the choice of kind. */
  backToKind: boolean;
  /** The names of the agents' own sign-in profiles, which no profile may take. */
  reserved?: readonly string[];
}

/**
 * The Add Profile flow's steps for one kind: each value checked as it is typed (the sidecar's
 * rules), Enter refused while a value would be refused, Back to the step before with every value
 * kept, and a refusal of `grove/profiles/add` brought back to the step that owns the field, its
 * value kept and the sidecar's words under it until the value changes. The secret stays in
 * `answers` until the flow ends (its box is a password box; it is never logged).
 */
export class AddFlow {
  readonly steps: InputStep[];
  private index = 0;
  /** The sidecar's last refusal: its step, the value it refused and its words. */
  private refusal: { step: InputStep; value: string; message: string } | undefined;
  /** The URL was found where a local server answers (not the kind's default). */
  private readonly detected: boolean;

  constructor(
    readonly kind: AddKind,
    readonly answers: AddAnswers,
    private readonly options: AddFlowOptions,
  ) {
    this.steps = addSteps(kind, options.verb === 'Add');
    this.detected = answers.baseUrl !== '' && answers.baseUrl !== kind.defaultUrl;
  }

  get step(): InputStep {
    return this.steps[this.index] ?? 'name';
  }

  /** The box of the current step. */
  view(): StepView {
    const step = this.step;
    const base = {
      step,
      number: this.index + 1,
      total: this.steps.length,
      title: `${this.options.verb} ${this.kind.label} Profile`,
      value: this.value(step),
      password: step === 'secret',
      back: this.index > 0 || this.options.backToKind,
    };
    switch (step) {
      case 'url':
        if (urlOptional(this.kind)) {
          return {
            ...base,
            prompt: "Optional: the base URL of a gateway, if you use one; leave empty for the provider's own API.",
            placeholder: 'optional (https://gateway.example.com)',
          };
        }
        return {
          ...base,
          prompt: this.detected ? `${this.kind.label} answers here (detected).` : `The URL of the ${this.kind.label} server.`,
          placeholder: this.kind.defaultUrl ?? 'https://gateway.example.com',
        };
      case 'secret':
        return { ...base, prompt: this.kind.secretPrompt, placeholder: this.kind.secretPlaceholder };
      case 'name':
        return { ...base, prompt: `The profile's name: it becomes ${this.kind.provider}:<name>.`, placeholder: DEFAULT_PROFILE_NAME };
    }
  }

  /** What the box says under a value as it is typed: a problem (a hint while the box is empty), the sidecar's refusal of this very value, or a note. */
  check(value: string): StepMessage | undefined {
    const problem = stepProblem(this.step, this.kind, value, this.options.reserved);
    if (problem) return { message: problem.message, severity: value === '' ? 'info' : 'error' };
    const refused = this.refusal;
    if (refused?.step === this.step && refused.value === value) return { message: refused.message, severity: 'error' };
    return this.note(value);
  }

  /** Enter: a value the sidecar would refuse stays with its error; else it is kept and the next step (or the sending) follows. */
  accept(value: string): AcceptOutcome {
    const problem = stepProblem(this.step, this.kind, value, this.options.reserved);
    if (problem) return { kind: 'stay', message: { message: problem.message, severity: 'error' } };
    this.keep(this.step, value);
    if (this.refusal?.step === this.step) this.refusal = undefined;
    if (this.index + 1 < this.steps.length) {
      this.index++;
      return { kind: 'next' };
    }
    return { kind: 'send' };
  }

  /** Back: the value typed so far is kept (even one that would be refused) and the step before shows. */
  back(value: string): BackOutcome {
    this.keep(this.step, value);
    if (this.index > 0) {
      this.index--;
      return 'step';
    }
    return this.options.backToKind ? 'kind' : 'none';
  }

  /** The sidecar refused the answers: true when the flow is back at the step that owns the field (its value kept, the words shown under it). */
  refused(refusal: AddRefusal): boolean {
    const step = refusal.step;
    if (step === undefined || step === 'kind') return false;
    const index = this.steps.indexOf(step);
    if (index < 0) return false;
    this.index = index;
    this.refusal = { step, value: this.value(step), message: refusal.message };
    return true;
  }

  /** `grove/profiles/add`'s params for what was asked. */
  params(): ProfileAddParams {
    return addParams(this.kind, this.answers);
  }

  /** The box's prompt while the sidecar checks and adds the profile. */
  sendingPrompt(): string {
    const params = this.params();
    const url = params.baseUrl ?? this.kind.defaultUrl;
    return this.kind.type === 'endpoint' && url !== undefined ? `Checking that ${url} answers…` : `Adding ${params.provider}:${params.name}…`;
  }

  /** Forgets the secret (the flow is over). */
  forget(): void {
    this.answers.secret = '';
    if (this.refusal?.step === 'secret') this.refusal = undefined;
  }

  private note(value: string): StepMessage | undefined {
    const step = this.step;
    if (step === 'url' && rustTrim(value) === '' && urlOptional(this.kind)) {
      return { message: "Left empty, runs use the provider's own API.", severity: 'info' };
    }
    if (step === 'url' && rustTrim(value) === '' && this.kind.defaultUrl !== undefined) {
      return { message: `Left empty, ${this.kind.defaultUrl} is used.`, severity: 'info' };
    }
    const id = `${this.kind.provider}:${rustTrim(value)}`;
    if (step === 'name' && this.options.taken.includes(id)) return { message: `${id} exists: adding replaces it.`, severity: 'warning' };
    return undefined;
  }

  private value(step: InputStep): string {
    switch (step) {
      case 'url':
        return this.answers.baseUrl;
      case 'secret':
        return this.answers.secret;
      case 'name':
        return this.answers.name;
    }
  }

  private keep(step: InputStep, value: string): void {
    switch (step) {
      case 'url':
        this.answers.baseUrl = value;
        break;
      case 'secret':
        this.answers.secret = value;
        break;
      case 'name':
        this.answers.name = value;
        break;
    }
  }
}
