import { html } from 'lit';
import { screens } from '../../app/screen-registry.js';
import './direturn-admin-audit.js';

screens.register({
  id: 'audit',
  roles: ['admin'],
  render: ({ api }) => html`<direturn-admin-audit .api=${api}></direturn-admin-audit>`,
});
