import { html } from 'lit';
import { screens } from '../../app/screen-registry.js';
import './direturn-admin-sites.js';

screens.register({
  id: 'sites',
  label: 'accounts.nav.sites',
  roles: ['admin'],
  render: ({ api }) => html`<direturn-admin-sites .api=${api}></direturn-admin-sites>`,
});
