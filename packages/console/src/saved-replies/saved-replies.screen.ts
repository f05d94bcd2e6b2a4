import { html } from 'lit';
import { screens } from '../app/screen-registry.js';
import './direturn-saved-replies.js';

screens.register({
  id: 'replies',
  label: 'savedReplies.nav',
  roles: ['counsellor', 'admin'],
  render: ({ api, agent }) => html`<direturn-saved-replies .api=${api} .me=${agent}></direturn-saved-replies>`,
});
