import { html } from 'lit';
import { screens } from '../app/screen-registry.js';
import './direturn-referrals.js';

screens.register({
  id: 'referrals',
  roles: ['counsellor', 'admin'],
  render: ({ api, agent }) => html`<direturn-referrals .api=${api} .me=${agent}></direturn-referrals>`,
});
