import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOCAL_TENANT_ID, LOCAL_USERS } from '../../emulators/fixtures';

/** What the bot sent to the Bot Connector. */
export interface ConnectorCall {
  readonly method: 'POST' | 'PUT' | 'DELETE';
  /** Decoded conversation id. */
  readonly conversationId: string;
  readonly activityId?: string;
  readonly activity: Record<string, unknown>;
  /** The id the connector gave the message. */
  readonly id: string;
  /** The Authorization header the bot sent (a Bot Connector token), when it sent one. */
  readonly authorization?: string;
}

export interface FakeConnector {
  /** `http://127.0.0.1:<port>/` — use as the activity's serviceUrl. */
  readonly serviceUrl: string;
  readonly calls: ConnectorCall[];
  readonly createdConversations: Record<string, unknown>[];
  /** Messages (not typing) sent so far. */
  messages(): ConnectorCall[];
  /** Resolves once `predicate` holds for some message, or rejects after `timeoutInMs`. */
  waitForMessage(predicate: (call: ConnectorCall) => boolean, timeoutInMs?: number): Promise<ConnectorCall>;
  /** The members `pagedmembers` lists (default: the local fixtures' users); `undefined` restores the default. */
  setRoster(members: readonly Record<string, unknown>[] | undefined): void;
  /** `pagedmembers` requests seen (conversation id, pageSize, continuationToken). */
  readonly rosterRequests: { conversationId: string; pageSize?: string; continuationToken?: string }[];
  /** Answer the next `count` sends with this status (429/5xx fault tests). */
  failNext(status: number, count?: number, retryAfter?: number): void;
  reset(): void;
  close(): Promise<void>;
}

/**
 * A Bot Connector stand-in at the activities' serviceUrl: captures replies, updates and proactive messages, answers
 * TeamsInfo member look-ups from the local fixtures, and creates 1:1 conversations.
 */
export async function startFakeConnector(): Promise<FakeConnector> {
  const calls: ConnectorCall[] = [];
  const createdConversations: Record<string, unknown>[] = [];
  let counter = 1000;
  let failures: { status: number; count: number; retryAfter?: number } | undefined;
  let roster: readonly Record<string, unknown>[] | undefined;
  const rosterRequests: FakeConnector['rosterRequests'] = [];
  const waiters = new Set<() => void>();

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      res.writeHead(500);
      res.end(String(e));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const body = await readJson(req);
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    // /v3/conversations
    if (parts[0] === 'v3' && parts[1] === 'conversations' && parts.length === 2 && req.method === 'POST') {
      createdConversations.push(body);
      const member = ((body.members as { id: string }[] | undefined) ?? [])[0];
      return json(res, 201, { id: `a:personal-${member?.id ?? 'unknown'}`, activityId: String(++counter) });
    }
    // /v3/conversations/:id/pagedmembers: pages of 50..500 (200 by default) in teams and channels; chats get the
    // whole roster in one page (learn.microsoft.com/microsoftteams/platform/bots/how-to/get-teams-context).
    if (parts[0] === 'v3' && parts[1] === 'conversations' && parts[3] === 'pagedmembers' && req.method === 'GET') {
      const conversationId = parts[2] ?? '';
      const pageSizeParam = url.searchParams.get('pageSize') ?? undefined;
      const tokenParam = url.searchParams.get('continuationToken') ?? undefined;
      rosterRequests.push({
        conversationId,
        ...(pageSizeParam ? { pageSize: pageSizeParam } : {}),
        ...(tokenParam ? { continuationToken: tokenParam } : {}),
      });
      const all = roster ?? LOCAL_USERS.map(memberOf);
      if (!conversationId.includes('@thread.tacv2')) return json(res, 200, { members: all });
      const size = Math.min(500, Math.max(50, Number(pageSizeParam ?? 200) || 200));
      const from = tokenParam ? Number(Buffer.from(tokenParam, 'base64url').toString('utf8')) : 0;
      if (!Number.isInteger(from) || from < 0)
        return json(res, 400, { error: { code: 'BadArgument', message: 'invalid continuation token' } });
      const next = from + size;
      return json(res, 200, {
        members: all.slice(from, next),
        ...(next < all.length ? { continuationToken: Buffer.from(String(next)).toString('base64url') } : {}),
      });
    }
    // /v3/conversations/:id/members/:memberId
    if (parts[0] === 'v3' && parts[1] === 'conversations' && parts[3] === 'members' && req.method === 'GET') {
      const user = LOCAL_USERS.find((u) => u.id === parts[4]);
      if (!user) return json(res, 404, { error: { code: 'MemberNotFoundInConversation', message: 'not found' } });
      return json(res, 200, memberOf(user));
    }
    // /v3/conversations/:id/activities[/:activityId]
    if (parts[0] === 'v3' && parts[1] === 'conversations' && parts[3] === 'activities') {
      if (failures && failures.count > 0 && req.method !== 'GET') {
        failures.count--;
        const headers: Record<string, string> =
          failures.retryAfter !== undefined ? { 'Retry-After': String(failures.retryAfter) } : {};
        res.writeHead(failures.status, { 'Content-Type': 'application/json', ...headers });
        res.end(JSON.stringify({ error: { code: 'ServiceError', message: 'injected' } }));
        return;
      }
      const method = req.method as ConnectorCall['method'];
      const id = method === 'POST' ? String(++counter) : (parts[4] ?? '');
      const authorization = req.headers.authorization;
      calls.push({
        method,
        conversationId: parts[2] ?? '',
        ...(parts[4] ? { activityId: parts[4] } : {}),
        activity: body,
        id,
        ...(authorization ? { authorization } : {}),
      });
      for (const wake of waiters) wake();
      return json(res, method === 'POST' ? 201 : 200, { id });
    }
    json(res, 404, { error: { code: 'NotFound', message: url.pathname } });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;

  const messages = () => calls.filter((c) => c.activity.type === 'message');
  return {
    serviceUrl: `http://127.0.0.1:${port}/`,
    calls,
    createdConversations,
    rosterRequests,
    messages,
    setRoster(members) {
      roster = members;
    },
    waitForMessage(predicate, timeoutInMs = 8000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages().find(predicate);
          if (found) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(found);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `no matching message within ${timeoutInMs} ms; got ${messages().length}: ${JSON.stringify(messages().map(summary))}`,
            ),
          );
        }, timeoutInMs);
        waiters.add(check);
        check();
      });
    },
    failNext(status, count = 1, retryAfter) {
      failures = { status, count, ...(retryAfter !== undefined ? { retryAfter } : {}) };
    },
    reset() {
      calls.length = 0;
      createdConversations.length = 0;
      rosterRequests.length = 0;
      roster = undefined;
      failures = undefined;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function memberOf(user: (typeof LOCAL_USERS)[number]): Record<string, unknown> {
  return {
    id: user.id,
    name: user.name,
    aadObjectId: user.aadObjectId,
    userPrincipalName: user.upn,
    email: user.upn,
    givenName: user.givenName,
    surname: user.surname,
    tenantId: user.external ? 'partner-tenant-0000' : LOCAL_TENANT_ID,
    userRole: user.external ? 'guest' : 'user',
  };
}

function summary(call: ConnectorCall): string {
  return `${call.method} ${call.conversationId}: ${JSON.stringify(call.activity).slice(0, 200)}`;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}
