import { html } from 'lit';
import { screens } from '../../app/screen-registry.js';
import './direturn-admin-privacy.js';

screens.register({
  id: 'privacy',
  roles: ['admin'],
  render: ({ api }) => html`<direturn-admin-privacy .api=${api}></direturn-admin-privacy>`,
});
