import { expect } from '@open-wc/testing';
import type { AgentDto } from '@direturn/protocol';
import { ApiClient } from '../api/api-client.js';
import { ApiError } from '../api/api-error.js';
import { initI18n } from '../i18n/i18n.js';
import { agent, json, stubFetch } from '../test/helpers.js';
import { SessionController } from './session-controller.js';

function setup(handler: Parameters<typeof stubFetch>[0]) {
  const stub = stubFetch(handler);
  const api = new ApiClient({ fetch: stub.fetch });
  const log: string[] = [];
  const session = new SessionController(() => api, {
    enter: (a: AgentDto) => void log.push(`enter ${a.id}`),
    leave: () => void log.push('leave'),
    notify: (kind, text) => void log.push(`${kind}: ${text}`),
  });
  return { session, log, stub };
}

describe('SessionController', () => {
  before(() => initI18n('en'));

  it('enters the workspace when the session holds', async () => {
    const { session, log } = setup(() => json(200, { agent }));
    await session.check();
    expect(session.phase).to.equal('workspace');
    expect(session.agent?.id).to.equal('a1');
    expect(log).to.deep.equal(['enter a1']);
  });

  it('shows the login without a notice when there is no session, and "unreachable" when the server fails', async () => {
    const none = setup(() => json(401, { error: { code: 'unauthorized', message: 'no' } }));
    await none.session.check();
    expect(none.session.phase).to.equal('login');
    expect(none.log).to.deep.equal(['leave']);
    const down = setup(() => json(500, { error: { code: 'internal', message: 'x' } }));
    await down.session.check();
    expect(down.session.phase).to.equal('unreachable');
  });

  it('sends an agent without the required second factor to enrolment', async () => {
    const { session, log } = setup(() => json(200, { agent: { ...agent, totpSetupRequired: true } }));
    await session.check();
    expect(session.phase).to.equal('totp-setup');
    expect(log).to.deep.equal(['leave']);
  });

  it('is the one place that turns a failed request into the login', async () => {
    const { session, log } = setup(() => json(200, { agent }));
    await session.check();
    expect(session.handle(new ApiError(409, 'conversation_taken', 'taken'))).to.equal(false);
    expect(session.phase).to.equal('workspace');
    expect(session.handle(new ApiError(401, 'unauthorized', 'gone'), 'expired')).to.equal(true);
    expect(session.phase).to.equal('login');
    expect(session.agent).to.equal(null);
    expect(log.slice(1)).to.deep.equal(['leave', 'info: Your session has ended. Please sign in again.']);
  });

  it('says why when the server ended the session', async () => {
    const { session, log } = setup(() => json(200, { agent }));
    await session.check();
    session.ended('ended');
    expect(session.phase).to.equal('login');
    expect(log.at(-1)).to.match(/^info: Your session was ended/);
  });

  it('checks the session once when the socket keeps failing', async () => {
    let calls = 0;
    const { session } = setup(() => {
      calls++;
      return calls === 1 ? json(200, { agent }) : json(401, { error: { code: 'unauthorized', message: 'x' } });
    });
    await session.check();
    await Promise.all([session.verify(), session.verify()]);
    expect(calls).to.equal(2);
    expect(session.phase).to.equal('login');
  });
});
