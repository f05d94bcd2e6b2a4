import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { AgentCallFrame, CallDto, CallSignal } from '@direturn/protocol';
import { CallSession } from '@direturn/protocol/call';
import { initI18n } from '../i18n/i18n.js';
import { agent, conversation } from '../test/helpers.js';
import { ConsoleCalls } from './console-calls.js';
import { callRecordText } from './call-record.js';
import type { DireturnCallPanel } from './direturn-call-panel.js';
import './direturn-call-panel.js';

// The counsellor's side of a call: who may call, the offer, the call against a visitor side in
// this page (real RTCPeerConnections), mute, camera, hang up, why a call ended; announced; axe.

const ICE = { iceServers: [], iceTransportPolicy: 'all' as const };
const held = conversation({ status: 'active', agentId: agent.id, agentName: agent.name });

/** Synthetic devices: a drawn picture and a tone. */
function fakeStream(video: boolean): MediaStream {
  const audio = new AudioContext();
  const out = audio.createMediaStreamDestination();
  const tone = audio.createOscillator();
  tone.connect(out);
  tone.start();
  const tracks = [...out.stream.getAudioTracks()];
  if (video) {
    const canvas = Object.assign(document.createElement('canvas'), { width: 160, height: 120 });
    const g = canvas.getContext('2d')!;
    setInterval(() => {
      g.fillStyle = `hsl(${Date.now() % 360} 60% 50%)`;
      g.fillRect(0, 0, 160, 120);
    }, 50);
    tracks.push(...canvas.captureStream(10).getVideoTracks());
  }
  return new MediaStream(tracks);
}

async function panel(opts: { conversation?: typeof held; fail?: boolean } = {}) {
  const sent: AgentCallFrame[] = [];
  const asked: MediaStreamConstraints[] = [];
  const calls = new ConsoleCalls(async (c) => {
    asked.push(c);
    if (opts.fail) throw new DOMException('denied', 'NotAllowedError');
    return fakeStream(!!c.video);
  });
  calls.connect((f) => (sent.push(f), true));
  const el = await fixture<DireturnCallPanel>(html`<direturn-call-panel .calls=${calls} .conversation=${opts.conversation ?? held} .me=${agent}></direturn-call-panel>`);
  return { el, calls, sent, asked, root: el.shadowRoot! };
}

const button = (root: ShadowRoot, text: string) => [...root.querySelectorAll('button')].find((b) => b.textContent!.trim() === text);
const live = (root: ShadowRoot) => root.querySelector('[aria-live]')!.textContent!.trim();

describe('the call panel', () => {
  before(() => initI18n('en'));

  it('offers a voice or video call only to the holder of an active conversation', async () => {
    const { root, el } = await panel();
    expect(button(root, 'Voice call')).to.exist;
    expect(button(root, 'Video call')).to.exist;
    await expect(el).to.be.accessible();
    for (const c of [
      conversation({ status: 'waiting' }),
      conversation({ status: 'active', agentId: 'someone-else' }),
      conversation({ status: 'closed', agentId: agent.id }),
      // a messenger conversation has no browser to call
      conversation({ status: 'active', agentId: agent.id, channel: 'telegram' }),
    ]) {
      const other = await panel({ conversation: c });
      expect(button(other.root, 'Voice call'), c.status).to.equal(undefined);
    }
  });

  it("asks for the counsellor's own devices first, then offers; the offer can be withdrawn", async () => {
    const { root, el, calls, sent, asked } = await panel();
    button(root, 'Video call')!.click();
    await waitUntil(() => sent.length === 1);
    expect(asked[0]!.video).to.be.ok;
    expect(sent[0]).to.deep.equal({ type: 'call-offer', conversationId: held.id, media: 'video' });
    const call: CallDto = { id: 'call-0000000001', conversationId: held.id, media: 'video', state: 'offered', offeredAt: Date.now() };
    calls.frame({ type: 'call', call });
    await el.updateComplete;
    expect(root.querySelector('[part="call-state"]')!.textContent).to.contain('Calling the visitor');
    await waitUntil(() => live(root).includes('Calling the visitor'));
    expect(sent.map((f) => f.type)).to.deep.equal(['call-offer', 'call-join', 'call-ice']);
    button(root, 'Withdraw')!.click();
    expect(sent.at(-1)).to.deep.equal({ type: 'call-hangup', callId: call.id, reason: 'hangup' });
    calls.frame({ type: 'call', call: { ...call, state: 'ended', endedAt: Date.now(), endReason: 'cancelled', endedBy: 'agent' } });
    await el.updateComplete;
    expect(root.textContent).to.contain('You withdrew the call.');
    await expect(el).to.be.accessible();
  });

  it('says why a call could not take place, and what to offer instead', async () => {
    const { root, el, calls, sent } = await panel();
    button(root, 'Voice call')!.click();
    await waitUntil(() => sent.length === 1);
    const call: CallDto = { id: 'call-0000000002', conversationId: held.id, media: 'voice', state: 'offered', offeredAt: Date.now() };
    calls.frame({ type: 'call', call });
    calls.frame({ type: 'call', call: { ...call, state: 'ended', endedAt: Date.now(), endReason: 'blocked', endedBy: 'visitor' } });
    await el.updateComplete;
    expect(root.textContent).to.contain("The visitor's page or browser does not allow calls. Offer to call them back by phone instead.");
    await waitUntil(() => live(root).includes('Offer to call them back'));
    button(root, 'Close')!.click();
    await el.updateComplete;
    expect(button(root, 'Voice call')).to.exist;
  });

  it('tells the counsellor when their own devices cannot be used, and when a call is already going on', async () => {
    const { root, el, sent } = await panel({ fail: true });
    button(root, 'Video call')!.click();
    await waitUntil(() => root.querySelector('[role="alert"]'));
    expect(root.querySelector('[role="alert"]')!.textContent).to.contain('Your microphone or camera could not be used');
    expect(sent).to.have.length(0);
    const busy = await panel();
    button(busy.root, 'Voice call')!.click();
    await waitUntil(() => busy.sent.length === 1);
    busy.calls.frame({ type: 'error', code: 'call_busy', message: 'busy', ref: `call:${held.id}` });
    await busy.el.updateComplete;
    expect(busy.root.querySelector('[role="alert"]')!.textContent).to.contain('A call is already under way.');
    void el;
  });

  it('the call: accepted by a visitor side in this page, media both ways, mute, camera, hang up', async () => {
    const { root, el, calls, sent } = await panel();
    button(root, 'Video call')!.click();
    await waitUntil(() => sent.length === 1);
    let call: CallDto = { id: 'call-0000000003', conversationId: held.id, media: 'video', state: 'offered', offeredAt: Date.now() };
    // The visitor's side, wired to this console as the server would relay it.
    const visitor = new CallSession(call, {
      role: 'answerer',
      transport: {
        send: (f) => {
          queueMicrotask(() => {
            if (f.type === 'call-signal') calls.frame({ type: 'call-signal', callId: call.id, signal: f.signal });
            else if (f.type === 'call-ice') visitor.setIce(ICE);
            else if (f.type === 'call-accept') {
              call = { ...call, state: 'accepted', acceptedAt: Date.now(), acceptedMedia: f.media };
              calls.frame({ type: 'call', call });
              visitor.update(call);
            }
          });
          return true;
        },
      },
    });
    let seen = 1;
    const relay = setInterval(() => {
      for (const f of sent.slice(seen)) {
        seen++;
        if (f.type === 'call-ice') calls.frame({ type: 'call-ice', callId: call.id, ice: ICE });
        else if (f.type === 'call-signal') visitor.signal(f.signal as CallSignal);
        else if (f.type === 'call-hangup') {
          call = { ...call, state: 'ended', endedAt: Date.now(), endReason: 'hangup', endedBy: 'agent' };
          calls.frame({ type: 'call', call });
          visitor.update(call);
        }
      }
    }, 10);
    calls.frame({ type: 'call', call });
    visitor.start(fakeStream(true), 'video');
    await waitUntil(() => calls.session?.phase === 'connected' && visitor.phase === 'connected', 'the call did not connect', { timeout: 15_000 });
    await waitUntil(() => live(root) === 'Connected');
    const first = (await calls.session!.readStats())!.bytesReceived;
    await waitUntil(async () => (await calls.session!.readStats())!.bytesReceived > first, 'no media', { timeout: 10_000 });
    await el.updateComplete;
    expect(root.querySelector('video.remote')).to.exist;
    await expect(el).to.be.accessible({ ignoredRules: ['video-caption'] });

    root.querySelector<HTMLButtonElement>('[part="call-mute"]')!.click();
    await waitUntil(() => visitor.remoteMedia.audio === false, 'mute not signalled');
    expect(root.querySelector('[part="call-mute"]')!.getAttribute('aria-pressed')).to.equal('true');
    root.querySelector<HTMLButtonElement>('[part="call-camera"]')!.click();
    await waitUntil(() => visitor.remoteMedia.video === false);
    visitor.setMuted(true);
    await waitUntil(() => root.textContent!.includes('The visitor has switched off the microphone.'));

    root.querySelector<HTMLButtonElement>('[part="call-hangup"]')!.click();
    await waitUntil(() => root.textContent!.includes('The call has ended.'));
    clearInterval(relay);
    visitor.close();
  });

  it('names a call record in the conversation by kind and minutes', async () => {
    expect(callRecordText('call:voice:59')).to.equal('Voice call, 1 min');
    expect(callRecordText('call:video:601')).to.equal('Video call, 10 min');
    expect(callRecordText('claimed')).to.equal(undefined);
  });
});
