/**
 * Framework floor: botbuilder + restify answering each message with a small Adaptive Card. No Graph, no sign-in.
 *   PORT=3978 node dist/bench/bots/framework-floor.js
 */
import { startFloorBot, requiredEnv } from './floor-server';

const JOIN_URL = 'https://teams.microsoft.com/l/meetup-join/floor';

startFloorBot(Number(requiredEnv('PORT')), async () => JOIN_URL).catch((e: unknown) => {
  process.stderr.write(`framework-floor: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
