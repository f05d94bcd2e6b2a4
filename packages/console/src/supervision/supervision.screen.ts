import { html } from 'lit';
import { screens } from '../app/screen-registry.js';
import './direturn-supervision.js';

screens.register({
  id: 'supervision',
  roles: ['admin'],
  render: ({ api, agent }) => html`<direturn-supervision .api=${api} .meId=${agent.id}></direturn-supervision>`,
});
