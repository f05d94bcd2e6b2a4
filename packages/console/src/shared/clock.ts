import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Ticks `now` on an interval while the host is connected, so relative times stay current. */
export class ClockController implements ReactiveController {
  now = Date.now();
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly host: ReactiveControllerHost;
  private readonly intervalMs: number;

  constructor(host: ReactiveControllerHost, intervalMs = 15_000) {
    this.host = host;
    this.intervalMs = intervalMs;
    host.addController(this);
  }

  hostConnected(): void {
    this.now = Date.now();
    this.timer = setInterval(() => {
      this.now = Date.now();
      this.host.requestUpdate();
    }, this.intervalMs);
  }

  hostDisconnected(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
