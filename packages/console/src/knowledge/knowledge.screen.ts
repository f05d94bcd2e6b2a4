import { html } from 'lit';
import { screens } from '../app/screen-registry.js';
import './direturn-knowledge.js';

screens.register({
  id: 'knowledge',
  roles: ['editor', 'admin'],
  render: ({ api }) => html`<direturn-knowledge .api=${api}></direturn-knowledge>`,
});
