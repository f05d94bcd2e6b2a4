import { html } from 'lit';
import { screens } from '../app/screen-registry.js';
import './direturn-admin-offices.js';

screens.register({
  id: 'offices',
  roles: ['admin'],
  render: ({ api }) => html`<direturn-admin-offices .api=${api}></direturn-admin-offices>`,
});
