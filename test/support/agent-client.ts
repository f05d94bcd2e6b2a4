import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from './server.js';

// Borrowed from the server package, as in visitor-client.ts.
const require = createRequire(join(ROOT, 'packages/server/package.json'));
interface WsClient {
  send(data: string): void;
  close(): void;
  on(event: 'open' | 'close', listener: () => void): void;
  on(event: 'message', listener: (data: unknown) => void): void;
  on(event: 'error', listener: (err: Error) => void): void;
}
const WebSocket = require('ws') as new (url: string, opts: { headers: Record<string, string> }) => WsClient;

export interface AgentFrame {
  type: string;
  message?: { id: string; seq: number; author: string; body: string; conversationId: string; clientId: string | null };
  [k: string]: unknown;
}

/** A counsellor logged in over the REST API: the session cookie to send. */
export async function login(url: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: url }, body: JSON.stringify({ email, password }) });
  if (!res.ok) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  if (!cookie.startsWith('direturn_session=')) throw new Error(`login ${email}: no session cookie`);
  return cookie;
}

/** A console's socket without the console: every frame it receives, kept in order. */
export class AgentSocket {
  readonly frames: AgentFrame[] = [];
  private constructor(private readonly ws: WsClient) {}

  /** Opens /ws/agent with the session cookie and waits for `ready`. */
  static open(url: string, cookie: string): Promise<AgentSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url.replace(/^http/, 'ws') + '/ws/agent', { headers: { cookie, origin: url } });
      const socket = new AgentSocket(ws);
      ws.on('message', (data) => {
        const f = JSON.parse(String(data)) as AgentFrame;
        socket.frames.push(f);
        if (f.type === 'ready') resolve(socket);
      });
      ws.on('error', reject);
      ws.on('close', () => reject(new Error('agent socket closed before ready')));
    });
  }

  /** Messages of a conversation received as `message` frames. */
  messages(conversationId: string): NonNullable<AgentFrame['message']>[] {
    return this.frames.flatMap((f) => (f.type === 'message' && f.message?.conversationId === conversationId ? [f.message] : []));
  }

  /** Sends a frame (a call offer, …). */
  send(frame: object): void {
    this.ws.send(JSON.stringify(frame));
  }

  close(): void {
    this.ws.close();
  }
}
