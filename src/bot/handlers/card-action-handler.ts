import { CardFactory, MessageFactory, TurnContext, type ConversationReference, type InvokeResponse } from 'botbuilder';
import { z } from 'zod';
import { errorMessage, t } from '../../i18n';
import { renderErrorCard, renderLoginRequest, renderNoticeCard, type AdaptiveCard } from '../../cards';
import type { SignInLinks } from '../../auth/sign-in-link';
import type { Logger } from '../../logging/logger';
import { AppError, ConsentRequiredError, SignInRequiredError, ValidationError } from '../../meetings/errors';
import { cardActionKey, meetingKeyFor } from '../../meetings/idempotency';
import { intervalFrom, isOrganizer, type CardActionInput, type ManageMeeting, type ManageOutcome } from '../../meetings/manage-meeting';
import type { MeetingRecords } from '../../meetings/meeting-records';
import type { Clock, GraphCaller, IdGenerator } from '../../meetings/ports';
import type { MeetingRecord } from '../../meetings/types';
import type { BackgroundTasks } from '../background-tasks';
import type { GraphCallers } from '../graph-callers';
import type { MeetingCommands } from '../meeting-commands';
import { renderRecordCard } from '../meeting-view';
import type { ProactiveMessenger } from '../proactive';
import type { SignInPrompter } from '../sign-in-prompter';
import { readTurn, type TurnInfo } from '../turn-reader';

/** Teams gives an invoke ~5 s; Graph retries stop starting after this. */
const INVOKE_BUDGET_IN_MS = 4_000;

const meetingKey = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const base = z.object({ meetingKey, version: z.coerce.number().int().min(1).max(1_000_000_000) });
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const time = z.string().regex(/^\d{2}:\d{2}(:\d{2})?$/);
const duration = z.coerce.number().int().min(5).max(1440).optional();
const requestKey = z.string().min(1).max(400);
const SCHEMAS = {
  reschedule: base.extend({ rescheduleDate: date, rescheduleTime: time, rescheduleDuration: duration }),
  rename: base.extend({ renameSubject: z.string().trim().min(1).max(255) }),
  cancel: base,
  refresh: base,
  manage: base,
  newLike: base.extend({ newLikeDate: date, newLikeTime: time, newLikeDuration: duration }),
  retry: z.object({ requestKey }),
  confirmCreate: z.object({ requestKey, startDateTime: z.string().min(10).max(40) }),
  dismiss: z.object({ requestKey }),
} as const;
type Verb = keyof typeof SCHEMAS;
const VERBS = Object.keys(SCHEMAS) as Verb[];

const invokeSchema = z.object({
  action: z.object({ type: z.literal('Action.Execute'), verb: z.enum(VERBS as [Verb, ...Verb[]]), data: z.record(z.string(), z.unknown()).default({}) }),
  trigger: z.enum(['manual', 'automatic']).optional(),
  authentication: z.object({ token: z.string().min(1).max(16_384) }).partial().optional(),
});

export interface CardActionHandlerDeps {
  readonly manage: ManageMeeting;
  readonly records: Pick<MeetingRecords, 'get' | 'setCardActivity'>;
  readonly commands: Pick<MeetingCommands, 'sendCard'>;
  readonly callers: Pick<GraphCallers, 'silent' | 'fromSso'>;
  readonly links: Pick<SignInLinks, 'linkFor'>;
  readonly prompter: Pick<SignInPrompter, 'prompt'>;
  readonly proactive: ProactiveMessenger;
  readonly background: Pick<BackgroundTasks, 'run'>;
  readonly calendar?: { linkFor(meetingKey: string): string };
  readonly teamsSso: boolean;
  readonly appIdUri: string | undefined;
  readonly botEndpoint: string;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
}

/** What one press resolves to, before it becomes an invoke response (or, for Action.Submit, a message). */
type Answer =
  | { readonly kind: 'card'; readonly card: AdaptiveCard; readonly notice?: string }
  | { readonly kind: 'login'; readonly consent: boolean; readonly townhall?: boolean }
  | { readonly kind: 'error'; readonly status: 400 | 412; readonly code: string; readonly message: string };

class BadCardData extends Error {}

/**
 * Meeting-card buttons (design.md §1): `adaptiveCard/action` invokes, and the Action.Submit fallback older clients
 * post as a message with `value`. Parses untrusted card data with zod, calls the ManageMeeting use case, answers
 * with the clicker's view of the card, and updates the posted card for everyone after a change.
 */
export class CardActionHandler {
  constructor(private readonly deps: CardActionHandlerDeps) {}

  async invoke(context: TurnContext): Promise<InvokeResponse> {
    const value = invokeSchema.safeParse(context.activity.value);
    const turn = readTurn(context);
    if (!value.success || !turn.user) return error(400, 'BadRequest', 'The card action is malformed.');
    const { action, trigger, authentication } = value.data;
    const answer = await this.answer(context, turn, action.verb, action.data, trigger === 'automatic', authentication?.token);
    switch (answer.kind) {
      case 'card':
        return { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: answer.card } };
      case 'login':
        return { status: 401, body: { statusCode: 401, type: 'application/vnd.microsoft.activity.loginRequest', value: this.loginRequest(turn, answer.consent, answer.townhall === true) } };
      case 'error':
        return error(answer.status, answer.code, answer.message);
    }
  }

  /** A message from an Action.Submit fallback: `value` carries the button's data and `verb`. */
  accepts(context: TurnContext): boolean {
    const v = context.activity.value as { verb?: unknown } | undefined;
    return typeof v === 'object' && v !== null && VERBS.includes(v.verb as Verb);
  }

  async submit(context: TurnContext): Promise<void> {
    const turn = readTurn(context);
    const { verb, ...data } = context.activity.value as { verb: Verb } & Record<string, unknown>;
    if (!turn.user) return;
    const answer = await this.answer(context, turn, verb, data, false, undefined);
    if (answer.kind === 'login') return this.deps.prompter.prompt(context, turn, undefined, answer.consent ? 'consent' : 'first', answer.townhall ? 'townhalls' : 'meetings');
    // No per-user views without Universal Actions: changes already reached everyone; say what else happened.
    const text = answer.kind === 'card' ? answer.notice : answer.message;
    if (text) await context.sendActivity(MessageFactory.text(text));
  }

  private async answer(context: TurnContext, turn: TurnInfo, verb: Verb, data: Record<string, unknown>, automatic: boolean, ssoToken: string | undefined): Promise<Answer> {
    const user = turn.user!;
    const now = this.deps.clock.now();
    const deadline = now + INVOKE_BUDGET_IN_MS;
    const caller = async (): Promise<GraphCaller> => {
      if (ssoToken) return this.deps.callers.fromSso(user, ssoToken);
      const found = await this.deps.callers.silent(user);
      if (!found) throw new SignInRequiredError();
      return found;
    };
    const input = (d: z.infer<typeof base>): CardActionInput => ({
      meetingKey: d.meetingKey, version: d.version, actor: user, cardActivityId: context.activity.replyToId, caller, locale: turn.locale, deadline,
    });
    try {
      switch (verb) {
        case 'reschedule': {
          const d = parse(SCHEMAS.reschedule, data);
          return await this.guarded(context, turn, d.meetingKey, () =>
            this.deps.manage.reschedule(input(d), intervalFrom(d.rescheduleDate, d.rescheduleTime, d.rescheduleDuration ?? 30, turn.timeZone, now)));
        }
        case 'rename': {
          const d = parse(SCHEMAS.rename, data);
          return await this.guarded(context, turn, d.meetingKey, () => this.deps.manage.rename(input(d), d.renameSubject));
        }
        case 'cancel': {
          const d = parse(SCHEMAS.cancel, data);
          return await this.guarded(context, turn, d.meetingKey, () => this.deps.manage.cancel(input(d)));
        }
        case 'refresh': {
          const d = parse(SCHEMAS.refresh, data);
          return await this.guarded(context, turn, d.meetingKey, () => this.deps.manage.refresh(input(d), automatic));
        }
        case 'manage': {
          const d = parse(SCHEMAS.manage, data);
          return await this.guarded(context, turn, d.meetingKey, () => this.deps.manage.open(input(d)));
        }
        case 'newLike': {
          const d = parse(SCHEMAS.newLike, data);
          const values = { date: d.newLikeDate, time: d.newLikeTime, duration: d.newLikeDuration ?? 30 };
          return await this.guarded(context, turn, d.meetingKey, () =>
            this.deps.manage.newLike(input(d), intervalFrom(values.date, values.time, values.duration, turn.timeZone, now), values));
        }
        case 'retry': {
          const d = parse(SCHEMAS.retry, data);
          return await this.kept(context, turn, d.requestKey, () => this.deps.manage.completeKept(d.requestKey, user, caller, { deadline }));
        }
        case 'confirmCreate': {
          const d = parse(SCHEMAS.confirmCreate, data);
          const idempotencyKey = cardActionKey(user, context.activity.replyToId ?? d.requestKey, verb, { startDateTime: d.startDateTime });
          return await this.kept(context, turn, d.requestKey, () =>
            this.deps.manage.completeKept(d.requestKey, user, caller, { startDateTime: d.startDateTime, idempotencyKey, deadline }));
        }
        case 'dismiss': {
          const d = parse(SCHEMAS.dismiss, data);
          const dropped = await this.deps.manage.dismissKept(d.requestKey, user);
          return { kind: 'card', card: renderNoticeCard(turn.locale, dropped ? 'notice.dismissed' : 'notice.requestExpired') };
        }
      }
    } catch (e) {
      return this.failure(e, turn);
    }
  }

  /** Runs a meeting-card use case; an AppError after binding shows the clicker the current card with what went wrong. */
  private async guarded(context: TurnContext, turn: TurnInfo, key: string, run: () => Promise<ManageOutcome>): Promise<Answer> {
    try {
      return await this.present(context, turn, await run());
    } catch (e) {
      if (!(e instanceof AppError) || isBindingError(e) || e instanceof SignInRequiredError || e instanceof ConsentRequiredError) throw e;
      this.deps.logger.info({ code: e.code, status: e.status, details: e.details }, 'card action failed');
      const found = await this.deps.records.get(key);
      if (!found) throw e;
      const notice = errorMessage(turn.locale, e.code);
      return { kind: 'card', card: this.viewerCard(found.record, turn, notice), notice };
    }
  }

  private async present(context: TurnContext, turn: TurnInfo, outcome: ManageOutcome): Promise<Answer> {
    switch (outcome.kind) {
      case 'changed': {
        const notice = outcome.change === 'rescheduled' ? t(turn.locale, 'meeting.rescheduled') : outcome.change === 'renamed' ? t(turn.locale, 'meeting.renamed') : undefined;
        this.updateForEveryone(outcome.record);
        return { kind: 'card', card: this.viewerCard(outcome.record, turn, notice), ...(notice ? { notice } : {}) };
      }
      case 'current':
        return { kind: 'card', card: this.viewerCard(outcome.record, turn) };
      case 'refused': {
        const notice = outcome.reason === 'not_organizer' ? t(turn.locale, 'notice.notOrganizer') : errorMessage(turn.locale, 'meeting_cancelled');
        return { kind: 'card', card: this.viewerCard(outcome.record, turn, notice), notice };
      }
      case 'created':
        // A repeated click finds the first click's meeting (same key): its card is posted once, by the first.
        if (!outcome.duplicate) await this.deps.commands.sendCard(context, outcome.record, turn.teamsUserId);
        return { kind: 'card', card: this.viewerCard(outcome.source, turn) };
    }
  }

  /** Retry / confirmCreate: the kept request's card message becomes the meeting's card, for the clicker and everyone. */
  private async kept(context: TurnContext, turn: TurnInfo, key: string, run: ReturnType<ManageMeeting['completeKept']> extends Promise<infer R> ? () => Promise<R> : never): Promise<Answer> {
    try {
      const done = await run();
      if (!done) return { kind: 'card', card: renderNoticeCard(turn.locale, 'notice.requestExpired') };
      let record = done.record;
      const cardId = context.activity.replyToId;
      if (cardId && !record.cardActivityId) {
        const reference: Partial<ConversationReference> = TurnContext.getConversationReference(context.activity);
        await this.deps.records.setCardActivity(meetingKeyFor(record.meeting.id), reference, cardId, turn.teamsUserId);
        record = (await this.deps.records.get(meetingKeyFor(record.meeting.id)))?.record ?? record;
        this.updateForEveryone(record);
      }
      return { kind: 'card', card: this.viewerCard(record, turn) };
    } catch (e) {
      if (e instanceof AppError && e.code === 'identity_mismatch') return { kind: 'card', card: renderNoticeCard(turn.locale, 'notice.notYourRequest') };
      if (!(e instanceof AppError) || e instanceof SignInRequiredError || e instanceof ConsentRequiredError) throw e;
      this.deps.logger.info({ code: e.code, status: e.status, details: e.details }, 'kept request failed');
      const card = renderErrorCard({ locale: turn.locale, code: e.code, ...(e.retryable ? { retryData: { requestKey: key } } : {}) });
      return { kind: 'card', card, notice: errorMessage(turn.locale, e.code) };
    }
  }

  private failure(e: unknown, turn: TurnInfo): Answer {
    if (e instanceof BadCardData || (e instanceof AppError && isBindingError(e))) {
      this.deps.logger.info({ reason: e.message }, 'card action refused');
      return { kind: 'error', status: 400, code: 'BadRequest', message: e instanceof BadCardData ? 'The card data is not valid.' : e.message };
    }
    if (e instanceof ConsentRequiredError) return { kind: 'login', consent: true, townhall: e.details['access'] === 'townhalls' };
    if (e instanceof SignInRequiredError) return { kind: 'login', consent: false };
    if (e instanceof AppError && (e.code === 'identity_mismatch' || e.code === 'auth_unavailable')) {
      // The SSO token could not be exchanged: Teams falls back to its sign-in button.
      return { kind: 'error', status: 412, code: 'PreconditionFailed', message: errorMessage(turn.locale, e.code) };
    }
    this.deps.logger.error({ err: e instanceof Error ? { name: e.name, message: e.message } : undefined }, 'card action failed unexpectedly');
    return { kind: 'card', card: renderErrorCard({ locale: turn.locale, code: e instanceof AppError ? e.code : 'internal' }), notice: errorMessage(turn.locale, 'internal') };
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

  private viewerCard(record: MeetingRecord, turn: TurnInfo, notice?: string): AdaptiveCard {
    const audience = turn.user && isOrganizer(record, turn.user) ? 'organizer' : 'everyone';
    return this.card(record, turn.locale, turn.timeZone, audience, notice);
  }

  private card(record: MeetingRecord, locale: string, timeZone: string, audience: 'organizer' | 'everyone', notice?: string): AdaptiveCard {
    const icsUrl = this.deps.calendar?.linkFor(meetingKeyFor(record.meeting.id));
    return renderRecordCard(record, { locale, timeZone, audience, botEndpoint: this.deps.botEndpoint, ...(notice ? { notice } : {}), ...(icsUrl ? { icsUrl } : {}) });
  }

  /** The posted card, for everyone, through the saved conversation reference (outside the invoke's 5 s budget). */
  private updateForEveryone(record: MeetingRecord): void {
    const { conversation, cardActivityId } = record;
    if (!conversation || !cardActivityId) return;
    const card = this.card(record, record.request.locale, record.request.timeZone, 'everyone');
    this.deps.background.run('update-card-for-everyone', () =>
      this.deps.proactive.continue(conversation, async (ctx) => {
        await ctx.updateActivity({ type: 'message', id: cardActivityId, attachments: [CardFactory.adaptiveCard(card)] });
      }),
    );
  }
}

function parse<S extends z.ZodTypeAny>(schema: S, data: unknown): z.infer<S> {
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new BadCardData(parsed.error.issues.map((i) => i.path.join('.')).join(', '));
  return parsed.data;
}

function isBindingError(e: AppError): boolean {
  return e instanceof ValidationError && e.fieldErrors['meetingKey'] !== undefined;
}

function error(status: 400 | 412, code: string, message: string): InvokeResponse {
  const type = status === 412 ? 'application/vnd.microsoft.error.preconditionFailed' : 'application/vnd.microsoft.error';
  return { status, body: { statusCode: status, type, value: { code, message } } };
}
