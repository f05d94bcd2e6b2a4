import { html } from 'lit';
import { screens } from '../../app/screen-registry.js';
import './direturn-admin-agents.js';

screens.register({
  id: 'agents',
  roles: ['admin'],
  render: ({ api, agent }) => html`<direturn-admin-agents .api=${api} .me=${agent}></direturn-admin-agents>`,
});
