import { parseArgs } from 'node:util';
import { startGraphEmulator } from './graph-emulator';

/**
 * Runs the Graph stand-in as its own process (dev, or tests that drive it over /_control/*):
 *   npx tsx emulators/graph/main.ts --port 4100 --jwks-url https://127.0.0.1:4000/<tenant>/discovery/v2.0/keys
 * The Entra stand-in's https JWKS is trusted through NODE_EXTRA_CA_CERTS.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      'jwks-url': { type: 'string' },
      'refuse-live-events': { type: 'boolean', default: false },
      'refuse-channel-binding': { type: 'boolean', default: false },
    },
  });
  const jwksUrl = values['jwks-url'];
  if (!jwksUrl) throw new Error('--jwks-url is required (the Entra stand-in JWKS)');
  const emulator = await startGraphEmulator({
    port: Number(values.port),
    jwksUrl,
    refuseLiveEvents: values['refuse-live-events'],
    refuseChannelBinding: values['refuse-channel-binding'],
  });
  console.log(`Graph stand-in listening: ${emulator.baseUrl} (control: ${emulator.origin}/_control/*)`);
  const stop = (): void => {
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('graph stand-in: close failed', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
