import { MessageFactory, type InvokeResponse, type TurnContext } from 'botbuilder';
import { z } from 'zod';
import type { SignInLinks } from '../../auth/sign-in-link';
import { renderErrorCard, renderLoginRequest, renderNoticeCard } from '../../cards';
import { errorMessage, t } from '../../i18n';
import type { Logger } from '../../logging/logger';
import { AppError, SignInRequiredError } from '../../meetings/errors';
import type { Clock, GraphCaller, IdGenerator } from '../../meetings/ports';
import type { GraphCallers } from '../graph-callers';
import { cardFailureAnswer, invokeError } from '../responses';
import type { SignInPrompter } from '../sign-in-prompter';
import { readTurn, type TurnInfo } from '../turn-reader';
import { BadCardData, type CardAnswer, type CardPress, type CardVerb } from './card-verbs';

/** Teams gives an invoke ~5 s; Graph retries stop starting after this. */
const INVOKE_BUDGET_IN_MS = 4_000;

/** What each card verb runs (the table is in convene-bot.ts). */
export type CardVerbRoutes = Readonly<Record<CardVerb, (press: CardPress) => Promise<CardAnswer>>>;

export interface CardActionHandlerDeps {
  readonly verbs: CardVerbRoutes;
  readonly callers: Pick<GraphCallers, 'silent' | 'fromSso'>;
  readonly links: Pick<SignInLinks, 'linkFor'>;
  readonly prompter: Pick<SignInPrompter, 'prompt'>;
  readonly teamsSso: boolean;
  readonly appIdUri: string | undefined;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
}

/**
 * Meeting-card buttons (design.md §1): `adaptiveCard/action` invokes, and the Action.Submit fallback older clients
 * post as a message with `value`. Reads the press (who, which verb, the SSO token), runs the verb's route, and turns
 * its answer into the invoke response: the clicker's card, a 401 loginRequest, or a 400/412 error.
 */
export class CardActionHandler {
  private readonly verbNames: readonly CardVerb[];
  private readonly invokeSchema;

  constructor(private readonly deps: CardActionHandlerDeps) {
    this.verbNames = Object.keys(deps.verbs) as CardVerb[];
    this.invokeSchema = z.object({
      action: z.object({
        type: z.literal('Action.Execute'),
        verb: z.enum(this.verbNames as [CardVerb, ...CardVerb[]]),
        data: z.record(z.string(), z.unknown()).default({}),
      }),
      trigger: z.enum(['manual', 'automatic']).optional(),
      authentication: z
        .object({ token: z.string().min(1).max(16_384) })
        .partial()
        .optional(),
    });
  }

  async invoke(context: TurnContext): Promise<InvokeResponse> {
    const value = this.invokeSchema.safeParse(context.activity.value);
    const turn = readTurn(context);
    if (!value.success || !turn.user) return invokeError(400, 'BadRequest', 'The card action is malformed.');
    const { action, trigger, authentication } = value.data;
    const answer = await this.answer(
      context,
      turn,
      action.verb,
      action.data,
      trigger === 'automatic',
      authentication?.token,
    );
    switch (answer.kind) {
      case 'card':
        return {
          status: 200,
          body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: answer.card },
        };
      case 'login':
        return {
          status: 401,
          body: {
            statusCode: 401,
            type: 'application/vnd.microsoft.activity.loginRequest',
            value: this.loginRequest(turn, answer.consent, answer.townhall === true),
          },
        };
      case 'error':
        return invokeError(answer.status, answer.code, answer.message);
    }
  }

  /** A message from an Action.Submit fallback: `value` carries the button's data and `verb`. */
  accepts(context: TurnContext): boolean {
    const v = context.activity.value as { verb?: unknown } | undefined;
    return typeof v === 'object' && v !== null && this.verbNames.includes(v.verb as CardVerb);
  }

  async submit(context: TurnContext): Promise<void> {
    const turn = readTurn(context);
    const { verb, ...data } = context.activity.value as { verb: CardVerb } & Record<string, unknown>;
    if (!turn.user) return;
    const answer = await this.answer(context, turn, verb, data, false, undefined);
    if (answer.kind === 'login')
      return this.deps.prompter.prompt(
        context,
        turn,
        undefined,
        answer.consent ? 'consent' : 'first',
        answer.townhall ? 'townhalls' : 'meetings',
      );
    // No per-user views without Universal Actions: changes already reached everyone; say what else happened.
    const text = answer.kind === 'card' ? answer.notice : answer.message;
    if (text) await context.sendActivity(MessageFactory.text(text));
  }

  private async answer(
    context: TurnContext,
    turn: TurnInfo,
    verb: CardVerb,
    data: Record<string, unknown>,
    automatic: boolean,
    ssoToken: string | undefined,
  ): Promise<CardAnswer> {
    const user = turn.user!;
    const now = this.deps.clock.now();
    const caller = async (): Promise<GraphCaller> => {
      if (ssoToken) return this.deps.callers.fromSso(user, ssoToken);
      const found = await this.deps.callers.silent(user);
      if (!found) throw new SignInRequiredError();
      return found;
    };
    const press: CardPress = { context, turn, user, data, automatic, now, deadline: now + INVOKE_BUDGET_IN_MS, caller };
    try {
      return await this.deps.verbs[verb](press);
    } catch (e) {
      return this.failure(e, turn);
    }
  }

  private failure(e: unknown, turn: TurnInfo): CardAnswer {
    if (e instanceof BadCardData) {
      this.deps.logger.info({ reason: e.message }, 'card action refused');
      return { kind: 'error', status: 400, code: 'BadRequest', message: 'The card data is not valid.' };
    }
    const answer = cardFailureAnswer(e, turn.locale);
    switch (answer.kind) {
      case 'bad-request':
        this.deps.logger.info({ reason: answer.message }, 'card action refused');
        return { kind: 'error', status: 400, code: 'BadRequest', message: answer.message };
      case 'login':
        return {
          kind: 'login',
          consent: answer.consent,
          townhall: e instanceof AppError && e.details['access'] === 'townhalls',
        };
      case 'precondition':
        // The SSO token could not be exchanged: Teams falls back to its sign-in button.
        return { kind: 'error', status: 412, code: 'PreconditionFailed', message: answer.message };
      case 'not-your-request':
        return { kind: 'card', card: renderNoticeCard(turn.locale, 'notice.notYourRequest') };
      case 'notice':
        this.deps.logger.error(
          { err: e instanceof Error ? { name: e.name, message: e.message } : undefined },
          'card action failed unexpectedly',
        );
        return {
          kind: 'card',
          card: renderErrorCard({ locale: turn.locale, code: answer.code }),
          notice: errorMessage(turn.locale, 'internal'),
        };
    }
  }

  private loginRequest(turn: TurnInfo, consent: boolean, townhall = false) {
    const signInUrl = this.deps.links.linkFor(turn.user!, {
      ...(consent ? { prompt: 'consent' as const } : {}),
      ...(townhall ? { access: 'townhalls' as const } : {}),
    });
    // SSO works in personal and group chats only (design.md §2 table); consent needs the link's prompt=consent.
    const sso = this.deps.teamsSso && !consent && this.deps.appIdUri !== undefined && turn.scope !== 'channel';
    return renderLoginRequest({
      text: t(turn.locale, consent ? 'signin.consent' : 'signin.first'),
      buttonTitle: t(turn.locale, 'signin.button'),
      signInUrl,
      ...(sso ? { tokenExchangeResource: { id: this.deps.ids.newId(), uri: this.deps.appIdUri } } : {}),
    });
  }
}
