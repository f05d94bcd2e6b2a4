import { html } from 'lit';
import { screens } from '../app/screen-registry.js';
import './direturn-admin-channels.js';

screens.register({
  id: 'channels',
  roles: ['admin'],
  render: ({ api }) => html`<direturn-admin-channels .api=${api}></direturn-admin-channels>`,
});
