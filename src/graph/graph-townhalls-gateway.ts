import { z } from 'zod';
import type { Logger } from '../logging/logger';
import { GraphRequestError } from '../meetings/errors';
import type { CreateTownhallBody, GatewayCallOptions, GraphCaller, TownhallsGateway } from '../meetings/ports';
import { USER_MESSAGES } from './graph-error-mapping';
import type { GraphCallSpec, GraphResult } from './graph-meetings-gateway';

/** The part of a virtualEventTownhall Convene reads (create's 201 body). */
const townhallSchema = z.object({ id: z.string().min(1), status: z.string().optional() });
/** Session summaries carry only id, times, subject and joinWebUrl (virtualevent-list-sessions, v1.0). */
const sessionsSchema = z.object({ value: z.array(z.object({ joinWebUrl: z.string().url().nullish() })) });

const TOWNHALLS = '/solutions/virtualEvents/townhalls';

/** The shared Graph call of GraphMeetingsGateway: one retry, timeout and logging policy for both gateways. */
export interface GraphTransport {
  call(caller: GraphCaller, spec: GraphCallSpec, options?: GatewayCallOptions): Promise<GraphResult>;
}

/**
 * Town halls over Graph v1.0 (learn.microsoft.com/graph/api/resources/virtualeventtownhall?view=graph-rest-1.0).
 * Every call is v1.0 whatever GRAPH_BASE_URL's version: town halls are documented there. A 403 is mapped to
 * `townhall_refused` (no licence, or the permission isn't granted).
 */
export class GraphTownhallsGateway implements TownhallsGateway {
  constructor(
    private readonly transport: GraphTransport,
    private readonly logger: Pick<Logger, 'error'>,
  ) {}

  async createTownhall(
    caller: GraphCaller,
    body: CreateTownhallBody,
    options: GatewayCallOptions = {},
  ): Promise<{ readonly id: string }> {
    // Not idempotent (a plain POST): only 429 is retried; a timeout, lost answer or 502-504 is graph_outcome_unknown.
    const result = await this.send(
      caller,
      { method: 'POST', path: TOWNHALLS, body: townhallRequest(body), idempotent: false },
      options,
    );
    const parsed = townhallSchema.safeParse(result.body);
    if (!parsed.success) throw this.malformed(result, 'virtualEventTownhall');
    return { id: parsed.data.id };
  }

  async publishTownhall(caller: GraphCaller, id: string, options: GatewayCallOptions = {}): Promise<void> {
    await this.send(caller, { method: 'POST', path: `${TOWNHALLS}/${encodeURIComponent(id)}/publish` }, options);
  }

  async getTownhallJoinUrl(
    caller: GraphCaller,
    id: string,
    options: GatewayCallOptions = {},
  ): Promise<string | undefined> {
    const result = await this.send(
      caller,
      { method: 'GET', path: `${TOWNHALLS}/${encodeURIComponent(id)}/sessions` },
      options,
    );
    const parsed = sessionsSchema.safeParse(result.body);
    if (!parsed.success) throw this.malformed(result, 'session collection');
    return parsed.data.value.find((s) => s.joinWebUrl)?.joinWebUrl ?? undefined;
  }

  async cancelTownhall(caller: GraphCaller, id: string, options: GatewayCallOptions = {}): Promise<void> {
    await this.send(caller, { method: 'POST', path: `${TOWNHALLS}/${encodeURIComponent(id)}/cancel` }, options);
  }

  private async send(caller: GraphCaller, spec: GraphCallSpec, options: GatewayCallOptions): Promise<GraphResult> {
    try {
      return await this.transport.call(caller, { ...spec, version: 'v1.0' }, options);
    } catch (e) {
      if (e instanceof GraphRequestError && e.code === 'graph_forbidden') {
        throw new GraphRequestError('townhall_refused', e.httpStatus, e.requestId, USER_MESSAGES.townhall_refused, {
          cause: e,
          ...(e.graphCode ? { graphCode: e.graphCode } : {}),
        });
      }
      throw e;
    }
  }

  private malformed(result: GraphResult, what: string): GraphRequestError {
    this.logger.error({ requestId: result.requestId }, `graph: response is not a ${what}`);
    return new GraphRequestError('graph_unavailable', 502, result.requestId, USER_MESSAGES.graph_unavailable);
  }
}

/**
 * The create body: displayName, times as dateTimeTimeZone (UTC), audience, coOrganizers as
 * communicationsUserIdentity (virtualeventsroot-post-townhalls, v1.0 example).
 */
export function townhallRequest(body: CreateTownhallBody): Record<string, unknown> {
  return {
    displayName: body.subject,
    startDateTime: utcDateTimeTimeZone(body.startDateTime),
    endDateTime: utcDateTimeTimeZone(body.endDateTime),
    audience: body.audience,
    ...(body.coOrganizers.length > 0
      ? {
          coOrganizers: body.coOrganizers.map((c) => ({
            '@odata.type': '#microsoft.graph.communicationsUserIdentity',
            id: c.aadObjectId,
            displayName: c.displayName,
          })),
        }
      : {}),
  };
}

/** dateTimeTimeZone wants a local time without offset plus a zone name; UTC is one Windows and IANA both know. */
function utcDateTimeTimeZone(iso: string): { dateTime: string; timeZone: string } {
  return { dateTime: new Date(iso).toISOString().slice(0, 19), timeZone: 'UTC' };
}
