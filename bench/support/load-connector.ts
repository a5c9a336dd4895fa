/**
 * A lean Bot Connector stand-in for the load runs: answers every send at once and reports each message (not typing)
 * to `onMessage` with the id it replied to. Unlike test/support/fake-connector.ts it keeps nothing and scans nothing,
 * so the load driver does not slow down as replies pile up. It counts TCP connections (keep-alive shows as few).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ConnectorMessage {
  readonly conversationId: string;
  readonly replyToId: string | undefined;
  readonly activity: { type?: string; attachments?: { contentType?: string; content?: unknown }[] };
}

export interface LoadConnector {
  readonly serviceUrl: string;
  readonly stats: { connections: number; messages: number; typing: number; other: number };
  onMessage: (message: ConnectorMessage) => void;
  close(): Promise<void>;
}

export async function startLoadConnector(): Promise<LoadConnector> {
  let counter = 1000;
  const stats = { connections: 0, messages: 0, typing: 0, other: 0 };
  const connector: LoadConnector = {
    serviceUrl: '',
    stats,
    onMessage: () => undefined,
    close: async () => undefined,
  };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const parts = (req.url ?? '/').split('?')[0]!.split('/');
      // /v3/conversations/:conversationId/activities[/:replyToId]
      if (parts[1] === 'v3' && parts[2] === 'conversations' && parts[4] === 'activities') {
        const activity = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as ConnectorMessage['activity'] & {
          replyToId?: string;
        };
        const id = String(++counter);
        res.writeHead(req.method === 'POST' ? 201 : 200, { 'Content-Type': 'application/json' });
        res.end(`{"id":"${id}"}`);
        if (activity.type === 'typing') {
          stats.typing++;
          return;
        }
        if (activity.type !== 'message') {
          stats.other++;
          return;
        }
        stats.messages++;
        connector.onMessage({
          conversationId: decodeURIComponent(parts[3] ?? ''),
          replyToId: parts[5] ? decodeURIComponent(parts[5]) : activity.replyToId,
          activity,
        });
        return;
      }
      stats.other++;
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end('{"error":{"code":"NotFound"}}');
    });
  });
  server.on('connection', () => stats.connections++);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  Object.assign(connector, {
    serviceUrl: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
  return connector;
}
