import { CardFactory, MessageFactory, TeamsInfo, type ConversationReference, type TurnContext } from 'botbuilder';
import { renderNoticeCard, renderSignInCard } from '../cards';
import { t } from '../i18n';
import type { Logger } from '../logging/logger';
import type { CreateMeeting } from '../meetings/create-meeting';
import { AppError, ConsentRequiredError } from '../meetings/errors';
import { meetingKeyFor } from '../meetings/idempotency';
import type { MeetingRecords } from '../meetings/meeting-records';
import type { KeptRequests } from '../meetings/kept-requests';
import type { PendingRequest, PendingRequests } from '../meetings/pending-requests';
import type { Clock, GraphCaller } from '../meetings/ports';
import type { Attendee, MeetingRecord, MeetingRequest, UserRef } from '../meetings/types';
import type { GraphCallers } from './graph-callers';
import type { ProactiveMessenger } from './proactive';
import { errorCardActivity, toAppError } from './responses';
import type { SignInPrompter } from './sign-in-prompter';
import type { CommandText, TurnInfo } from './turn-reader';
import { replyReference } from './turn-reader';
import { renderRecordCard } from './meeting-view';

/** Teams waits ~15 s for a message turn; leave room for the reply after Graph retries. */
const MESSAGE_TURN_BUDGET_IN_MS = 10_000;

export interface MeetingCommandsDeps {
  readonly createMeeting: CreateMeeting;
  readonly records: MeetingRecords;
  readonly pending: PendingRequests;
  readonly callers: GraphCallers;
  readonly prompter: SignInPrompter;
  readonly proactive: ProactiveMessenger;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly botEndpoint: string;
  /** Keeps failed and clarify requests so an error card's Retry or a clarify card's answer can complete them. */
  readonly kept?: KeptRequests;
  /** Signed "Add to calendar" links. */
  readonly calendar?: { linkFor(meetingKey: string): string };
}

export interface CreateCommand {
  readonly subject: string;
  readonly startDateTime: string;
  readonly endDateTime: string;
  readonly passcode: boolean;
  readonly live: boolean;
  readonly mentions: readonly { readonly name: string; readonly role: 'attendee' | 'presenter' }[];
}

/**
 * Creating a meeting from a chat message, now or after the user signs in (the request is kept, nobody retypes).
 */
export class MeetingCommands {
  constructor(private readonly deps: MeetingCommandsDeps) {}

  async create(context: TurnContext, turn: TurnInfo, command: CreateCommand, text: CommandText, idempotencyKey: string): Promise<void> {
    const user = turn.user!;
    const request = await this.buildRequest(context, turn, command, text);
    try {
      // Inside the try: an outage of sign-in or storage gets the same error card (with Retry) as a Graph failure.
      const caller = await this.deps.callers.silent(user);
      if (!caller) {
        const pending = await this.deps.pending.add({
          user,
          userName: turn.userName,
          request,
          idempotencyKey,
          commandText: text.text,
          conversation: replyReference(context),
        });
        await this.deps.prompter.prompt(context, turn, pending, 'first', this.deps.createMeeting.accessFor(request));
        return;
      }
      const { record } = await this.deps.createMeeting.execute({
        request,
        idempotencyKey,
        caller,
        organizer: user,
        organizerName: turn.userName,
        deadline: this.deps.clock.now() + MESSAGE_TURN_BUDGET_IN_MS,
      });
      await this.sendCard(context, record, turn.teamsUserId);
    } catch (e) {
      const error = toAppError(e, this.deps.logger, { flow: 'create', scope: turn.scope });
      if (error instanceof ConsentRequiredError) {
        const pending = await this.deps.pending.add({
          user, userName: turn.userName, request, idempotencyKey, commandText: text.text, conversation: replyReference(context),
        });
        await this.deps.prompter.prompt(context, turn, pending, 'consent', this.deps.createMeeting.accessFor(request));
        return;
      }
      await this.keepForRetry(error, idempotencyKey, { user, userName: turn.userName, request, commandText: text.text });
      await context.sendActivity(errorCardActivity(error, { locale: turn.locale, commandText: text.text, retryKey: idempotencyKey }));
    }
  }

  /** Remembers a clarify card's request under its key, so `confirmCreate` can create it with the chosen time. */
  async keepClarify(
    context: TurnContext,
    turn: TurnInfo,
    command: CreateCommand & { readonly durationMinutes: number },
    text: CommandText,
    requestKey: string,
  ): Promise<void> {
    if (!this.deps.kept || !turn.user) return;
    const request = await this.buildRequest(context, turn, command, text);
    await this.deps.kept.keep(requestKey, {
      kind: 'clarify', user: turn.user, userName: turn.userName, request, durationMinutes: command.durationMinutes, commandText: text.text,
    });
  }

  private async keepForRetry(error: AppError, key: string, entry: { user: UserRef; userName: string; request: MeetingRequest; commandText: string }): Promise<void> {
    if (!this.deps.kept || !error.retryable) return;
    try {
      await this.deps.kept.keep(key, { kind: 'failed', ...entry });
    } catch (e) {
      // The error card still goes out; its Retry will answer "expired".
      this.deps.logger.warn({ err: e instanceof Error ? { name: e.name } : undefined }, 'could not keep a failed request for Retry');
    }
  }

  /**
   * Completes what a user was waiting for once their tokens are stored (SSO exchange or the link's callback).
   * Each pending request completes once, whichever instance or path gets there first.
   */
  async completeAfterSignIn(user: UserRef, pendingId?: string): Promise<void> {
    const waiting = pendingId ? [pendingId] : (await this.deps.pending.waitingFor(user)).map((p) => p.id);
    if (waiting.length === 0) return;
    // No token yet (e.g. verifyState overtaking the callback on another instance): claim nothing, so the path that
    // stores the tokens finds the request still waiting and completes it.
    const caller = await this.deps.callers.silent(user);
    if (!caller) return;
    for (const id of waiting) {
      const claim = await this.deps.pending.claim(id);
      if (claim.outcome === 'gone') continue;
      const pending = claim.pending;
      if (pending.user.aadObjectId !== user.aadObjectId || pending.user.tenantId !== user.tenantId) continue;
      if (claim.outcome === 'expired') {
        await this.send(pending, MessageFactory.attachment(CardFactory.adaptiveCard(renderNoticeCard(pending.request.locale, 'notice.requestExpired'))));
        continue;
      }
      await this.completeOne(pending, caller);
    }
  }

  private async completeOne(pending: PendingRequest, caller: GraphCaller): Promise<void> {
    try {
      const { record } = await this.deps.createMeeting.execute({
        request: pending.request,
        idempotencyKey: pending.idempotencyKey,
        caller,
        organizer: pending.user,
        organizerName: pending.userName,
        deadline: this.deps.clock.now() + MESSAGE_TURN_BUDGET_IN_MS,
      });
      await this.deps.proactive.continue(pending.conversation as Partial<ConversationReference>, async (context) => {
        await this.sendCard(context, record, (pending.conversation as ConversationReference).user?.id ?? '');
      });
      await this.deps.pending.complete(pending.id);
    } catch (e) {
      const error = toAppError(e, this.deps.logger, { flow: 'complete-pending' });
      await this.deps.pending.complete(pending.id);
      if (error instanceof ConsentRequiredError) {
        // Signed in, but not for this yet (a town hall's VirtualEvent.ReadWrite): ask for consent, keep the request.
        const { id: _id, createdAt: _c, expiresAt: _e, state: _s, ...rest } = pending;
        const again = await this.deps.pending.add(rest);
        const url = this.deps.prompter.consentLink(pending.user, again.id, this.deps.createMeeting.accessFor(pending.request));
        await this.send(pending, MessageFactory.attachment(CardFactory.adaptiveCard(renderSignInCard(pending.request.locale, url, 'consent'))));
        return;
      }
      await this.keepForRetry(error, pending.idempotencyKey, {
        user: pending.user, userName: pending.userName, request: pending.request, commandText: pending.commandText,
      });
      await this.send(pending, errorCardActivity(error, { locale: pending.request.locale, commandText: pending.commandText, retryKey: pending.idempotencyKey }));
    }
  }

  private async send(pending: PendingRequest, activity: Parameters<TurnContext['sendActivity']>[0]): Promise<void> {
    await this.deps.proactive.continue(pending.conversation as Partial<ConversationReference>, async (context) => {
      await context.sendActivity(activity);
    });
  }

  /** Posts the meeting card and remembers where, so card buttons can update it for everyone later. */
  async sendCard(context: TurnContext, record: MeetingRecord, organizerTeamsId: string): Promise<void> {
    const meetingKey = meetingKeyFor(record.meeting.id);
    // Everyone gets the shared view; the organizer is in refresh.userIds, so Teams swaps in their manage view.
    const card = renderRecordCard(organizerTeamsId ? { ...record, organizerTeamsId } : record, {
      locale: record.request.locale,
      timeZone: record.request.timeZone,
      audience: 'everyone',
      botEndpoint: this.deps.botEndpoint,
      ...(this.deps.calendar ? { icsUrl: this.deps.calendar.linkFor(meetingKey) } : {}),
    });
    const sent = await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
    if (sent?.id) {
      await this.deps.records.setCardActivity(meetingKey, replyReference(context), sent.id, organizerTeamsId || undefined);
    }
  }

  private async buildRequest(context: TurnContext, turn: TurnInfo, command: CreateCommand, text: CommandText): Promise<MeetingRequest> {
    const attendees = await this.attendeesFor(context, turn, command, text);
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
    };
  }

  /** People @mentioned besides Convene, resolved to Entra ids; presenters from outside the tenant are demoted. */
  private async attendeesFor(context: TurnContext, turn: TurnInfo, command: CreateCommand, text: CommandText): Promise<Attendee[]> {
    const attendees: Attendee[] = [];
    for (const mention of text.mentions) {
      const role = command.mentions.find((m) => m.name === mention.name)?.role ?? 'attendee';
      try {
        const member = await TeamsInfo.getMember(context, mention.id);
        if (!member.aadObjectId || member.aadObjectId === turn.user?.aadObjectId) continue;
        if (attendees.some((a) => a.aadObjectId === member.aadObjectId)) continue;
        const external =
          (member.tenantId !== undefined && member.tenantId !== turn.user?.tenantId) ||
          member.userRole === 'guest' ||
          (member.userPrincipalName ?? '').includes('#EXT#');
        const demoted = role === 'presenter' && external;
        attendees.push({
          aadObjectId: member.aadObjectId,
          displayName: member.name ?? mention.name,
          ...(member.userPrincipalName ? { upn: member.userPrincipalName } : {}),
          role: demoted ? 'attendee' : role,
          ...(demoted ? { demotedFromPresenter: true } : {}),
        });
      } catch (e) {
        this.deps.logger.warn({ mentionId: mention.id, err: e instanceof Error ? { name: e.name } : undefined }, 'could not resolve a mentioned person');
        if (e instanceof AppError) throw e;
      }
    }
    return attendees;
  }
}
