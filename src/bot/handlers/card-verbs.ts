import { CardFactory, TurnContext, type ConversationReference } from 'botbuilder';
import { z } from 'zod';
import {
  renderChangeNotice,
  renderErrorCard,
  renderNoticeCard,
  type AdaptiveCard,
  type ChangeNoticeView,
} from '../../cards';
import { t, type StringKey } from '../../i18n';
import type { Logger } from '../../logging/logger';
import { isAppError, ValidationError, type AppError } from '../../meetings/errors';
import { cardActionKey, meetingKeyFor } from '../../meetings/idempotency';
import {
  isOrganizer,
  type CardActionInput,
  type ManageMeeting,
  type ManageOutcome,
  type MeetingChange,
} from '../../meetings/manage-meeting';
import {
  DEFAULT_MEETING_MINUTES,
  MAX_MEETING_MINUTES,
  MIN_FORM_MEETING_MINUTES,
  intervalFrom,
} from '../../meetings/meeting-policy';
import type { MeetingRecords } from '../../meetings/meeting-records';
import type { GraphCaller } from '../../meetings/ports';
import type { MeetingOptions, MeetingRecord, UserRef } from '../../meetings/types';
import type { BackgroundTasks } from '../background-tasks';
import { chosenStart, clarifyAgain, confirmCreateData } from '../clarify-answers';
import type { MeetingCardPoster } from '../meeting-card-poster';
import { renderRecordCard } from '../meeting-view';
import type { ProactiveMessenger } from '../proactive';
import { cardFailureAnswer, errorCardView } from '../responses';
import type { TurnInfo } from '../turn-reader';

const meetingKey = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const base = z.object({ meetingKey, version: z.coerce.number().int().min(1).max(1_000_000_000) });
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const time = z.string().regex(/^\d{2}:\d{2}(:\d{2})?$/);
const duration = z.coerce.number().int().min(MIN_FORM_MEETING_MINUTES).max(MAX_MEETING_MINUTES).optional();
const requestKey = z.string().min(1).max(400);
// The Options form (issue #15): ChoiceSet values and Toggle 'true'/'false', as Teams posts them. Values are Graph's
// own enum members (v1.0 onlineMeeting, lobbyBypassSettings); `default` leaves a setting as Teams has it.
const flag = z.enum(['true', 'false']).optional();
const optionsForm = base.extend({
  optLobby: z
    .enum([
      'default',
      'organizer',
      'organization',
      'organizationAndFederated',
      'everyone',
      'invited',
      'organizationExcludingGuests',
    ])
    .optional(),
  optDialIn: flag,
  optPresenters: z.enum(['default', 'everyone', 'organization', 'roleIsPresenter', 'organizer']).optional(),
  optRecord: flag,
  optChat: z.enum(['default', 'enabled', 'disabled', 'limited']).optional(),
});

/** Each verb's card data (untrusted: only these fields are read). */
export const CARD_VERB_DATA = {
  reschedule: base.extend({ rescheduleDate: date, rescheduleTime: time, rescheduleDuration: duration }),
  rename: base.extend({ renameSubject: z.string().trim().min(1).max(255) }),
  cancel: base,
  refresh: base,
  manage: base,
  newLike: base.extend({ newLikeDate: date, newLikeTime: time, newLikeDuration: duration }),
  options: optionsForm,
  retry: z.object({ requestKey }),
  // harden-state: the "may exist" card's button (the kept request under a new key).
  createAnyway: z.object({ requestKey }),
  confirmCreate: confirmCreateData,
  dismiss: z.object({ requestKey }),
} as const;
export type CardVerb = keyof typeof CARD_VERB_DATA;

/** One button press, read from the activity by the card-action handler (the clicker is never from card data). */
export interface CardPress {
  readonly context: TurnContext;
  readonly turn: TurnInfo;
  readonly user: UserRef;
  readonly data: Record<string, unknown>;
  /** Teams refreshing the card by itself (`trigger: automatic`). */
  readonly automatic: boolean;
  readonly now: number;
  /** Graph retries stop starting after this (Teams gives an invoke ~5 s). */
  readonly deadline: number;
  /** The clicker's Graph caller (SSO token of the invoke, else silent); throws sign-in errors. */
  readonly caller: () => Promise<GraphCaller>;
}

/** What one press resolves to, before it becomes an invoke response (or, for Action.Submit, a message). */
export type CardAnswer =
  | { readonly kind: 'card'; readonly card: AdaptiveCard; readonly notice?: string }
  | { readonly kind: 'login'; readonly consent: boolean; readonly townhall?: boolean }
  | { readonly kind: 'error'; readonly status: 400 | 412; readonly code: string; readonly message: string };

/** Card data that does not match its verb's schema. */
export class BadCardData extends Error {}

export interface CardVerbsDeps {
  readonly manage: ManageMeeting;
  readonly records: Pick<MeetingRecords, 'get' | 'setCardActivity'>;
  readonly poster: Pick<MeetingCardPoster, 'post'>;
  readonly proactive: ProactiveMessenger;
  readonly background: Pick<BackgroundTasks, 'run'>;
  readonly calendar?: { linkFor(meetingKey: string): string };
  readonly botEndpoint: string;
  readonly logger: Logger;
}

/**
 * What each meeting-card button does (design.md §1): parse its data, call the ManageMeeting use case, and answer with
 * the clicker's view of the card; after a change the posted card is updated for everyone. Routed by verb in convene-bot.ts.
 */
export class CardVerbs {
  constructor(private readonly deps: CardVerbsDeps) {}

  reschedule(p: CardPress): Promise<CardAnswer> {
    const d = parse(CARD_VERB_DATA.reschedule, p.data);
    const interval = () =>
      intervalFrom(
        d.rescheduleDate,
        d.rescheduleTime,
        d.rescheduleDuration ?? DEFAULT_MEETING_MINUTES,
        p.turn.timeZone,
        p.now,
      );
    return this.guarded(p, d.meetingKey, () => this.deps.manage.reschedule(input(p, d), interval()));
  }

  rename(p: CardPress): Promise<CardAnswer> {
    const d = parse(CARD_VERB_DATA.rename, p.data);
    return this.guarded(p, d.meetingKey, () => this.deps.manage.rename(input(p, d), d.renameSubject));
  }

  cancel(p: CardPress): Promise<CardAnswer> {
    const d = parse(CARD_VERB_DATA.cancel, p.data);
    return this.guarded(p, d.meetingKey, () => this.deps.manage.cancel(input(p, d)));
  }

  refresh(p: CardPress): Promise<CardAnswer> {
    const d = parse(CARD_VERB_DATA.refresh, p.data);
    return this.guarded(p, d.meetingKey, () => this.deps.manage.refresh(input(p, d), p.automatic));
  }

  manage(p: CardPress): Promise<CardAnswer> {
    const d = parse(CARD_VERB_DATA.manage, p.data);
    return this.guarded(p, d.meetingKey, () => this.deps.manage.open(input(p, d)));
  }

  newLike(p: CardPress): Promise<CardAnswer> {
    const d = parse(CARD_VERB_DATA.newLike, p.data);
    const values = { date: d.newLikeDate, time: d.newLikeTime, duration: d.newLikeDuration ?? DEFAULT_MEETING_MINUTES };
    return this.guarded(p, d.meetingKey, () =>
      this.deps.manage.newLike(
        input(p, d),
        intervalFrom(values.date, values.time, values.duration, p.turn.timeZone, p.now),
        values,
      ),
    );
  }

  options(p: CardPress): Promise<CardAnswer> {
    const d = parse(CARD_VERB_DATA.options, p.data);
    return this.guarded(p, d.meetingKey, () => this.deps.manage.setOptions(input(p, d), optionsFrom(d)));
  }

  retry(p: CardPress): Promise<CardAnswer> {
    const d = parse(CARD_VERB_DATA.retry, p.data);
    return this.kept(p, d.requestKey, () =>
      this.deps.manage.completeKept(d.requestKey, p.user, p.caller, { deadline: p.deadline }),
    );
  }

  /**
   * The kept request under a new key: a second meeting if the first attempt did make one (the card says so). Only its
   * requester may (completeKept); a double click repeats this key and makes one.
   */
  createAnyway(p: CardPress): Promise<CardAnswer> {
    const d = parse(CARD_VERB_DATA.createAnyway, p.data);
    const idempotencyKey = cardActionKey(p.user, p.context.activity.replyToId ?? d.requestKey, 'createAnyway', {
      requestKey: d.requestKey,
    });
    return this.kept(p, d.requestKey, () =>
      this.deps.manage.completeKept(d.requestKey, p.user, p.caller, { idempotencyKey, deadline: p.deadline }),
    );
  }

  /** A clarify answer: a suggested start or the picker's date + time (issue #17); one that can't be used asks again. */
  async confirmCreate(p: CardPress): Promise<CardAnswer> {
    const d = parse(CARD_VERB_DATA.confirmCreate, p.data);
    let startDateTime: string;
    try {
      startDateTime = chosenStart(d, p.turn.timeZone, p.now);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return this.askAgain(p, d.requestKey, e);
    }
    // Same time chosen twice (double click, button and picker alike) → same key → one meeting.
    const idempotencyKey = cardActionKey(p.user, p.context.activity.replyToId ?? d.requestKey, 'confirmCreate', {
      startDateTime,
    });
    return this.kept(p, d.requestKey, () =>
      this.deps.manage.completeKept(d.requestKey, p.user, p.caller, {
        startDateTime,
        idempotencyKey,
        deadline: p.deadline,
      }),
    );
  }

  private async askAgain(p: CardPress, requestKey: string, e: ValidationError): Promise<CardAnswer> {
    try {
      const again = await clarifyAgain(this.deps.manage, p.turn, requestKey, e, p.now);
      return again
        ? { kind: 'card', ...again }
        : { kind: 'card', card: renderNoticeCard(p.turn.locale, 'notice.requestExpired') };
    } catch (error) {
      if (cardFailureAnswer(error, p.turn.locale).kind === 'not-your-request') {
        return { kind: 'card', card: renderNoticeCard(p.turn.locale, 'notice.notYourRequest') };
      }
      throw error;
    }
  }

  async dismiss(p: CardPress): Promise<CardAnswer> {
    const d = parse(CARD_VERB_DATA.dismiss, p.data);
    const dropped = await this.deps.manage.dismissKept(d.requestKey, p.user);
    return {
      kind: 'card',
      card: renderNoticeCard(p.turn.locale, dropped ? 'notice.dismissed' : 'notice.requestExpired'),
    };
  }

  /** Runs a meeting-card use case; a failure after binding shows the clicker the current card with what went wrong. */
  private async guarded(p: CardPress, key: string, run: () => Promise<ManageOutcome>): Promise<CardAnswer> {
    let outcome: ManageOutcome;
    try {
      outcome = await run();
    } catch (e) {
      const answer = cardFailureAnswer(e, p.turn.locale);
      if (!isAppError(e) || answer.kind !== 'notice') throw e;
      this.logFailure(e, 'card action failed');
      const found = await this.deps.records.get(key);
      if (!found) throw e;
      return { kind: 'card', card: this.viewerCard(found.record, p.turn, answer.message), notice: answer.message };
    }
    return this.present(p, outcome);
  }

  private async present(p: CardPress, outcome: ManageOutcome): Promise<CardAnswer> {
    const { turn } = p;
    switch (outcome.kind) {
      case 'changed': {
        const key = CHANGE_NOTICE_KEYS[outcome.change];
        const notice = key ? t(turn.locale, key) : undefined;
        this.updateForEveryone(outcome.record);
        // 'changed' comes once per record version (ManageMeeting's claim): a duplicate click gets 'current', no post.
        this.postChangeNotice(outcome.record, outcome.previous, outcome.change, turn);
        return { kind: 'card', card: this.viewerCard(outcome.record, turn, notice), ...(notice ? { notice } : {}) };
      }
      case 'current':
        return { kind: 'card', card: this.viewerCard(outcome.record, turn) };
      case 'refused': {
        const notice =
          outcome.reason === 'not_organizer'
            ? t(turn.locale, 'notice.notOrganizer')
            : t(turn.locale, 'error.meeting_cancelled');
        return { kind: 'card', card: this.viewerCard(outcome.record, turn, notice), notice };
      }
      case 'created':
        // A repeated click finds the first click's meeting (same key): its card is posted once, by the first.
        if (!outcome.duplicate) await this.deps.poster.post(p.context, outcome.record, turn.teamsUserId);
        return { kind: 'card', card: this.viewerCard(outcome.source, turn) };
    }
  }

  /** Retry / confirmCreate: the kept request's card message becomes the meeting's card, for the clicker and everyone. */
  private async kept(
    p: CardPress,
    key: string,
    run: () => ReturnType<ManageMeeting['completeKept']>,
  ): Promise<CardAnswer> {
    let done: Awaited<ReturnType<ManageMeeting['completeKept']>>;
    try {
      done = await run();
    } catch (e) {
      const answer = cardFailureAnswer(e, p.turn.locale);
      if (answer.kind === 'not-your-request')
        return { kind: 'card', card: renderNoticeCard(p.turn.locale, 'notice.notYourRequest') };
      if (!isAppError(e) || answer.kind !== 'notice') throw e;
      this.logFailure(e, 'kept request failed');
      const card = renderErrorCard(errorCardView(e, { locale: p.turn.locale, retryKey: key }));
      return { kind: 'card', card, notice: answer.message };
    }
    if (!done) return { kind: 'card', card: renderNoticeCard(p.turn.locale, 'notice.requestExpired') };
    let record = done.record;
    const cardId = p.context.activity.replyToId;
    if (cardId && !record.cardActivityId) {
      const reference: Partial<ConversationReference> = TurnContext.getConversationReference(p.context.activity);
      await this.deps.records.setCardActivity(meetingKeyFor(record.meeting.id), reference, cardId, p.turn.teamsUserId);
      record = (await this.deps.records.get(meetingKeyFor(record.meeting.id)))?.record ?? record;
      this.updateForEveryone(record);
    }
    return { kind: 'card', card: this.viewerCard(record, p.turn) };
  }

  private logFailure(e: AppError, message: string): void {
    this.deps.logger.info({ code: e.code, status: e.status, details: e.details }, message);
  }

  viewerCard(record: MeetingRecord, turn: TurnInfo, notice?: string): AdaptiveCard {
    const audience = turn.user && isOrganizer(record, turn.user) ? 'organizer' : 'everyone';
    return this.card(record, turn.locale, turn.timeZone, audience, notice);
  }

  private card(
    record: MeetingRecord,
    locale: string,
    timeZone: string,
    audience: 'organizer' | 'everyone',
    notice?: string,
  ): AdaptiveCard {
    const icsUrl = this.deps.calendar?.linkFor(meetingKeyFor(record.meeting.id));
    return renderRecordCard(record, {
      locale,
      timeZone,
      audience,
      botEndpoint: this.deps.botEndpoint,
      ...(notice ? { notice } : {}),
      ...(icsUrl ? { icsUrl } : {}),
    });
  }

  /**
   * One short message in the card's thread ("Ada moved *Sprint review* to Thu 4:30 PM (PST)"), so a busy chat notices
   * the change. It is read by everyone, so its time is in the organizer's zone, named; the card itself refreshes per
   * user. Sent in the background, outside the invoke's budget.
   */
  private postChangeNotice(
    record: MeetingRecord,
    previous: MeetingRecord | undefined,
    change: MeetingChange,
    turn: TurnInfo,
  ): void {
    const { conversation, cardActivityId } = record;
    const view = changeNoticeView(record, previous, change);
    if (!conversation || !view) return;
    const text = renderChangeNotice(view, {
      locale: record.request.locale,
      timeZone: record.request.timeZone,
      actorName: turn.userName || record.organizerName,
      subject: record.meeting.subject || record.request.subject,
    });
    this.deps.background.run('post-change-notice', () =>
      this.deps.proactive.continue(conversation, async (ctx) => {
        await ctx.sendActivity({
          type: 'message',
          text,
          textFormat: 'markdown',
          ...(cardActivityId ? { replyToId: cardActivityId } : {}),
        });
      }),
    );
  }

  /** The posted card, for everyone, through the saved conversation reference (outside the invoke's 5 s budget). */
  private updateForEveryone(record: MeetingRecord): void {
    const { conversation, cardActivityId } = record;
    if (!conversation || !cardActivityId) return;
    const card = this.card(record, record.request.locale, record.request.timeZone, 'everyone');
    this.deps.background.run('update-card-for-everyone', () =>
      this.deps.proactive.continue(conversation, async (ctx) => {
        await ctx.updateActivity({
          type: 'message',
          id: cardActivityId,
          attachments: [CardFactory.adaptiveCard(card)],
        });
      }),
    );
  }
}

const CHANGE_NOTICE_KEYS: Partial<Record<MeetingChange, StringKey>> = {
  rescheduled: 'meeting.rescheduled',
  renamed: 'meeting.renamed',
  optionsChanged: 'meeting.optionsSaved',
};

function changeNoticeView(
  record: MeetingRecord,
  previous: MeetingRecord | undefined,
  change: MeetingChange,
): ChangeNoticeView | undefined {
  switch (change) {
    case 'rescheduled':
      return { kind: 'rescheduled', startDateTime: record.meeting.startDateTime };
    case 'renamed':
      return { kind: 'renamed', previousSubject: previous?.meeting.subject ?? '' };
    case 'cancelled':
      return { kind: 'cancelled' };
    case 'optionsChanged':
      return { kind: 'options', options: record.request.options ?? {} };
    case 'refreshed':
      return undefined;
  }
}

function optionsFrom(d: z.infer<typeof optionsForm>): MeetingOptions {
  const bool = (v: 'true' | 'false' | undefined) => (v === undefined ? undefined : v === 'true');
  const chosen = <T extends string>(v: T | 'default' | undefined): T | undefined =>
    v === undefined || v === 'default' ? undefined : v;
  const options: Record<string, unknown> = {
    lobbyScope: chosen(d.optLobby),
    dialInBypassesLobby: bool(d.optDialIn),
    allowedPresenters: chosen(d.optPresenters),
    recordAutomatically: bool(d.optRecord),
    allowMeetingChat: chosen(d.optChat),
  };
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
}

function input(p: CardPress, d: z.infer<typeof base>): CardActionInput {
  return {
    meetingKey: d.meetingKey,
    version: d.version,
    actor: p.user,
    cardActivityId: p.context.activity.replyToId,
    caller: p.caller,
    locale: p.turn.locale,
    deadline: p.deadline,
  };
}

function parse<S extends z.ZodTypeAny>(schema: S, data: unknown): z.infer<S> {
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new BadCardData(parsed.error.issues.map((i) => i.path.join('.')).join(', '));
  return parsed.data;
}
