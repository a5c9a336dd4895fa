import { CardFactory, MessageFactory, TeamsInfo, type TurnContext } from 'botbuilder';
import { renderClarifyCard } from '../cards';
import { t } from '../i18n';
import type { Logger } from '../logging/logger';
import type { CreateCommand } from '../meetings/command-parser';
import type { CreateMeeting } from '../meetings/create-meeting';
import { AppError, ConsentRequiredError } from '../meetings/errors';
import type { ClarifyCommand as ParsedClarify } from '../meetings/command-parser';
import type { KeptQuestion, KeptRequests } from '../meetings/kept-requests';
import type { PendingRequests } from '../meetings/pending-requests';
import type { ClaimsPort, Clock } from '../meetings/ports';
import type { Attendee, MeetingRequest, UserRef } from '../meetings/types';
import { clarifyCardView } from './clarify-view';
import type { GraphCallers } from './graph-callers';
import type { MeetingCardPoster } from './meeting-card-poster';
import { errorCardActivity, normalizeError } from './responses';
import type { SignInPrompter } from './sign-in-prompter';
import type { CommandText, TurnInfo } from './turn-reader';
import { replyReference } from './turn-reader';
import { attendeeFrom, MAX_ROSTER_INVITEES, rosterInvitees } from './roster-invitees';

/** Teams waits ~15 s for a message turn; leave room for the reply after Graph retries. */
const MESSAGE_TURN_BUDGET_IN_MS = 10_000;
/** A redelivery waits this long for the first delivery's answer, then posts nothing (the first one will). */
const REDELIVERY_WAIT_IN_MS = 10_000;
const DELIVERY_TTL_IN_MS = 24 * 60 * 60 * 1000;

export interface MeetingCommandsDeps {
  readonly createMeeting: Pick<CreateMeeting, 'execute' | 'accessFor'>;
  /** One answer per message delivery (Teams redelivers a message whose reply is slow). */
  readonly claims: Pick<ClaimsPort, 'claimOrAwait'>;
  readonly pending: Pick<PendingRequests, 'add'>;
  readonly callers: GraphCallers;
  readonly prompter: SignInPrompter;
  readonly poster: Pick<MeetingCardPoster, 'post'>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Keeps failed and clarify requests so an error card's Retry or a clarify card's answer can complete them. */
  readonly kept?: KeptRequests;
}

/** The meeting a chat command asks for (a parsed `create`, or a clarify card's request with its chosen start). */
export type MeetingAsk = Pick<
  CreateCommand,
  'subject' | 'startDateTime' | 'endDateTime' | 'passcode' | 'live' | 'mentions' | 'everyone' | 'options'
>;

/** A command that needs its time answered first (the parser's `clarify`). */
export type ClarifyRequest = Omit<MeetingAsk, 'startDateTime' | 'endDateTime'> &
  Pick<ParsedClarify, 'reason' | 'suggestions' | 'unreadable' | 'day' | 'startDateTime' | 'durationMinutes'>;

/**
 * Creating a meeting from a chat message, or keeping the request while the user signs in (nobody retypes;
 * PendingCompletion finishes it).
 */
export class MeetingCommands {
  constructor(private readonly deps: MeetingCommandsDeps) {}

  /**
   * A message's create, answered once per activity: a redelivery (same activity id, so the same key) posts nothing
   * while the first delivery works or after it answered with a card or a sign-in prompt, and the card the first
   * posted keeps its buttons. After an error card, a redelivery tries again (the key keeps it to one meeting).
   */
  async create(
    context: TurnContext,
    turn: TurnInfo,
    command: MeetingAsk,
    text: CommandText,
    idempotencyKey: string,
  ): Promise<void> {
    // Without an activity id there is nothing to recognise a redelivery by.
    if (!context.activity.id) {
      await this.createOnce(context, turn, command, text, idempotencyKey);
      return;
    }
    let delivery;
    try {
      delivery = await this.deps.claims.claimOrAwait<'answered'>(`delivery:${idempotencyKey}`, {
        ttlInMs: DELIVERY_TTL_IN_MS,
        waitInMs: REDELIVERY_WAIT_IN_MS,
      });
    } catch (e) {
      // Storage is down: the create below meets the same outage and answers with its error card.
      this.deps.logger.warn(
        { code: e instanceof AppError ? e.code : 'internal' },
        'could not claim the message delivery',
      );
      await this.createOnce(context, turn, command, text, idempotencyKey);
      return;
    }
    if (delivery.kind !== 'claimed') {
      this.deps.logger.info(
        { delivery: delivery.kind },
        'redelivered message: already answered or being answered; nothing posted',
      );
      return;
    }
    let answered = false;
    try {
      answered = await this.createOnce(context, turn, command, text, idempotencyKey);
    } finally {
      await (answered ? delivery.claim.settle('answered') : delivery.claim.release());
    }
  }

  /** True when the message got its answer (the meeting card, or a sign-in prompt); false after an error card. */
  private async createOnce(
    context: TurnContext,
    turn: TurnInfo,
    command: MeetingAsk,
    text: CommandText,
    idempotencyKey: string,
  ): Promise<boolean> {
    const user = turn.user!;
    const request = await this.buildRequest(context, turn, command, text);
    try {
      // Inside the try: an outage of sign-in or storage gets the same error card (with Retry) as a Graph failure.
      const caller = await this.deps.callers.silent(user);
      if (!caller) {
        await this.keepAndAskToSignIn(context, turn, 'first', {
          user,
          request,
          idempotencyKey,
          commandText: text.text,
        });
        return true;
      }
      const { record } = await this.deps.createMeeting.execute({
        request,
        idempotencyKey,
        caller,
        organizer: user,
        organizerName: turn.userName,
        deadline: this.deps.clock.now() + MESSAGE_TURN_BUDGET_IN_MS,
      });
      await this.deps.poster.post(context, record, turn.teamsUserId);
      return true;
    } catch (e) {
      const error = normalizeError(e, this.deps.logger, { flow: 'create', scope: turn.scope });
      if (error instanceof ConsentRequiredError) {
        await this.keepAndAskToSignIn(context, turn, 'consent', {
          user,
          request,
          idempotencyKey,
          commandText: text.text,
        });
        return true;
      }
      await this.keepForRetry(error, idempotencyKey, {
        user,
        userName: turn.userName,
        request,
        commandText: text.text,
      });
      await context.sendActivity(
        errorCardActivity(error, { locale: turn.locale, commandText: text.text, retryKey: idempotencyKey }),
      );
      return false;
    }
  }

  /**
   * Asks when the meeting should be (past, ambiguous or unreadable time): keeps the request under `requestKey` (subject,
   * options, attendees) so the card's answers (`confirmCreate`: a suggested start or the picker's date + time)
   * create it without retyping, and replies with the question.
   */
  async ask(
    context: TurnContext,
    turn: TurnInfo,
    command: ClarifyRequest,
    text: CommandText,
    requestKey: string,
  ): Promise<void> {
    const now = this.deps.clock.now();
    const question: KeptQuestion = {
      reason: command.reason,
      suggestions: command.suggestions,
      ...(command.unreadable ? { unreadable: command.unreadable } : {}),
      ...(command.startDateTime ? { requestedStart: command.startDateTime } : {}),
      ...(command.day ? { day: command.day } : {}),
    };
    if (this.deps.kept && turn.user) {
      // The start is chosen on the card; until then the request holds a placeholder.
      const placeholder = new Date(now).toISOString();
      const request = await this.buildRequest(
        context,
        turn,
        { ...command, startDateTime: placeholder, endDateTime: placeholder },
        text,
      );
      await this.deps.kept.keep(requestKey, {
        kind: 'clarify',
        user: turn.user,
        userName: turn.userName,
        request,
        durationMinutes: command.durationMinutes,
        commandText: text.text,
        question,
      });
    }
    const view = clarifyCardView(question, {
      locale: turn.locale,
      timeZone: turn.timeZone,
      requestKey,
      requestedText: text.text,
      now,
    });
    await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(renderClarifyCard(view))));
  }

  /** Keeps the request until the user has signed in (or consented), then asks them to; completion creates it. */
  private async keepAndAskToSignIn(
    context: TurnContext,
    turn: TurnInfo,
    reason: 'first' | 'consent',
    entry: { user: UserRef; request: MeetingRequest; idempotencyKey: string; commandText: string },
  ): Promise<void> {
    const pending = await this.deps.pending.add({
      ...entry,
      userName: turn.userName,
      conversation: replyReference(context),
    });
    await this.deps.prompter.prompt(context, turn, pending, reason, this.deps.createMeeting.accessFor(entry.request));
  }

  /** Keeps a request whose failure is worth a Retry (throttling, outages), so the error card's Retry can finish it. */
  async keepForRetry(
    error: AppError,
    key: string,
    entry: { user: UserRef; userName: string; request: MeetingRequest; commandText: string },
  ): Promise<void> {
    // An uncertain create is kept too: its card's "Create it anyway" completes it under a new key.
    if (!this.deps.kept || !(error.retryable || error.code === 'create_uncertain')) return;
    try {
      await this.deps.kept.keep(key, { kind: 'failed', ...entry });
    } catch (e) {
      // The error card still goes out; its Retry will answer "expired".
      this.deps.logger.warn(
        { err: e instanceof Error ? { name: e.name } : undefined },
        'could not keep a failed request for Retry',
      );
    }
  }

  private async buildRequest(
    context: TurnContext,
    turn: TurnInfo,
    command: MeetingAsk,
    text: CommandText,
  ): Promise<MeetingRequest> {
    const mentioned = await this.attendeesFor(context, turn, command, text);
    const roster = command.everyone && turn.scope !== 'personal' ? await this.roster(context, turn) : undefined;
    // Mentioned people keep the role they were given; the rest of the roster joins as attendees.
    const attendees = [
      ...mentioned,
      ...(roster?.attendees ?? []).filter((a) => !mentioned.some((m) => m.aadObjectId === a.aadObjectId)),
    ];
    return {
      subject: command.subject || t(turn.locale, 'meeting.noSubject'),
      startDateTime: command.startDateTime,
      endDateTime: command.endDateTime,
      passcode: command.passcode,
      live: command.live,
      attendees,
      ...(turn.channelId ? { channelThreadId: turn.channelId } : {}),
      locale: turn.locale,
      timeZone: turn.timeZone,
      ...(command.options ? { options: command.options } : {}),
      ...(roster?.truncated ? { rosterTruncatedAt: MAX_ROSTER_INVITEES } : {}),
    };
  }

  /** The roster, or nobody when Teams won't list it (the meeting is still made; the card lists who was invited). */
  private async roster(
    context: TurnContext,
    turn: TurnInfo,
  ): Promise<{ attendees: Attendee[]; truncated: boolean } | undefined> {
    try {
      return await rosterInvitees(context, turn);
    } catch (e) {
      this.deps.logger.warn(
        { scope: turn.scope, err: e instanceof Error ? { name: e.name } : undefined },
        'could not read the roster',
      );
      if (e instanceof AppError) throw e;
      return undefined;
    }
  }

  /** People @mentioned besides Convene, resolved to Entra ids; presenters from outside the tenant are demoted. */
  private async attendeesFor(
    context: TurnContext,
    turn: TurnInfo,
    command: MeetingAsk,
    text: CommandText,
  ): Promise<Attendee[]> {
    const attendees: Attendee[] = [];
    for (const mention of text.mentions) {
      const role = command.mentions.find((m) => m.name === mention.name)?.role ?? 'attendee';
      try {
        const member = await TeamsInfo.getMember(context, mention.id);
        if (!member.aadObjectId || member.aadObjectId === turn.user?.aadObjectId) continue;
        if (attendees.some((a) => a.aadObjectId === member.aadObjectId)) continue;
        const attendee = attendeeFrom(member, role, turn.user?.tenantId, mention.name);
        if (attendee) attendees.push(attendee);
      } catch (e) {
        this.deps.logger.warn(
          { mentionId: mention.id, err: e instanceof Error ? { name: e.name } : undefined },
          'could not resolve a mentioned person',
        );
        if (e instanceof AppError) throw e;
      }
    }
    return attendees;
  }
}
