import { expect } from '@open-wc/testing';
import { TOKEN, setup } from './chat-app.test-util.js';
import './chat-app.js';

const AWAY = 'Wieder erreichbar: Montag, 09:00 MEZ. Unsere Beraterinnen und Berater sind gerade nicht erreichbar. Sie können trotzdem schreiben: Wir antworten, sobald wir wieder da sind.';

describe('away notice (outside the site’s opening hours)', () => {
  it('shows the server’s away message instead of the “nobody online” notice, and the composer stays usable', async () => {
    const { el, socket } = await setup('de', { agentsOnline: false });
    socket.serverSend({ type: 'welcome', token: TOKEN, visitorId: 'v1', conversation: null, messages: [], agentsOnline: false, away: { text: AWAY, backAt: Date.now() + 3_600_000 } });
    await el.updateComplete;
    const notices = [...el.shadowRoot!.querySelectorAll('[part~=notice]')];
    expect(notices.map((n) => n.textContent)).to.deep.equal([AWAY]);
    expect(notices[0]!.getAttribute('part')).to.equal('notice away');
    expect(notices[0]!.getAttribute('role')).to.equal('status');
    expect(el.shadowRoot!.querySelector('textarea')?.disabled ?? false).to.equal(false);
    await expect(el).to.be.accessible();
  });

  it('drops the notice once the time has come, and when the hours change to open', async () => {
    const { el, socket } = await setup('de');
    socket.serverSend({ type: 'presence', agentsOnline: true, away: { text: AWAY, backAt: Date.now() - 1000 } });
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part~=away]')).to.equal(null);
    socket.serverSend({ type: 'presence', agentsOnline: true, away: { text: AWAY, backAt: null } });
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part~=away]')!.textContent).to.equal(AWAY);
    socket.serverSend({ type: 'welcome', token: TOKEN, visitorId: 'v1', conversation: null, messages: [], agentsOnline: true });
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part~=notice]')).to.equal(null);
  });
});
