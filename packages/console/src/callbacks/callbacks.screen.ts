import { html } from 'lit';
import { screens } from '../app/screen-registry.js';
import './direturn-callbacks.js';

screens.register({
  id: 'callbacks',
  roles: ['counsellor', 'admin'],
  // The list follows the agent socket's `callback` frames; the conversations screen (offered to the same roles) starts it.
  render: ({ api, agent, session }) => html`<direturn-callbacks .api=${api} .me=${agent} .session=${session}></direturn-callbacks>`,
});
