// The name step of "New Workspace": an input box that checks the name as it is typed, first by the rules it mirrors, then by asking the sidecar (`grove/workspace/checkName`), so a taken name or a kept branch is said on this step.
import * as vscode from 'vscode';
import { validationMessage } from '../common/inputSeverity';
import { checkTypedName, nameVerdict, type NameAnswer, type NameVerdict } from './workspaceModel';

/** How long typing pauses before the sidecar is asked. */
const CHECK_DELAY_MS = 200;

export interface NameStepOptions {
  title: string;
  prompt: string;
  placeholder: string;
  /** What the box starts with (the name typed before, when the user comes back to this step). */
  value: string;
  /** Names of workspaces the repository has: refused at once. */
  taken: readonly string[];
  /** The sidecar's answer for a name; undefined when it cannot tell. */
  check: (name: string) => Promise<NameAnswer | undefined>;
}

/** What the step gives: the name to create ('' for a generated one), what was typed, and a kept branch to offer. */
export interface NameStepResult {
  name: string;
  typed: string;
  keptBranch?: string;
}

/** Shows the name box; undefined when it is closed without a name. */
export function askName(options: NameStepOptions): Promise<NameStepResult | undefined> {
  const box = vscode.window.createInputBox();
  box.title = options.title;
  box.prompt = options.prompt;
  box.placeholder = options.placeholder;
  box.ignoreFocusOut = true;
  box.value = options.value;

  // One question per name, whoever asks first (typing, or Enter before the answer came).
  const answers = new Map<string, Promise<NameAnswer | undefined>>();
  const answerFor = (name: string): Promise<NameAnswer | undefined> => {
    let answer = answers.get(name);
    if (!answer) {
      answer = options.check(name).catch(() => undefined);
      answers.set(name, answer);
    }
    return answer;
  };

  const verdictFor = async (typed: string): Promise<NameVerdict> => {
    const local = checkTypedName(typed, options.taken);
    const asked = local.name !== '' && local.message?.severity !== 'error';
    return nameVerdict(local, asked ? await answerFor(local.name) : undefined);
  };

  const show = (verdict: NameVerdict): void => {
    box.validationMessage = validationMessage(verdict.message);
  };

  let typing = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const changed = (typed: string): void => {
    const seq = ++typing;
    const local = checkTypedName(typed, options.taken);
    // The box's own rules at once; the sidecar's after a pause in typing.
    show(nameVerdict(local, undefined));
    if (timer) clearTimeout(timer);
    if (local.name === '' || local.message?.severity === 'error') {
      box.busy = false;
      return;
    }
    box.busy = true;
    timer = setTimeout(() => {
      void verdictFor(typed).then((verdict) => {
        if (seq !== typing) return;
        box.busy = false;
        show(verdict);
      });
    }, CHECK_DELAY_MS);
  };

  return new Promise<NameStepResult | undefined>((resolve) => {
    let done = false;
    box.onDidChangeValue(changed);
    box.onDidAccept(() => {
      const typed = box.value;
      const seq = ++typing;
      box.busy = true;
      void verdictFor(typed).then((verdict) => {
        // Typed on meanwhile: that newer value is being checked.
        if (seq !== typing || done) return;
        box.busy = false;
        show(verdict);
        if (!verdict.accept) return;
        done = true;
        const { name } = checkTypedName(typed, options.taken);
        resolve(verdict.keptBranch === undefined ? { name, typed } : { name, typed, keptBranch: verdict.keptBranch });
        box.hide();
      });
    });
    box.onDidHide(() => {
      if (timer) clearTimeout(timer);
      if (!done) resolve(undefined);
      done = true;
      box.dispose();
    });
    box.show();
    if (options.value !== '') changed(options.value);
  });
}
