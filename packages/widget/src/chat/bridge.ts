/**
 * The frame's side of the host bridge. Posts only to the partner page's origin and accepts only
 * messages from the parent window on that origin. No message text ever crosses it.
 */
import { envelope, openEnvelope, type FrameToHost, type HostToFrame, isLanguageCode } from '@direturn/protocol';

export type HostMessageHandler = (message: HostToFrame) => void;

const ORIGIN = /^https?:\/\/[^/\s]+$/;

export class FrameBridge {
  private handlers = new Set<HostMessageHandler>();
  readonly connected: boolean;

  constructor(
    readonly hostOrigin: string,
    private readonly win: Window = window,
    private readonly parent: Window | null = window.parent === window ? null : window.parent,
  ) {
    this.connected = ORIGIN.test(hostOrigin) && parent !== null;
    if (this.connected) win.addEventListener('message', this.onMessage);
  }

  post(message: FrameToHost): void {
    if (this.connected) this.parent?.postMessage(envelope(message), this.hostOrigin);
  }

  onHostMessage(handler: HostMessageHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  dispose(): void {
    this.win.removeEventListener('message', this.onMessage);
    this.handlers.clear();
  }

  private onMessage = (event: MessageEvent): void => {
    if (event.origin !== this.hostOrigin || event.source !== this.parent) return;
    const payload = openEnvelope(event.data);
    if (!payload) return;
    let message: HostToFrame | undefined;
    if (payload.type === 'open' || payload.type === 'close') message = { type: payload.type };
    else if (payload.type === 'set-language' && isLanguageCode(payload['language'])) {
      message = { type: 'set-language', language: payload['language'] };
    }
    if (message) for (const handler of this.handlers) handler(message);
  };
}
