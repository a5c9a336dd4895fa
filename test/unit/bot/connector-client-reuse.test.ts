import assert from 'node:assert/strict';
import {
  AuthenticationConstants,
  ClaimsIdentity,
  type ConnectorClient,
  type ConnectorFactory,
} from 'botframework-connector';
import { StrictBotFrameworkAuthentication } from '../../../src/bot/bot-authentication';
import { ConnectorClients } from '../../../src/bot/connector-client-reuse';

/** A factory that hands out a new fake client per call and records what it was asked for. */
function countingFactory(fail = false): ConnectorFactory & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    create: async (serviceUrl: string, audience?: string) => {
      calls.push(`${serviceUrl} ${audience ?? ''}`);
      if (fail) throw new Error('credentials unavailable');
      return { serviceUrl, audience, n: calls.length } as unknown as ConnectorClient;
    },
  } as ConnectorFactory & { calls: string[] };
}

describe('ConnectorClients', () => {
  it('reuses one client per identity, service URL and audience across turns', async () => {
    const clients = new ConnectorClients();
    const turn1 = countingFactory();
    const turn2 = countingFactory();
    const a = await clients.reusing(turn1, 'bot').create('https://smba.example/amer/', 'https://api.botframework.com');
    const b = await clients.reusing(turn2, 'bot').create('https://smba.example/amer/', 'https://api.botframework.com');
    assert.equal(a, b);
    assert.deepEqual([turn1.calls.length, turn2.calls.length], [1, 0]);
  });

  it('keeps clients apart when the service URL, the audience or the identity differ', async () => {
    const clients = new ConnectorClients();
    const factory = countingFactory();
    const made = await Promise.all([
      clients.reusing(factory, 'bot').create('https://smba.example/amer/', 'aud'),
      clients.reusing(factory, 'bot').create('https://smba.example/emea/', 'aud'),
      clients.reusing(factory, 'bot').create('https://smba.example/amer/', 'skill-caller'),
      clients.reusing(factory, 'other-bot').create('https://smba.example/amer/', 'aud'),
    ]);
    assert.equal(new Set(made).size, 4);
    assert.equal(factory.calls.length, 4);
  });

  it('forgets a client whose creation failed, so the next turn builds a new one', async () => {
    const clients = new ConnectorClients();
    await assert.rejects(
      clients.reusing(countingFactory(true), 'bot').create('https://smba.example/amer/', 'aud'),
      /credentials unavailable/,
    );
    const retry = countingFactory();
    const client = await clients.reusing(retry, 'bot').create('https://smba.example/amer/', 'aud');
    assert.ok(client);
    assert.equal(retry.calls.length, 1);
  });
});

describe('StrictBotFrameworkAuthentication', () => {
  it('builds one user-token client per bot identity, not one per turn', async () => {
    const auth = new StrictBotFrameworkAuthentication({ MicrosoftAppType: 'MultiTenant' });
    const anonymous = new ClaimsIdentity([], true);
    const other = new ClaimsIdentity([{ type: AuthenticationConstants.AudienceClaim, value: 'another-bot' }], true);
    const [a, b, c] = await Promise.all([
      auth.createUserTokenClient(anonymous),
      auth.createUserTokenClient(anonymous),
      auth.createUserTokenClient(other),
    ]);
    assert.equal(a, b);
    assert.notEqual(a, c);
  });

  it('hands CloudAdapter connector factories that share clients across turns', async () => {
    const auth = new StrictBotFrameworkAuthentication({ MicrosoftAppType: 'MultiTenant' });
    const identity = new ClaimsIdentity([], true);
    const first = await auth
      .createConnectorFactory(identity)
      .create('https://smba.example/amer/', 'https://api.botframework.com');
    const second = await auth
      .createConnectorFactory(identity)
      .create('https://smba.example/amer/', 'https://api.botframework.com');
    assert.equal(first, second);
  });
});
