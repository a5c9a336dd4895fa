/**
 * Runs the Entra stand-in as its own process (dev, or tests that start the bot separately):
 *   npx tsx emulators/entra/main.ts [--port 4443] [--redirect-uri http://localhost:3978/auth/callback ...]
 *                                   [--token-lifetime 3599]
 * Prints one JSON line `{"url","authority","tenantId","jwksUri"}` on stdout once listening; Ctrl-C stops it.
 * Drive it over HTTP under /_control/* (see control.ts).
 */
import { parseArgs } from 'node:util';
import { DEFAULT_CLIENT, startEntraEmulator } from './emulator';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      'redirect-uri': { type: 'string', multiple: true },
      'token-lifetime': { type: 'string' },
    },
  });
  const redirectUris = values['redirect-uri'] ?? DEFAULT_CLIENT.redirectUris;
  const lifetime = values['token-lifetime'] ? Number(values['token-lifetime']) : undefined;
  const entra = await startEntraEmulator({
    port: Number(values.port),
    clients: [{ ...DEFAULT_CLIENT, redirectUris }],
    ...(lifetime ? { accessTokenLifetimeSec: lifetime } : {}),
  });
  process.stdout.write(
    `${JSON.stringify({ url: entra.url, authority: entra.authority, tenantId: entra.tenantId, jwksUri: entra.jwksUri })}\n`,
  );
  const stop = (): void => {
    entra.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('entra stand-in: close failed', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error('entra stand-in failed to start', error);
  process.exit(1);
});
