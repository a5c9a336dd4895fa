import { DateTime } from 'luxon';
import type { InvokeResponse, TurnContext } from 'botbuilder';
import type { SignInLinks } from '../../auth/sign-in-link';
import { meetingCardPreview, renderMeetingFormCard, type MeetingFormValues } from '../../cards';
import { errorMessage, t } from '../../i18n';
import type { Logger } from '../../logging/logger';
import type { CreateMeeting } from '../../meetings/create-meeting';
import type { AppError } from '../../meetings/errors';
import { composeKey, meetingKeyFor } from '../../meetings/idempotency';
import type { ManageMeeting } from '../../meetings/manage-meeting';
import type { MeetingRecords } from '../../meetings/meeting-records';
import type { Clock, GraphCaller, IdGenerator } from '../../meetings/ports';
import type { MeetingRecord, MeetingRequest, UserRef } from '../../meetings/types';
import type { BackgroundTasks } from '../background-tasks';
import type { GraphCallers } from '../graph-callers';
import type { MeetingCardPoster } from '../meeting-card-poster';
import { meetingCardView, renderRecordCard } from '../meeting-view';
import { composeFailureAnswer, composeMessageFor, normalizeError, searchSsoFailed } from '../responses';
import type { TurnInfo } from '../turn-reader';
import {
  defaultFormValues,
  formValuesFromRequest,
  parseComposeForm,
  subjectFromMessage,
  type FormErrors,
} from './compose-form';
import {
  badRequest,
  botMessagePreview,
  composeAuth,
  composeMessage,
  insertedCard,
  searchResult,
  taskContinue,
  taskMessage,
} from './compose-responses';

/** Teams shows "Unable to reach the app" after 5 s; answer well before, whatever Graph does. */
const DEFAULT_BUDGET_IN_MS = 4_000;
/** Room left after the gateway's last retry may start, for the record write and the response. */
const GATEWAY_MARGIN_IN_MS = 700;
const MAX_RESULTS = 25;

export interface ComposeMeetingsDeps {
  readonly createMeeting: Pick<CreateMeeting, 'execute' | 'accessFor'>;
  readonly records: Pick<MeetingRecords, 'get' | 'listRecent'>;
  readonly poster: Pick<MeetingCardPoster, 'post'>;
  readonly callers: Pick<GraphCallers, 'silent' | 'fromSso'>;
  readonly links: Pick<SignInLinks, 'linkFor'>;
  readonly background: Pick<BackgroundTasks, 'run'>;
  /** Cancels the meeting behind a preview the user chose to edit (it was never sent). */
  readonly manage?: Pick<ManageMeeting, 'cancel'>;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly logger: Logger;
  readonly botEndpoint: string;
  readonly authMode: 'delegated' | 'application';
  /** False (Playground, TEAMS_SSO=false): search asks with `auth` instead of `silentAuth`. */
  readonly teamsSso: boolean;
  /**
   * `preview` (default): botMessagePreview, Convene posts the card on Send. `insert`: the card goes into the compose
   * box as a `result` (clients without botMessagePreview: the Agents Playground).
   */
  readonly submitResult?: 'preview' | 'insert';
  /** How long an invoke may work before answering anyway (default 4 s). */
  readonly budgetInMs?: number;
  /** Signed "Add to calendar" links: every meeting card has one, the compose-box card too. */
  readonly calendar?: { linkFor(meetingKey: string): string };
}

export interface SubmitValue {
  readonly data?: unknown;
  readonly botMessagePreviewAction?: 'send' | 'edit';
  readonly botActivityPreview?: unknown;
}

export interface QueryValue {
  readonly text: string;
  readonly skip: number;
  readonly count: number;
  readonly ssoToken?: string;
  /** Copilot's date range on the meeting start (yyyy-MM-dd, inclusive, the user's zone); unreadable values are ignored. */
  readonly from?: string;
  readonly to?: string;
  /** Copilot's organizer: Convene lists only the user's own meetings, so another organizer matches nothing. */
  readonly organizer?: string;
}

/**
 * The compose-box message extension (design.md §1, §7): the meeting form, creating from it with a preview the user
 * sends (Convene posts the card itself so card buttons work on it), and searching the user's recent meetings.
 * Every answer comes inside Teams' 5-second budget; a create that can't finish in time goes on in the background
 * and a second press of Create (same nonce, same idempotency key) returns the meeting it made.
 */
export class ComposeMeetings {
  private readonly budgetInMs: number;

  constructor(private readonly deps: ComposeMeetingsDeps) {
    this.budgetInMs = deps.budgetInMs ?? DEFAULT_BUDGET_IN_MS;
  }

  /** `composeExtension/fetchTask`: the form, prefilled with a message's first line when invoked on a message. */
  async fetchTask(turn: TurnInfo & { user: UserRef }, messagePayload: unknown): Promise<InvokeResponse> {
    const gate = await this.actionCaller(turn);
    if ('status' in gate) return gate;
    const subject = messagePayload === undefined ? '' : subjectFromMessage(messagePayload);
    return this.form(turn, defaultFormValues(this.deps.clock.now(), turn.timeZone, subject), this.deps.ids.newId());
  }

  /** `composeExtension/submitAction`: create (→ preview, or the card inserted), or the preview's Send / Edit. */
  async submit(context: TurnContext, turn: TurnInfo & { user: UserRef }, value: SubmitValue): Promise<InvokeResponse> {
    if (value.botMessagePreviewAction === 'send') return this.send(context, turn, value.botActivityPreview);
    if (value.botMessagePreviewAction === 'edit') return this.edit(turn, value.botActivityPreview);
    return this.create(turn, value.data);
  }

  private async create(turn: TurnInfo & { user: UserRef }, data: unknown): Promise<InvokeResponse> {
    const started = this.deps.clock.now();
    const form = parseComposeForm(data, { now: started, timeZone: turn.timeZone, locale: turn.locale });
    if (!form.nonce) return badRequest('The submitted form has no valid nonce; open the Convene form again.');
    if (!form.ok) return this.form(turn, form.values, form.nonce, { errors: form.errors });
    const gate = await this.actionCaller(turn);
    if ('status' in gate) return gate;
    const request: MeetingRequest = {
      subject: form.meeting.subject || t(turn.locale, 'meeting.noSubject'),
      startDateTime: form.meeting.startDateTime,
      endDateTime: form.meeting.endDateTime,
      passcode: form.meeting.passcode,
      live: form.meeting.live,
      attendees: [],
      ...(turn.channelId ? { channelThreadId: turn.channelId } : {}),
      locale: turn.locale,
      timeZone: turn.timeZone,
    };
    const remaining = this.budgetInMs - (this.deps.clock.now() - started);
    const work = this.deps.createMeeting.execute({
      request,
      idempotencyKey: composeKey(turn.user, form.nonce),
      caller: gate,
      organizer: turn.user,
      organizerName: turn.userName,
      deadline: this.deps.clock.now() + Math.max(0, remaining - GATEWAY_MARGIN_IN_MS),
    });
    try {
      const outcome = await withinBudget(work, remaining);
      if (outcome === 'late') {
        // Same nonce in the form: pressing Create again finds this meeting instead of making a second one.
        this.deps.background.run('compose-create-after-budget', async () => {
          await work;
        });
        this.deps.logger.info(
          { flow: 'compose-create', budgetInMs: this.budgetInMs },
          'create still running at the invoke budget; answered with the form',
        );
        return this.form(turn, form.values, form.nonce, { notice: t(turn.locale, 'form.slow') });
      }
      const view = this.view(outcome.record);
      const card = renderRecordCard(outcome.record, this.viewOptions(outcome.record));
      if (this.deps.submitResult === 'insert') return insertedCard(card, meetingCardPreview(view));
      return botMessagePreview(card);
    } catch (e) {
      return this.formForError(
        turn,
        form.values,
        form.nonce,
        normalizeError(e, this.deps.logger, { flow: 'compose-create', scope: turn.scope }),
      );
    }
  }

  /** Send on the preview: Convene posts the card itself (a new message; a new post in a channel) and records where. */
  private async send(
    context: TurnContext,
    turn: TurnInfo & { user: UserRef },
    preview: unknown,
  ): Promise<InvokeResponse> {
    const record = await this.previewedRecord(turn.user, preview);
    if (!record) return taskMessage(errorMessage(turn.locale, 'graph_not_found'));
    try {
      // A message of its own, not a reply to the invoke; in a channel it starts its own thread.
      await this.deps.poster.post(context, record, turn.teamsUserId, 'new-post');
    } catch (e) {
      // The preview stays open with its Send button: the user can try again; the meeting exists once.
      const error = normalizeError(e, this.deps.logger, { flow: 'compose-send', scope: turn.scope });
      return taskMessage(composeMessageFor(error, turn.locale, true));
    }
    // An empty 200 closes the compose extension.
    return { status: 200 };
  }

  /** Edit on the preview: the form again, filled from the meeting Convene made, with a fresh nonce. */
  private async edit(turn: TurnInfo & { user: UserRef }, preview: unknown): Promise<InvokeResponse> {
    const record = await this.previewedRecord(turn.user, preview);
    const now = this.deps.clock.now();
    if (!record) return this.form(turn, defaultFormValues(now, turn.timeZone), this.deps.ids.newId());
    this.discardDraft(turn, record);
    const values = formValuesFromRequest(record.request, turn.timeZone);
    const noSubject = values.subject === t(record.request.locale, 'meeting.noSubject');
    return this.form(turn, { ...values, ...(noSubject ? { subject: '' } : {}) }, this.deps.ids.newId());
  }

  /**
   * `composeExtension/query` (recentMeetings): the meetings Convene created for this user, newest first, filtered
   * on the subject. Sign-in is asked for first (silentAuth → SSO), but only a silent check: listing reads no Graph.
   */
  async query(turn: TurnInfo & { user: UserRef }, query: QueryValue): Promise<InvokeResponse> {
    if (this.deps.authMode === 'delegated') {
      if (query.ssoToken) {
        try {
          await this.deps.callers.fromSso(turn.user, query.ssoToken);
        } catch (e) {
          normalizeError(e, this.deps.logger, { flow: 'compose-query-sso' });
          return searchSsoFailed();
        }
      } else {
        const caller = await this.silentCaller(turn);
        if (typeof caller === 'object' && 'status' in caller) return caller;
        if (!caller) {
          return composeAuth(
            this.deps.teamsSso ? 'silentAuth' : 'auth',
            this.deps.links.linkFor(turn.user),
            t(turn.locale, 'compose.signIn'),
          );
        }
      }
    }
    const needle = normalize(query.text);
    const mine = (await this.deps.records.listRecent(turn.user))
      .filter((r) => sameUser(r.organizer, turn.user))
      .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
    const bySubject = needle
      ? mine.filter(
          (r) => normalize(r.request.subject).includes(needle) || normalize(r.meeting.subject).includes(needle),
        )
      : mine;
    const inRange = startsWithin(query, turn.timeZone);
    const matching = isTheUser(query.organizer, turn) ? bySubject.filter((r) => inRange(r.meeting.startDateTime)) : [];
    if (matching.length === 0 && query.skip === 0) {
      return composeMessage(
        needle
          ? t(turn.locale, 'compose.noMatch', { query: query.text.trim().slice(0, 80) })
          : t(turn.locale, 'compose.noMeetings'),
      );
    }
    const page = matching.slice(query.skip, query.skip + Math.min(query.count, MAX_RESULTS));
    return searchResult(
      page.map((record) => {
        const view = this.view(record);
        return { card: renderRecordCard(record, this.viewOptions(record)), preview: meetingCardPreview(view) };
      }),
    );
  }

  /** The user's Graph caller for the action command, or the `auth` answer (no SSO exists for action commands). */
  private async actionCaller(turn: TurnInfo & { user: UserRef }): Promise<GraphCaller | InvokeResponse> {
    const caller = await this.silentCaller(turn);
    if (caller === undefined)
      return composeAuth('auth', this.deps.links.linkFor(turn.user), t(turn.locale, 'compose.signIn'));
    return caller;
  }

  private async silentCaller(turn: TurnInfo & { user: UserRef }): Promise<GraphCaller | InvokeResponse | undefined> {
    try {
      return await this.deps.callers.silent(turn.user);
    } catch (e) {
      const error = normalizeError(e, this.deps.logger, { flow: 'compose-token' });
      return taskMessage(composeMessageFor(error, turn.locale));
    }
  }

  private formForError(
    turn: TurnInfo & { user: UserRef },
    values: MeetingFormValues,
    nonce: string,
    error: AppError,
  ): InvokeResponse {
    const answer = composeFailureAnswer(error, turn.locale);
    switch (answer.kind) {
      case 'sign-in':
        return composeAuth(
          'auth',
          this.deps.links.linkFor(turn.user, this.signInOptions(answer.consent, values)),
          t(turn.locale, 'compose.signIn'),
        );
      case 'field-errors':
        return this.form(turn, values, nonce, { errors: answer.errors });
      case 'notice':
        return this.form(turn, values, answer.freshKey ? this.deps.ids.newId() : nonce, { notice: answer.message });
    }
  }

  private form(
    turn: TurnInfo,
    values: MeetingFormValues,
    nonce: string,
    extra: { errors?: FormErrors; notice?: string } = {},
  ): InvokeResponse {
    const card = renderMeetingFormCard({
      locale: turn.locale,
      timeZone: turn.timeZone,
      values,
      nonce,
      ...(extra.errors ? { errors: extra.errors } : {}),
      ...(extra.notice ? { notice: extra.notice } : {}),
    });
    return taskContinue(t(turn.locale, 'form.title'), card);
  }

  private view(record: MeetingRecord) {
    return meetingCardView(record, this.viewOptions(record));
  }

  private viewOptions(record: MeetingRecord) {
    return {
      locale: record.request.locale,
      timeZone: record.request.timeZone,
      audience: 'everyone' as const,
      botEndpoint: this.deps.botEndpoint,
      // Add to calendar on the compose-box card too (issue #15).
      ...(this.deps.calendar ? { icsUrl: this.deps.calendar.linkFor(meetingKeyFor(record.meeting.id)) } : {}),
    };
  }

  /** A town hall's consent (VirtualEvent.ReadWrite) is asked for with the link; the same nonce completes it after. */
  private signInOptions(consent: boolean, values: MeetingFormValues) {
    const access = this.deps.createMeeting.accessFor({ live: values.live === true });
    return { ...(consent ? { prompt: 'consent' as const } : {}), ...(access === 'meetings' ? {} : { access }) };
  }

  /** The meeting a preview card shows (its actions carry `meetingKey`), if this user organized it. */
  /**
   * Edit abandons the previewed meeting: it was never sent, and the edited form creates a new one. Cancelling it in
   * the background keeps no orphan meeting in Graph; a card that was already posted is never touched.
   */
  private discardDraft(turn: TurnInfo & { user: UserRef }, record: MeetingRecord): void {
    const manage = this.deps.manage;
    if (!manage || record.cardActivityId || record.state !== 'active') return;
    const user = turn.user;
    this.deps.background.run('compose-discard-draft', async () => {
      const caller = await this.deps.callers.silent(user);
      if (!caller) return;
      await manage.cancel({
        meetingKey: meetingKeyFor(record.meeting.id),
        version: record.version,
        actor: user,
        cardActivityId: undefined,
        caller: async () => caller,
        locale: turn.locale,
      });
    });
  }

  private async previewedRecord(user: UserRef, preview: unknown): Promise<MeetingRecord | undefined> {
    const key = keyOf(preview);
    if (!key) return undefined;
    const found = await this.deps.records.get(key);
    return found && sameUser(found.record.organizer, user) ? found.record : undefined;
  }
}

/** Resolves with the result, or 'late' when the budget runs out first (the work goes on). */
async function withinBudget<T>(work: Promise<T>, budgetInMs: number): Promise<T | 'late'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), Math.max(0, budgetInMs));
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The organizer Copilot asked for is the user (or none was asked for). */
function isTheUser(organizer: string | undefined, turn: TurnInfo): boolean {
  if (organizer === undefined) return true;
  const asked = normalize(organizer);
  const name = normalize(turn.userName);
  return (
    ['me', 'i', 'myself', 'my', '我', '自分', '私'].includes(asked) ||
    (name !== '' && (name.includes(asked) || asked.includes(name)))
  );
}

/** A filter on the meeting's start for Copilot's `from`/`to` (whole local days, inclusive). */
function startsWithin(query: QueryValue, timeZone: string): (startIso: string) => boolean {
  const day = (value: string | undefined) => {
    const parsed = value === undefined ? undefined : DateTime.fromISO(value, { zone: timeZone });
    return parsed?.isValid ? parsed.startOf('day') : undefined;
  };
  const from = day(query.from);
  const to = day(query.to)?.plus({ days: 1 });
  return (startIso) => {
    const start = DateTime.fromISO(startIso).toMillis();
    return (from === undefined || start >= from.toMillis()) && (to === undefined || start < to.toMillis());
  };
}

/** The first `meetingKey` in the preview's card data (refresh and button data carry it). */
export function keyOf(preview: unknown, depth = 0): string | undefined {
  if (depth > 12 || preview === null || typeof preview !== 'object') return undefined;
  if (Array.isArray(preview)) {
    for (const item of preview) {
      const found = keyOf(item, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  const record = preview as Record<string, unknown>;
  const key = record.meetingKey;
  if (typeof key === 'string' && /^[A-Za-z0-9_-]{8,64}$/.test(key)) return key;
  for (const value of Object.values(record)) {
    const found = keyOf(value, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function sameUser(a: UserRef, b: UserRef): boolean {
  return a.tenantId === b.tenantId && a.aadObjectId === b.aadObjectId;
}

function normalize(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}
