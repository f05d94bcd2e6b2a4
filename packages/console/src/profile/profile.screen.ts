import { html } from 'lit';
import { screens } from '../app/screen-registry.js';
import './direturn-profile.js';

screens.register({
  id: 'profile',
  roles: ['counsellor', 'editor', 'admin'],
  render: ({ api, agent, notifier }) => html`<direturn-profile .api=${api} .agent=${agent} .notifier=${notifier}></direturn-profile>`,
});
