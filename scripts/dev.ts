/**
 * `npm run dev`: Convene against the local Entra and Graph stand-ins, driven from the Microsoft 365 Agents
 * Playground. Nothing is built; Convene runs from TypeScript.
 *   npm run dev                              # everything, prints the Playground URL to open
 *   npm run dev -- --no-playground           # Convene and the stand-ins only
 *   npm run dev -- --graph-latency 1500      # every Graph call takes 1.5 s longer (see the typing indicator)
 *   npm run dev -- --locale zh-CN            # answer as a zh-CN (or ja-JP) Teams client would be (the Playground sends en-US)
 * Ctrl-C (or SIGTERM) stops every process it started.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureLocalCertificates } from '../emulators/tls/local-ca';
import { REPO_ROOT, startDevStack, type DevStack } from './dev-stack';

const USAGE = 'usage: npm run dev -- [--no-playground] [--graph-latency <ms>] [--locale en-US|zh-CN|ja-JP]';
const DEV_LOCALES = ['en-US', 'zh-CN', 'ja-JP'];

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'no-playground': { type: 'boolean', default: false },
      'graph-latency': { type: 'string' },
      locale: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const latency = values['graph-latency'] === undefined ? 0 : Number(values['graph-latency']);
  if (!Number.isInteger(latency) || latency < 0) {
    process.stderr.write(`dev: --graph-latency must be a whole number of milliseconds\n${USAGE}\n`);
    return 2;
  }

  const locale = values.locale;
  if (locale !== undefined && !DEV_LOCALES.includes(locale)) {
    process.stderr.write(`dev: --locale must be one of ${DEV_LOCALES.join(', ')}\n${USAGE}\n`);
    return 2;
  }

  // The Graph stand-in in this process fetches the Entra stand-in's keys over https on the local CA, and Node reads
  // NODE_EXTRA_CA_CERTS only at start-up: without it, run this script again with it set.
  const certs = ensureLocalCertificates(resolve(REPO_ROOT, '.local/certs'));
  const trusted = process.env['NODE_EXTRA_CA_CERTS'];
  if (!trusted || resolve(trusted) !== certs.caPath) return relaunchTrusting(certs.caPath);

  // Filled once start-up is done; the signal handlers below may run before that.
  const running: { stack?: DevStack } = {};
  let stopping = false;
  const stop = (reason: string, code: number): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\ndev: ${reason}; stopping everything\n`);
    // stack.stop() never rejects. During start-up there is no stack yet: exiting kills the children started so far
    // (dev-stack's exit hook) and the stand-ins die with this process.
    if (running.stack) void running.stack.stop().then(() => process.exit(code));
    else process.exit(code);
  };
  process.on('SIGINT', () => stop('SIGINT', 130));
  process.on('SIGTERM', () => stop('SIGTERM', 143));

  const stack = await startDevStack({
    playground: !values['no-playground'],
    graphLatencyInMs: latency,
    ...(locale ? { conveneEnv: { DEV_LOCALE: locale } } : {}),
  });
  running.stack = stack;
  stack.childExited
    .then(({ source, code, signal }) => stop(`${source} exited (code ${code}, signal ${signal})`, 1))
    .catch((error: unknown) => stop(`watching children failed: ${String(error)}`, 1));

  const lines = [
    `Entra stand-in  ${stack.entra.url}   Graph stand-in  ${stack.graph.baseUrl}${latency ? ` (+${latency} ms)` : ''}`,
    `Convene         ${stack.messagesUrl}${locale ? `   (answering as a ${locale} Teams client)` : ''}`,
    stack.playgroundUrl
      ? `\n  ▶ Open ${stack.playgroundUrl} to talk to Convene in the Agents Playground (Ctrl-C stops everything)\n`
      : `\n  ▶ Convene is ready at ${stack.conveneUrl} (no Playground; Ctrl-C stops everything)\n`,
  ];
  process.stdout.write(`\n${lines.join('\n')}\n`);
  return new Promise<number>(() => {
    // Runs until a signal or a child's exit calls stop().
  });
}

/** Runs this script again in a child node with NODE_EXTRA_CA_CERTS set, forwarding signals and the exit code. */
function relaunchTrusting(caPath: string): Promise<number> {
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, NODE_EXTRA_CA_CERTS: caPath },
  });
  // Ctrl-C reaches the child through the terminal's process group; SIGTERM sent to us alone is passed on.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  return new Promise((resolveExit, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolveExit(code ?? (signal === 'SIGINT' ? 130 : 143)));
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`dev: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
