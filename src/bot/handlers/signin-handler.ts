import type { InvokeResponse, TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { Logger } from '../../logging/logger';
import { ConsentRequiredError, isAppError } from '../../meetings/errors';
import type { ClaimsPort } from '../../meetings/ports';
import type { BackgroundTasks } from '../background-tasks';
import type { GraphCallers } from '../graph-callers';
import type { PendingCompletion } from '../sign-in-completion';
import { readTurn } from '../turn-reader';

const exchangeSchema = z.object({
  id: z.string().min(1).max(512),
  connectionName: z.string().optional(),
  token: z.string().min(1),
});
const failureSchema = z.object({ code: z.string().max(100).optional(), message: z.string().max(1000).optional() });

const EXCHANGE_TTL_IN_MS = 10 * 60 * 1000;
const DUPLICATE_WAIT_IN_MS = 4_000;

export interface SignInHandlerDeps {
  readonly callers: GraphCallers;
  readonly completion: Pick<PendingCompletion, 'complete'>;
  readonly claims: Pick<ClaimsPort, 'claimOrAwait'>;
  readonly logger: Logger;
  readonly background: BackgroundTasks;
}

/** `signin/tokenExchange`, `signin/verifyState`, `signin/failure` (design.md §2). */
export class SignInHandler {
  constructor(private readonly deps: SignInHandlerDeps) {}

  /**
   * Teams sends one exchange per signed-in client. The first claims the exchange id with compare-and-set and runs
   * on-behalf-of; duplicates wait for its outcome and answer the same, so there is one OBO call and one meeting.
   */
  async tokenExchange(context: TurnContext): Promise<InvokeResponse> {
    const value = exchangeSchema.safeParse(context.activity.value);
    const turn = readTurn(context);
    if (!value.success || !turn.user)
      return { status: 400, body: { failureDetail: 'The token exchange request is malformed.' } };
    const { id, connectionName = '' } = value.data;
    const key = `exchange:${turn.user.tenantId}:${turn.user.aadObjectId}:${id}`;
    const attempt = await this.deps.claims.claimOrAwait<200 | 412>(key, {
      ttlInMs: EXCHANGE_TTL_IN_MS,
      waitInMs: DUPLICATE_WAIT_IN_MS,
      // The previous version's {state: 'done', status} (while both share a Redis).
      legacy: (old) => {
        const done = old as { state?: unknown; status?: unknown } | null;
        return done?.state === 'done' && (done.status === 200 || done.status === 412) ? done.status : undefined;
      },
    });
    if (attempt.kind !== 'claimed') {
      // Still running after the wait: 412 sends that client to the sign-in button, which can't make a second meeting.
      const status = attempt.kind === 'settled' ? attempt.outcome : 412;
      return status === 200 ? { status: 200, body: { id, connectionName } } : precondition(id, connectionName);
    }
    let status: 200 | 412 = 412;
    try {
      await this.deps.callers.fromSso(turn.user, value.data.token);
      status = 200;
    } catch (e) {
      const code = isAppError(e) ? e.code : 'internal';
      this.deps.logger.info(
        { code, consent: e instanceof ConsentRequiredError },
        'SSO exchange failed; Teams will fall back to the sign-in button',
      );
    } finally {
      await attempt.claim.settle(status);
    }
    if (status === 412) return precondition(id, connectionName);
    const user = turn.user;
    // The invoke must answer inside Teams' budget; the pending request completes by a proactive message.
    this.deps.background.run('complete-after-exchange', async () => {
      await this.deps.completion.complete(user);
    });
    return { status: 200, body: { id, connectionName } };
  }

  /** After the popup flow: Convene's callback already stored the tokens; complete anything still waiting. */
  async verifyState(context: TurnContext): Promise<InvokeResponse> {
    const turn = readTurn(context);
    if (!turn.user) return { status: 400 };
    const user = turn.user;
    this.deps.background.run('complete-after-verify', async () => {
      await this.deps.completion.complete(user);
    });
    return { status: 200 };
  }

  /** Teams-side SSO failure (e.g. resourcematchfailed): logged; the OAuth card's button still offers the link. */
  async failure(context: TurnContext): Promise<InvokeResponse> {
    const value = failureSchema.safeParse(context.activity.value ?? {});
    this.deps.logger.warn({ code: value.success ? value.data.code : 'malformed' }, 'Teams reported an SSO failure');
    return { status: 200 };
  }
}

function precondition(id: string, connectionName: string): InvokeResponse {
  return {
    status: 412,
    body: { id, connectionName, failureDetail: 'The bot is unable to exchange token. Proceed with regular login.' },
  };
}
