/**
 * Baseline: a bare `ws` relay with no persistence and no validation beyond JSON.parse. It speaks
 * just enough of DiReturn's protocol for loadgen.ts (login, claim, hello/welcome, send/ack,
 * message) so the same load runs against it. Started as its own process by main.ts.
 */
import { createServer } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';

const port = Number(process.env.PORT ?? 0);
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
const visitorSockets = new Map<string, WebSocket>();
const agentSockets = new Map<string, Set<WebSocket>>();
const assigned = new Map<string, string>(); // conversationId -> agent id
const seqs = new Map<string, number>();
let ids = 0;

const cookieOf = (h: string | undefined) => /direturn_session=([^;]+)/.exec(h ?? '')?.[1];

const server = createServer((req, res) => {
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    const url = req.url ?? '';
    if (req.method === 'POST' && url === '/api/auth/login') {
      const { email } = JSON.parse(body) as { email: string };
      res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': `direturn_session=${encodeURIComponent(email)}; Path=/; HttpOnly` });
      return res.end(JSON.stringify({ agent: { id: email } }));
    }
    const claim = /^\/api\/conversations\/([^/]+)\/claim$/.exec(url);
    if (req.method === 'POST' && claim) {
      const agent = cookieOf(req.headers.cookie);
      if (!agent) return res.writeHead(401).end();
      assigned.set(claim[1]!, decodeURIComponent(agent));
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ conversation: { id: claim[1] } }));
    }
    if (url === '/healthz') return res.writeHead(200).end('{"status":"ok"}');
    res.writeHead(404).end();
  });
});

function message(conversationId: string, author: string, clientId: string, body: string) {
  const seq = (seqs.get(conversationId) ?? 0) + 1;
  seqs.set(conversationId, seq);
  return { id: String(++ids), conversationId, seq, author, body, clientId, agentName: null, createdAt: Date.now() };
}

server.on('upgrade', (req, socket, head) => {
  const path = (req.url ?? '').split('?')[0];
  if (path === '/ws/visitor') {
    wss.handleUpgrade(req, socket, head, (ws) => {
      const visitorId = `v${++ids}`;
      ws.on('message', (data) => {
        const f = JSON.parse(String(data));
        if (f.type === 'hello') {
          visitorSockets.set(visitorId, ws);
          ws.send(JSON.stringify({ type: 'welcome', token: 'x'.repeat(32), visitorId, conversation: null, messages: [], agentsOnline: true }));
        } else if (f.type === 'send') {
          const m = message(visitorId, 'visitor', f.clientId, f.body);
          ws.send(JSON.stringify({ type: 'ack', clientId: f.clientId, message: m }));
          const agent = assigned.get(visitorId);
          const out = JSON.stringify({ type: 'message', message: m });
          if (agent) for (const a of agentSockets.get(agent) ?? []) a.send(out);
        } else if (f.type === 'ping') ws.send('{"type":"pong"}');
      });
      ws.on('close', () => visitorSockets.delete(visitorId));
    });
  } else if (path === '/ws/agent') {
    const agent = decodeURIComponent(cookieOf(req.headers.cookie) ?? '');
    if (!agent) return socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n');
    wss.handleUpgrade(req, socket, head, (ws) => {
      let set = agentSockets.get(agent);
      if (!set) agentSockets.set(agent, (set = new Set()));
      set.add(ws);
      ws.send(JSON.stringify({ type: 'ready', agent: { id: agent } }));
      ws.on('message', (data) => {
        const f = JSON.parse(String(data));
        if (f.type === 'send') {
          const m = message(f.conversationId, 'agent', f.clientId, f.body);
          ws.send(JSON.stringify({ type: 'ack', clientId: f.clientId, message: m }));
          visitorSockets.get(f.conversationId)?.send(JSON.stringify({ type: 'message', message: m }));
        }
      });
      ws.on('close', () => set!.delete(ws));
    });
  } else socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
});

server.listen(port, '127.0.0.1', () => {
  const addr = server.address() as { port: number };
  console.log(`relay listening ${addr.port}`);
});
process.on('SIGTERM', () => {
  for (const ws of wss.clients) ws.terminate();
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
});
