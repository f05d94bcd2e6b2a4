import { html } from 'lit';
import { screens } from '../app/screen-registry.js';
import './direturn-conversation-search.js';

// A result opens in the conversations screen (the shell handles `direturn-open-conversation`).
screens.register({
  id: 'search',
  roles: ['counsellor', 'admin'],
  render: ({ api }) => html`<direturn-conversation-search .api=${api}></direturn-conversation-search>`,
});
