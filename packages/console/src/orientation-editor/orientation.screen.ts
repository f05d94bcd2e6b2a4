import { html } from 'lit';
import { screens } from '../app/screen-registry.js';
import './direturn-orientation-editor.js';

screens.register({
  id: 'orientation',
  label: 'orientation.screen',
  roles: ['editor', 'admin'],
  render: ({ api }) => html`<direturn-orientation-editor .api=${api}></direturn-orientation-editor>`,
});
