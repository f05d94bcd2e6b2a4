import { expect, waitUntil } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import type { CallDto, CallSignal } from '@direturn/protocol';
import { CallSession } from '@direturn/protocol/call';
import { msg, setup } from '../chat/chat-app.test-util.js';
import type { FakeSocket } from '../chat/fake-socket.test-util.js';
import type { CallView } from './call-view.js';

// The call in the visitor's chat: an offer arrives (the view's code loads only now), the visitor
// declines, or accepts (the frame asks its host for the devices first), the browser's devices,
// the call with a real RTCPeerConnection against a counsellor's side in the same page, mute,
// camera, hang up; and the pages that do not allow calls. Announced, by keyboard, 320 px, RTL.

const OFFER: CallDto = { id: 'call-0000000001', conversationId: 'c1', media: 'video', state: 'offered', offeredAt: Date.now() };
const ICE = { iceServers: [], iceTransportPolicy: 'all' as const };

type Policy = { allowsFeature(f: string): boolean };
function setPolicy(allowed: boolean | undefined): void {
  if (allowed === undefined) delete (document as unknown as { featurePolicy?: Policy }).featurePolicy;
  else Object.defineProperty(document, 'featurePolicy', { value: { allowsFeature: () => allowed }, configurable: true });
}

/** Synthetic devices: a drawn picture and a tone, so the test needs no camera or microphone. */
function fakeStream(video: boolean): MediaStream {
  const audio = new AudioContext();
  const tone = audio.createOscillator();
  const out = audio.createMediaStreamDestination();
  tone.connect(out);
  tone.start();
  const tracks = [...out.stream.getAudioTracks()];
  if (video) {
    const canvas = Object.assign(document.createElement('canvas'), { width: 160, height: 120 });
    const g = canvas.getContext('2d')!;
    setInterval(() => {
      g.fillStyle = `hsl(${Date.now() % 360} 70% 50%)`;
      g.fillRect(0, 0, 160, 120);
    }, 50);
    tracks.push(...canvas.captureStream(10).getVideoTracks());
  }
  return new MediaStream(tracks);
}

let realGetUserMedia: MediaDevices['getUserMedia'];
before(() => {
  realGetUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
});
afterEach(async () => {
  navigator.mediaDevices.getUserMedia = realGetUserMedia;
  setPolicy(undefined);
  document.documentElement.lang = 'en';
  document.documentElement.dir = 'ltr';
  await setViewport({ width: 800, height: 600 });
});

async function offered(lang: 'de' | 'en' | 'ar' = 'en', call: CallDto = OFFER) {
  const ctx = await setup(lang, { messages: [msg(1)] });
  ctx.socket.serverSend({ type: 'call', call });
  await waitUntil(() => ctx.el.shadowRoot!.querySelector('direturn-call-view'), 'the call view did not load');
  const view = ctx.el.shadowRoot!.querySelector<CallView>('direturn-call-view')!;
  await waitUntil(() => view.shadowRoot!.querySelector('h2'), 'the call texts did not load');
  return { ...ctx, view, root: view.shadowRoot! };
}

const button = (root: ShadowRoot, text: string) => [...root.querySelectorAll('button')].find((b) => b.textContent!.trim() === text)!;
const live = (root: ShadowRoot) => root.querySelector('[aria-live]')!.textContent!.trim();

describe('calls in the visitor chat', () => {
  it('shows an offer with its kind and the counsellor, announced; declining tells the server, says so, and the view closes', async () => {
    const { view, root, socket, el } = await offered('en');
    expect(root.querySelector('h2')!.textContent).to.equal('Video call');
    expect(root.textContent).to.contain('Lena would like to talk to you in a video call.');
    expect(root.textContent).to.contain('Nothing of it is recorded');
    await waitUntil(() => live(root).includes('Lena would like to talk to you'), 'the offer was not announced');
    expect(button(root, 'Accept with video')).to.exist;
    expect(button(root, 'Voice only')).to.exist;
    await expect(view).to.be.accessible();
    // Nothing is asked of the devices before the visitor accepts.
    button(root, 'Decline').click();
    expect(socket.sentOfType('call-decline')).to.deep.equal([{ type: 'call-decline', callId: OFFER.id, reason: 'declined' }]);
    await waitUntil(() => root.textContent!.includes('The call was declined.'));
    socket.serverSend({ type: 'call', call: { ...OFFER, state: 'ended', endedAt: Date.now(), endReason: 'declined', endedBy: 'visitor' } });
    button(root, 'Close').click();
    await waitUntil(() => !el.shadowRoot!.querySelector('direturn-call-view'), 'the view stayed');
    // Nothing brings it back: the call is over.
    socket.serverSend({ type: 'presence', agentsOnline: true });
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('direturn-call-view')).to.equal(null);
  });

  it("in a partner page, accepting asks the host for the devices (the frame loads again) and asks nothing else yet", async () => {
    setPolicy(false);
    let asked = false;
    navigator.mediaDevices.getUserMedia = async () => {
      asked = true;
      throw new DOMException('no', 'NotAllowedError');
    };
    const { root, bridge, socket } = await offered('en');
    button(root, 'Accept with video').click();
    expect(bridge.posted.at(-1)).to.deep.equal({ type: 'call', callId: OFFER.id, media: 'video' });
    await waitUntil(() => root.textContent!.includes('Preparing the call'));
    expect(asked).to.equal(false);
    expect(socket.sentOfType('call-accept')).to.have.length(0);
  });

  it('after the host granted the devices, a page whose policy still forbids them gets the reason and the alternatives; the counsellor learns it', async () => {
    setPolicy(false);
    const ctx = await setup('de', { messages: [msg(1)] });
    ctx.el.callGrant = `video.${OFFER.id}`;
    ctx.socket.serverSend({ type: 'call', call: OFFER });
    await waitUntil(() => ctx.el.shadowRoot!.querySelector('direturn-call-view'));
    const view = ctx.el.shadowRoot!.querySelector<CallView>('direturn-call-view')!;
    await waitUntil(() => view.shadowRoot!.querySelector('[part="call-error"]'), 'no reason shown');
    const root = view.shadowRoot!;
    expect(root.querySelector('[part="call-error"]')!.textContent).to.equal('Diese Website erlaubt keine Anrufe aus dem Chat.');
    expect(root.textContent).to.contain('per Telefon zurückzurufen');
    expect(ctx.socket.sentOfType('call-decline')).to.deep.equal([{ type: 'call-decline', callId: OFFER.id, reason: 'blocked' }]);
    await expect(view).to.be.accessible();
    // The callback form instead, one click away.
    root.querySelector<HTMLButtonElement>('[part="call-callback"]')!.click();
    await waitUntil(() => ctx.el.shadowRoot!.querySelector('direturn-callback-view'), 'the callback form did not open', { timeout: 10_000 });
    expect(ctx.el.shadowRoot!.querySelector('direturn-call-view')).to.equal(null);
  });

  it('a browser that refuses the devices: the reason, and the counsellor learns the call cannot take place', async () => {
    setPolicy(true);
    navigator.mediaDevices.getUserMedia = async () => {
      throw new DOMException('denied', 'NotAllowedError');
    };
    const { root, socket } = await offered('en', { ...OFFER, media: 'voice' });
    expect(button(root, 'Voice only')).to.equal(undefined);
    button(root, 'Accept').click();
    await waitUntil(() => root.querySelector('[part="call-error"]'));
    expect(root.querySelector('[part="call-error"]')!.textContent).to.contain('did not allow access');
    expect(socket.sentOfType('call-decline')[0]).to.deep.include({ reason: 'blocked' });
  });

  it('a device without a camera takes a video call as a voice call', async () => {
    navigator.mediaDevices.getUserMedia = async (c?: MediaStreamConstraints) => {
      if (c?.video) throw new DOMException('none', 'NotFoundError');
      return fakeStream(false);
    };
    setPolicy(true);
    const { root, socket, view } = await offered('en');
    button(root, 'Accept with video').click();
    await waitUntil(() => socket.sentOfType('call-accept').length === 1, 'not accepted');
    expect(socket.sentOfType('call-accept')[0]).to.deep.include({ media: 'voice' });
    view.session?.close();
  });

  it('the call: accepted here, answered against a counsellor side in this page, media both ways, mute, camera, hang up', async () => {
    setPolicy(true);
    navigator.mediaDevices.getUserMedia = async (c?: MediaStreamConstraints) => fakeStream(!!c?.video);
    const { root, socket, view } = await offered('en');
    const counsellor = connectCounsellor(socket, view);
    button(root, 'Accept with video').click();
    await waitUntil(() => view.session, 'no session');
    expect(socket.sentOfType('call-accept')).to.deep.equal([{ type: 'call-accept', callId: OFFER.id, media: 'video' }]);
    expect(socket.sentOfType('call-join')).to.have.length(1);
    await waitUntil(() => view.session!.phase === 'connected' && counsellor.session.phase === 'connected', 'the call did not connect', { timeout: 15_000 });
    await waitUntil(() => live(root) === 'Connected', 'not announced');
    // Media flows both ways: what each side received grows.
    const first = [(await view.session!.readStats())!.bytesReceived, (await counsellor.session.readStats())!.bytesReceived];
    await waitUntil(async () => (await view.session!.readStats())!.bytesReceived > first[0]! && (await counsellor.session.readStats())!.bytesReceived > first[1]!, 'no media', { timeout: 10_000 });
    expect(root.querySelector('video.remote')).to.exist;
    expect(root.querySelector('[part="call-state"]')!.textContent).to.equal('Connected');
    await expect(view).to.be.accessible({ ignoredRules: ['video-caption'] });

    const mute = root.querySelector<HTMLButtonElement>('[part="call-mute"]')!;
    mute.click();
    await view.updateComplete;
    expect(mute.getAttribute('aria-pressed')).to.equal('true');
    expect(view.session!.local!.getAudioTracks().every((t) => !t.enabled)).to.equal(true);
    // The counsellor's side is told (to show it).
    await waitUntil(() => counsellor.session.remoteMedia.audio === false, 'mute not signalled');
    const camera = root.querySelector<HTMLButtonElement>('[part="call-camera"]')!;
    camera.click();
    await waitUntil(() => counsellor.session.remoteMedia.video === false);
    expect(view.session!.local!.getVideoTracks().every((t) => !t.enabled)).to.equal(true);

    root.querySelector<HTMLButtonElement>('[part="call-hangup"]')!.click();
    expect(socket.sentOfType('call-hangup')).to.deep.equal([{ type: 'call-hangup', callId: OFFER.id, reason: 'hangup' }]);
    await waitUntil(() => root.textContent!.includes('The call has ended.'));
    counsellor.session.close();
  });

  it('fits 320 px, right to left, and reads the call record in the conversation', async () => {
    await setViewport({ width: 320, height: 640 });
    const { el, root, view, socket } = await offered('ar');
    expect(document.documentElement.dir).to.equal('rtl');
    expect(view.scrollWidth).to.be.at.most(view.clientWidth + 1);
    for (const b of root.querySelectorAll('button')) expect(b.getBoundingClientRect().height).to.be.at.least(44);
    await expect(view).to.be.accessible();
    socket.serverSend({ type: 'call', call: { ...OFFER, state: 'ended', endedAt: Date.now(), endReason: 'cancelled', endedBy: 'agent' } });
    await waitUntil(() => root.textContent!.includes('سحب المستشار المكالمة.'));
    socket.serverSend({ type: 'message', message: msg(2, { author: 'system', body: 'call:video:185', agentName: null }) });
    const list = el.shadowRoot!.querySelector('direturn-chat-messages')!;
    await waitUntil(() => list.shadowRoot!.textContent!.includes('مكالمة فيديو، 3 د'), 'the record is not shown');
  });
});

/**
 * The counsellor's side of the call in this page: a CallSession (offerer) wired to the visitor's
 * fake socket as the server would relay it.
 */
function connectCounsellor(socket: FakeSocket, view: CallView) {
  let call: CallDto = OFFER;
  const session = new CallSession(OFFER, {
    role: 'offerer',
    transport: {
      send: (frame) => {
        if (frame.type === 'call-signal') queueMicrotask(() => socket.serverSend({ type: 'call-signal', callId: call.id, signal: frame.signal }));
        else if (frame.type === 'call-ice') queueMicrotask(() => session.setIce(ICE));
        return true;
      },
    },
  });
  session.start(fakeStream(true));
  let seen = 0;
  const relay = setInterval(() => {
    for (const frame of socket.sent.slice(seen)) {
      seen++;
      switch (frame['type']) {
        case 'call-accept':
          call = { ...call, state: 'accepted', acceptedAt: Date.now(), acceptedMedia: frame['media'] as 'video' };
          socket.serverSend({ type: 'call', call });
          session.update(call);
          break;
        case 'call-ice':
          socket.serverSend({ type: 'call-ice', callId: call.id, ice: ICE });
          break;
        case 'call-signal':
          session.signal(frame['signal'] as CallSignal);
          break;
        case 'call-hangup':
          call = { ...call, state: 'ended', endedAt: Date.now(), endReason: 'hangup', endedBy: 'visitor' };
          socket.serverSend({ type: 'call', call });
          session.update(call);
          clearInterval(relay);
          break;
      }
    }
  }, 10);
  void view;
  return { session };
}
