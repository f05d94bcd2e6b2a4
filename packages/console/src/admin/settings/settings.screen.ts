import { html } from 'lit';
import { screens } from '../../app/screen-registry.js';
import './direturn-admin-settings.js';

screens.register({
  id: 'settings',
  roles: ['admin'],
  render: ({ api, agent }) => html`<direturn-admin-settings .api=${api} .me=${agent}></direturn-admin-settings>`,
});
