import type { Request, Response, Server } from 'restify';
import { z } from 'zod';
import type { SignedTokens } from '../auth/signed-token';
import { calendarFileFor } from '../meetings/calendar-file';
import type { Logger } from '../logging/logger';
import { isAppError } from '../meetings/errors';
import type { MeetingRecords } from '../meetings/meeting-records';

/** Card links outlive the meeting by far; a link is re-signed every time the card is rendered. */
const ICS_LINK_TTL_IN_MS = 400 * 24 * 60 * 60 * 1000;
const payloadSchema = z.object({ ics: z.string().min(1).max(64) });

export interface CalendarLinksDeps {
  readonly botEndpoint: string;
  readonly tokens: Pick<SignedTokens, 'sign' | 'verify'>;
  readonly records: Pick<MeetingRecords, 'get'>;
  readonly logger: Pick<Logger, 'warn' | 'error'>;
}

/** How long a calendar app or browser should wait before asking again while storage is down. */
const RETRY_AFTER_IN_SECONDS = 30;

/**
 * "Add to calendar": `GET $BOT_ENDPOINT/meetings/<token>.ics`, the token an HMAC-signed meeting key (SIGNING_SECRET),
 * unguessable and long-lived. Anyone holding the card's link can download the file; nothing else is exposed.
 */
export class CalendarLinks {
  constructor(private readonly deps: CalendarLinksDeps) {}

  linkFor(meetingKey: string): string {
    return `${this.deps.botEndpoint}/meetings/${this.deps.tokens.sign({ ics: meetingKey }, ICS_LINK_TTL_IN_MS)}.ics`;
  }

  register(server: Server): void {
    // A wildcard, not `:file`: restify's router refuses parameters over 100 characters, and a signed token is longer.
    server.get('/meetings/*', async (req: Request, res: Response) => {
      const raw = (req.params as Record<string, unknown>)['*'];
      const file = typeof raw === 'string' ? raw : '';
      const token = file.endsWith('.ics') ? file.slice(0, -'.ics'.length) : '';
      const payload = payloadSchema.safeParse(token ? this.deps.tokens.verify(token) : undefined);
      if (!payload.success) return notFound(res);
      let found: Awaited<ReturnType<MeetingRecords['get']>>;
      try {
        found = await this.deps.records.get(payload.data.ics);
      } catch (e) {
        // The link's token is a capability and the error's message names internals (host:port): log neither.
        if (isAppError(e)) this.deps.logger.warn({ route: 'ics', code: e.code }, 'calendar file unavailable');
        else
          this.deps.logger.error(
            { route: 'ics', err: e instanceof Error ? { name: e.name } : undefined },
            'calendar file failed',
          );
        return unavailable(res);
      }
      if (!found) return notFound(res);
      const body = calendarFileFor(found.record, { uidDomain: new URL(this.deps.botEndpoint).hostname || 'convene' });
      res.writeHead(200, {
        'Content-Type': 'text/calendar; charset=utf-8; method=PUBLISH',
        'Content-Disposition': 'attachment; filename="meeting.ics"',
        'Cache-Control': 'private, no-cache',
      });
      res.end(body);
    });
  }
}

function unavailable(res: Response): void {
  res.writeHead(503, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Retry-After': String(RETRY_AFTER_IN_SECONDS),
    'Cache-Control': 'no-store',
  });
  res.end('The calendar file is temporarily unavailable. Please try again in a minute.');
}

function notFound(res: Response): void {
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end('Not found');
}
