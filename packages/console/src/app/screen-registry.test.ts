import { expect } from '@open-wc/testing';
import { html } from 'lit';
import { ScreenRegistry, formatRoute, parseRoute } from './screen-registry.js';
import { screens } from './screens.js';
import { screensFor } from './direturn-console.js';

describe('screen registry', () => {
  it('offers each role its screens in registration order', () => {
    const registry = new ScreenRegistry();
    registry.register({ id: 'one', roles: ['admin', 'counsellor'], render: () => html`1` });
    registry.register({ id: 'two', roles: ['admin'], render: () => html`2` });
    registry.register({ id: 'three', roles: ['editor', 'admin'], render: () => html`3` });
    expect(registry.for('admin').map((s) => s.id)).to.deep.equal(['one', 'two', 'three']);
    expect(registry.for('counsellor').map((s) => s.id)).to.deep.equal(['one']);
    expect(registry.for('editor').map((s) => s.id)).to.deep.equal(['three']);
    expect(registry.for(undefined)).to.deep.equal([]);
    expect(registry.get('two')?.roles).to.deep.equal(['admin']);
  });

  it('refuses a second screen with the same id', () => {
    const registry = new ScreenRegistry();
    registry.register({ id: 'one', roles: ['admin'], render: () => html`` });
    expect(() => registry.register({ id: 'one', roles: ['editor'], render: () => html`` })).to.throw(/twice/);
  });

  it('holds the console screens with their nav labels', () => {
    expect(screensFor('counsellor')).to.deep.equal(['conversations', 'search', 'referrals', 'replies', 'profile']);
    expect(screensFor('editor')).to.deep.equal(['knowledge', 'orientation', 'profile']);
    expect(screensFor('admin')).to.deep.equal(['conversations', 'search', 'referrals', 'replies', 'knowledge', 'orientation', 'profile', 'supervision', 'agents', 'sites', 'channels', 'offices', 'settings', 'privacy', 'audit']);
    // only the conversations screen needs the socket
    expect(screens.all.filter((s) => s.realtime).map((s) => s.id)).to.deep.equal(['conversations']);
  });

  it('reads and writes addresses', () => {
    expect(parseRoute('#/conversations/c-1_x')).to.deep.equal({ screen: 'conversations', param: 'c-1_x' });
    expect(parseRoute('#/knowledge')).to.deep.equal({ screen: 'knowledge', param: null });
    expect(parseRoute('#/knowledge/')).to.deep.equal({ screen: 'knowledge', param: null });
    expect(parseRoute('')).to.equal(null);
    expect(parseRoute('#/Knowledge')).to.equal(null);
    expect(parseRoute('#/conversations/<script>')).to.equal(null);
    expect(formatRoute({ screen: 'conversations', param: 'c1' })).to.equal('#/conversations/c1');
    expect(formatRoute({ screen: 'audit', param: null })).to.equal('#/audit');
  });
});
