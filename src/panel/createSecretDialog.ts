/**
 * "Create from my credentials": a dialog whose password field is masked and
 * whose values live only as long as the dialog; nothing is stored.
 */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import { Widget } from '@lumino/widgets';
import type { INewSecret } from '../api';

class CredentialsForm extends Widget implements Dialog.IBodyWidget<INewSecret> {
  constructor(defaults: { name: string; userIdentity: string }) {
    super({ node: document.createElement('form') });
    this.addClass('jp-EmrSchedule-credentials');
    const field = (
      label: string,
      name: keyof INewSecret,
      type: string,
      value = ''
    ) => {
      const wrapper = document.createElement('label');
      wrapper.className = 'jp-EmrSchedule-field';
      const span = document.createElement('span');
      span.textContent = label;
      const input = document.createElement('input');
      input.className = 'jp-mod-styled';
      input.name = name;
      input.type = type;
      input.value = value;
      input.autocomplete = type === 'password' ? 'new-password' : 'off';
      input.spellcheck = false;
      wrapper.append(span, input);
      this.node.appendChild(wrapper);
      return input;
    };
    this._inputs = {
      name: field('Secret name', 'name', 'text', defaults.name),
      description: field('Description (optional)', 'description', 'text'),
      username: field('User name', 'username', 'text'),
      password: field('Password', 'password', 'password'),
      userIdentity: field(
        'user-identity tag (optional, for per-user policies)',
        'userIdentity',
        'text',
        defaults.userIdentity
      )
    };
    const note = document.createElement('p');
    note.className = 'jp-EmrSchedule-hint';
    note.textContent =
      'Stored in AWS Secrets Manager as {"username", "password"}. Only the new secret\'s ARN comes back; the password is never saved in the notebook or settings.';
    this.node.appendChild(note);
  }

  getValue(): INewSecret {
    const value = (k: keyof INewSecret) => this._inputs[k].value;
    return {
      name: value('name').trim(),
      description: value('description').trim(),
      username: value('username').trim(),
      password: value('password'),
      userIdentity: value('userIdentity').trim()
    };
  }

  dispose(): void {
    // Clear the typed password from the DOM before the node goes away.
    if (this._inputs) {
      this._inputs.password.value = '';
    }
    super.dispose();
  }

  private _inputs: Record<keyof INewSecret, HTMLInputElement>;
}

export async function askForCredentials(defaults: {
  name: string;
  userIdentity: string;
}): Promise<INewSecret | null> {
  const result = await showDialog<INewSecret>({
    title: 'Create a secret from my credentials',
    body: new CredentialsForm(defaults),
    buttons: [
      Dialog.cancelButton(),
      Dialog.okButton({ label: 'Create secret' })
    ],
    focusNodeSelector: 'input[name="username"]'
  });
  return result.button.accept ? result.value : null;
}
