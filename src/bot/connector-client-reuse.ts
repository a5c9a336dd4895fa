import type { ConnectorClient, ConnectorFactory } from 'botframework-connector';

/** Distinct keys (bot identity, service URL, audience) are a handful per deployment; the bound only guards memory. */
const MAX_CLIENTS = 256;

/**
 * Clients made once per key and reused, bounded (oldest dropped first). A client whose creation failed is forgotten,
 * so the next caller tries again; the caller that asked sees the error from its own await.
 */
export class ClientReuse<T> {
  private readonly clients = new Map<string, Promise<T>>();

  get(key: string, create: () => Promise<T>): Promise<T> {
    let client = this.clients.get(key);
    if (!client) {
      if (this.clients.size >= MAX_CLIENTS) this.clients.delete(this.clients.keys().next().value as string);
      client = create();
      this.clients.set(key, client);
      client.catch(() => {
        if (this.clients.get(key) === client) this.clients.delete(key);
      });
    }
    return client;
  }
}

/**
 * One Bot Connector client per (bot identity, service URL, audience), reused across turns. CloudAdapter asks its
 * ConnectorFactory for a new ConnectorClient on every turn, which builds a whole Azure core HTTP pipeline and a
 * credentials object each time (~3 % of a command's CPU in `npm run bench`); botbuilder's older BotFrameworkAdapter
 * kept them per service URL the same way. A client holds no per-turn state, and its credentials renew their own token.
 */
export class ConnectorClients {
  private readonly clients = new ClientReuse<ConnectorClient>();

  /** `factory` as botbuilder made it for `identity` (the bot app id the request's claims name; '' when anonymous). */
  reusing(factory: ConnectorFactory, identity: string): ConnectorFactory {
    return {
      create: (serviceUrl: string, audience?: string): Promise<ConnectorClient> =>
        this.clients.get(`${identity}\n${serviceUrl}\n${audience ?? ''}`, () => factory.create(serviceUrl, audience)),
    };
  }
}
