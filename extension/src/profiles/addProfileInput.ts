// The Add Profile flow on screen: one input box through its steps (step/totalSteps, a Back button), each value checked as it is typed (AddFlow), busy while the sidecar adds the profile, and back at the step a refusal points at with the sidecar's words under it.
import * as vscode from 'vscode';
import { validationMessage } from '../common/inputSeverity';
import { addRefusal, type AddFlow, type AddRefusal, type StepMessage } from './addProfile';

/** How the flow ended: added (or, without `finish`, everything asked), dismissed, Back to the choice of kind, or refused where no step can fix it. */
export type FlowEnd = { end: 'done' } | { end: 'cancelled' } | { end: 'kind' } | { end: 'refused'; refusal: AddRefusal };

/** The box's message in the editor's terms. */
function validation(message: StepMessage | undefined): vscode.InputBoxValidationMessage | undefined {
  return validationMessage(message && { text: message.message, severity: message.severity });
}

/**
 * Runs `flow` in one input box. Once every step is answered, `finish` adds the profile (the box
 * stays, busy): undefined when done, else the refusal, which brings the box back to its step when
 * one owns it. Without `finish` the flow ends when everything is asked.
 */
export function runAddFlow(flow: AddFlow, finish?: () => Promise<AddRefusal | undefined>): Promise<FlowEnd> {
  return new Promise<FlowEnd>((resolve) => {
    const box = vscode.window.createInputBox();
    box.ignoreFocusOut = true;
    let ended = false;
    let sending = false;
    let hidden = false;
    const end = (result: FlowEnd): void => {
      if (ended) return;
      ended = true;
      for (const d of disposables) d.dispose();
      box.dispose();
      resolve(result);
    };
    const show = (): void => {
      const view = flow.view();
      box.title = view.title;
      box.step = view.number;
      box.totalSteps = view.total;
      box.prompt = view.prompt;
      box.placeholder = view.placeholder;
      box.password = view.password;
      box.value = view.value;
      box.buttons = view.back ? [vscode.QuickInputButtons.Back] : [];
      box.busy = false;
      box.enabled = true;
      box.validationMessage = validation(flow.check(view.value));
    };
    const send = async (): Promise<void> => {
      if (!finish) {
        end({ end: 'done' });
        return;
      }
      sending = true;
      box.busy = true;
      box.enabled = false;
      box.validationMessage = undefined;
      box.prompt = flow.sendingPrompt();
      let refusal: AddRefusal | undefined;
      try {
        refusal = await finish();
      } catch (e) {
        // Whatever went wrong, the flow ends (and forgets the secret): never a box stuck busy.
        end({ end: 'refused', refusal: addRefusal(e) });
        return;
      } finally {
        sending = false;
      }
      if (refusal === undefined) end({ end: 'done' });
      else if (hidden || !flow.refused(refusal)) end({ end: 'refused', refusal });
      else show();
    };
    const disposables = [
      box.onDidChangeValue((value) => {
        if (!sending) box.validationMessage = validation(flow.check(value));
      }),
      box.onDidAccept(() => {
        if (sending) return;
        const outcome = flow.accept(box.value);
        if (outcome.kind === 'stay') box.validationMessage = validation(outcome.message);
        else if (outcome.kind === 'next') show();
        else void send();
      }),
      box.onDidTriggerButton((button) => {
        if (sending || button !== vscode.QuickInputButtons.Back) return;
        const outcome = flow.back(box.value);
        if (outcome === 'step') show();
        else if (outcome === 'kind') end({ end: 'kind' });
      }),
      box.onDidHide(() => {
        hidden = true;
        // While sending, the answer decides (a refusal is then told in a notification).
        if (!sending) end({ end: 'cancelled' });
      }),
    ];
    show();
    box.show();
  });
}
