import { CardFactory, MessageFactory, type ConversationReference, type TurnContext } from 'botbuilder';
import type { SignInCompletion } from '../auth/sign-in-link';
import { renderNoticeCard, renderSignInCard } from '../cards';
import type { Logger } from '../logging/logger';
import type { CreateMeeting } from '../meetings/create-meeting';
import { ConsentRequiredError } from '../meetings/errors';
import type { PendingRequest, PendingRequests } from '../meetings/pending-requests';
import type { Clock, GraphCaller, HeldClaim } from '../meetings/ports';
import type { UserRef } from '../meetings/types';
import type { BackgroundTasks } from './background-tasks';
import type { GraphCallers } from './graph-callers';
import type { MeetingCardPoster } from './meeting-card-poster';
import type { MeetingCommands } from './meeting-commands';
import type { ProactiveMessenger } from './proactive';
import type { SignInPrompter } from './sign-in-prompter';
import { errorCardActivity, normalizeError } from './responses';

/** Teams waits ~15 s for a message turn; a completion gets the same room for Graph retries. */
const COMPLETION_BUDGET_IN_MS = 10_000;

export interface PendingCompletionDeps {
  readonly createMeeting: Pick<CreateMeeting, 'execute' | 'accessFor'>;
  readonly pending: Pick<PendingRequests, 'get' | 'waitingFor' | 'claim' | 'complete' | 'add'>;
  /** Consent links for a request completed outside a turn (a town hall's VirtualEvent.ReadWrite). */
  readonly prompter: Pick<SignInPrompter, 'consentLink'>;
  readonly callers: Pick<GraphCallers, 'silent'>;
  readonly poster: Pick<MeetingCardPoster, 'post'>;
  readonly proactive: ProactiveMessenger;
  readonly keeper: Pick<MeetingCommands, 'keepForRetry'>;
  readonly background: Pick<BackgroundTasks, 'run'>;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** Why a request was not completed by this call (logged; the user is told when there is something to tell). */
export type NotCompleted = 'no_token' | 'already_handled' | 'other_user' | 'expired' | 'failed';

export interface CompletionReport {
  readonly completed: readonly string[];
  readonly notCompleted: readonly { readonly id: string; readonly reason: NotCompleted }[];
}

/**
 * Completes the chat requests a user was waiting on once their tokens are stored (design.md §2): after the link's
 * callback (which names the request it was sent for), a token exchange or verifyState. Each request completes once,
 * whichever instance or path claims it first, with its original idempotency key; an expired one is answered with a
 * notice and a failed one with an error card (Retry kept), in the conversation it was asked in.
 */
export class PendingCompletion implements SignInCompletion {
  constructor(private readonly deps: PendingCompletionDeps) {}

  /** The sign-in callback's hook: answers the page at once, completes in the background. */
  async onSignedIn(user: UserRef, pendingId: string | undefined): Promise<void> {
    this.deps.background.run('complete-after-callback', async () => {
      await this.complete(user, pendingId);
    });
  }

  /**
   * The request `pendingId` names (found by id: the per-user index is best effort) and every other request the user
   * has waiting. Without a token yet (verifyState overtaking the callback on another instance) nothing is claimed,
   * so the path that stores the tokens finds the requests still waiting.
   */
  async complete(user: UserRef, pendingId?: string): Promise<CompletionReport> {
    const indexed = (await this.deps.pending.waitingFor(user)).map((p) => p.id);
    const ids = [...new Set([...(pendingId ? [pendingId] : []), ...indexed])];
    if (ids.length === 0) return { completed: [], notCompleted: [] };
    const caller = await this.deps.callers.silent(user);
    if (!caller)
      return this.report({ completed: [], notCompleted: ids.map((id) => ({ id, reason: 'no_token' as const })) });
    const completed: string[] = [];
    const notCompleted: { id: string; reason: NotCompleted }[] = [];
    for (const id of ids) {
      const outcome = await this.completeOne(id, user, caller);
      if (outcome === 'completed') completed.push(id);
      else notCompleted.push({ id, reason: outcome });
    }
    return this.report({ completed, notCompleted });
  }

  private async completeOne(id: string, user: UserRef, caller: GraphCaller): Promise<'completed' | NotCompleted> {
    // Checked before claiming: someone else's request stays theirs to complete.
    const found = await this.deps.pending.get(id);
    if (found && (found.user.aadObjectId !== user.aadObjectId || found.user.tenantId !== user.tenantId))
      return 'other_user';
    const claim = await this.deps.pending.claim(id);
    if (claim.outcome === 'gone') return 'already_handled';
    const pending = claim.pending;
    if (claim.outcome === 'expired') {
      await this.send(
        pending,
        MessageFactory.attachment(
          CardFactory.adaptiveCard(renderNoticeCard(pending.request.locale, 'notice.requestExpired')),
        ),
      );
      return 'expired';
    }
    return this.create(pending, claim.claim, caller);
  }

  private async create(
    pending: PendingRequest,
    claim: HeldClaim<'completed'>,
    caller: GraphCaller,
  ): Promise<'completed' | 'failed'> {
    try {
      const { record } = await this.deps.createMeeting.execute({
        request: pending.request,
        idempotencyKey: pending.idempotencyKey,
        caller,
        organizer: pending.user,
        organizerName: pending.userName,
        deadline: this.deps.clock.now() + COMPLETION_BUDGET_IN_MS,
      });
      await this.deps.proactive.continue(pending.conversation as Partial<ConversationReference>, async (context) => {
        await this.deps.poster.post(context, record, (pending.conversation as ConversationReference).user?.id ?? '');
      });
      await this.deps.pending.complete(pending.id, claim);
      return 'completed';
    } catch (e) {
      const error = normalizeError(e, this.deps.logger, { flow: 'complete-pending' });
      await this.deps.pending.complete(pending.id, claim);
      if (error instanceof ConsentRequiredError) {
        // Signed in, but not for this yet (a town hall's VirtualEvent.ReadWrite): ask for consent, keep the request.
        const { id: _id, createdAt: _c, expiresAt: _e, state: _s, ...rest } = pending;
        const again = await this.deps.pending.add(rest);
        const url = this.deps.prompter.consentLink(
          pending.user,
          again.id,
          this.deps.createMeeting.accessFor(pending.request),
        );
        await this.send(
          pending,
          MessageFactory.attachment(CardFactory.adaptiveCard(renderSignInCard(pending.request.locale, url, 'consent'))),
        );
        return 'failed';
      }
      await this.deps.keeper.keepForRetry(error, pending.idempotencyKey, {
        user: pending.user,
        userName: pending.userName,
        request: pending.request,
        commandText: pending.commandText,
      });
      await this.send(
        pending,
        errorCardActivity(error, {
          locale: pending.request.locale,
          commandText: pending.commandText,
          retryKey: pending.idempotencyKey,
        }),
      );
      return 'failed';
    }
  }

  private async send(pending: PendingRequest, activity: Parameters<TurnContext['sendActivity']>[0]): Promise<void> {
    await this.deps.proactive.continue(pending.conversation as Partial<ConversationReference>, async (context) => {
      await context.sendActivity(activity);
    });
  }

  private report(report: CompletionReport): CompletionReport {
    // Requests another path already took are normal (several clients, verifyState after the callback).
    const worth = report.notCompleted.filter((n) => n.reason !== 'already_handled');
    if (worth.length > 0)
      this.deps.logger.info(
        { completed: report.completed.length, notCompleted: worth },
        'sign-in completion left requests',
      );
    return report;
  }
}
