import { z } from 'zod';
import { parseGraphDateTime, TICKS_PER_HOUR, type Ticks } from './graph-time';
import { badRequest } from './odata';

/**
 * Request-body validation for onlineMeetings, as strict as the Graph docs: only documented writable properties,
 * read-only ones refused, start/end rules of createOrGet and PATCH, and the seed's caution about presenters
 * outside the tenant.
 */
export type GraphVersion = 'beta' | 'v1.0';

export interface BodyContext {
  readonly version: GraphVersion;
  /** Tenant of the meeting's organizer: attendees of another tenant can't be presenters. */
  readonly tenantId: string;
  readonly externalUserIds: ReadonlySet<string>;
  readonly nowTicks: Ticks;
}

export interface AttendeeInput {
  readonly id?: string;
  readonly tenantId?: string;
  readonly displayName?: string;
  readonly upn?: string;
  readonly role: string;
}

export interface MeetingInput {
  readonly subject?: string;
  readonly start: Ticks;
  readonly end: Ticks;
  readonly attendees?: readonly AttendeeInput[];
  /** Channel thread as the caller wrote it (the seed echoes the percent-encoded form back). */
  readonly chatThreadId?: string;
  readonly passcodeRequired: boolean;
  readonly isBroadcast: boolean;
  readonly broadcastSettings?: Readonly<Record<string, unknown>>;
  readonly externalId?: string;
  readonly settings: Readonly<Record<string, unknown>>;
}

export interface MeetingPatchInput {
  readonly subject?: string;
  readonly start?: Ticks;
  readonly end?: Ticks;
  readonly attendees?: readonly AttendeeInput[];
  readonly broadcastSettings?: Readonly<Record<string, unknown>>;
  readonly settings: Readonly<Record<string, unknown>>;
}

const ROLES = ['attendee', 'presenter', 'producer', 'coorganizer', 'unknownFutureValue'] as const;

const participantInfo = z.object({
  identity: z
    .object({
      user: z.object({
        id: z.string().min(1),
        displayName: z.string().nullish(),
        tenantId: z.string().nullish(),
        identityProvider: z.string().nullish(),
      }),
    })
    .optional(),
  upn: z.string().nullish(),
  role: z.enum(ROLES).nullish(),
});

const participants = z.strictObject({
  organizer: participantInfo.optional(),
  attendees: z.array(participantInfo).optional(),
  producers: z.array(participantInfo).optional(),
  contributors: z.array(participantInfo).optional(),
});

/** Writable settings (onlinemeeting.md, update.md). Values are checked where the docs give a type or enum. */
const settingsSchema = z
  .strictObject({
    lobbyBypassSettings: z.strictObject({
      scope: z
        .enum([
          'organizer',
          'organization',
          'organizationAndFederated',
          'everyone',
          'invited',
          'organizationExcludingGuests',
          'unknownFutureValue',
        ])
        .optional(),
      isDialInBypassEnabled: z.boolean().optional(),
    }),
    allowedPresenters: z.enum(['everyone', 'organization', 'roleIsPresenter', 'organizer', 'unknownFutureValue']),
    allowMeetingChat: z.enum(['enabled', 'disabled', 'limited', 'unknownFutureValue']),
    isEntryExitAnnounced: z.boolean(),
    recordAutomatically: z.boolean(),
    allowAttendeeToEnableCamera: z.boolean(),
    allowAttendeeToEnableMic: z.boolean(),
    allowTeamworkReactions: z.boolean(),
    allowParticipantsToChangeName: z.boolean(),
    allowTranscription: z.boolean(),
    allowRecording: z.boolean(),
    allowBreakoutRooms: z.boolean(),
    allowPowerPointSharing: z.boolean(),
    allowWhiteboard: z.boolean(),
    allowCopyingAndSharingMeetingContent: z.boolean(),
    allowedLobbyAdmitters: z.enum(['organizerAndCoOrganizersAndPresenters', 'organizerAndCoOrganizers']),
    allowLiveShare: z.enum(['enabled', 'disabled']),
    shareMeetingChatHistoryDefault: z.enum(['all', 'none']),
    anonymizeIdentityForRoles: z.array(z.string()),
    watermarkProtection: z.record(z.string(), z.unknown()),
    chatRestrictions: z.record(z.string(), z.unknown()),
  })
  .partial();
const SETTINGS_FIELDS = new Set(Object.keys(settingsSchema.shape));
/**
 * Settings the v1.0 "Update onlineMeeting" request-body table does not list: they can be set at creation only
 * (learn.microsoft.com/graph/api/onlinemeeting-update?view=graph-rest-1.0#request-body).
 */
const CREATE_ONLY_SETTINGS = new Set([
  'allowParticipantsToChangeName',
  'shareMeetingChatHistoryDefault',
  'chatRestrictions',
]);
/**
 * Evolvable-enum members a client only gets (and may only rely on) with `Prefer: include-unknown-enum-members`
 * (learn.microsoft.com/graph/api/resources/lobbybypasssettings?view=graph-rest-1.0#lobbybypassscope-values).
 */
export const LOBBY_SCOPES_AFTER_SENTINEL: ReadonlySet<string> = new Set(['invited', 'organizationExcludingGuests']);

const broadcastSettings = z.object({
  allowedAudience: z.enum(['roleIsAttendee', 'organization', 'everyone', 'unknownFutureValue']).optional(),
  isRecordingEnabled: z.boolean().optional(),
  isAttendeeReportEnabled: z.boolean().optional(),
  isQuestionAndAnswerEnabled: z.boolean().optional(),
  isVideoOnDemandEnabled: z.boolean().optional(),
  captions: z.unknown().optional(),
});

const READ_ONLY_FIELDS = new Set([
  'id',
  'joinWebUrl',
  'joinUrl',
  'creationDateTime',
  'joinMeetingIdSettings',
  'joinInformation',
  'audioConferencing',
  'videoTeleconferenceId',
  'autoAdmittedUsers',
  'externalId',
  'chatInfo',
  'isBroadcast',
  'capabilities',
  'meetingCode',
  'meetingOptionsWebUrl',
]);

const TEAMS_THREAD = /^19:[^\s@/]+@thread\.(tacv2|skype|v2)$/;

/** `unknownHere`: properties this version's type lacks, answered as unknown even where another version has them. */
function checkKeys(
  body: Record<string, unknown>,
  allowed: ReadonlySet<string>,
  what: string,
  unknownHere: readonly string[] = [],
): void {
  for (const key of Object.keys(body)) {
    if (key === '@odata.type' || allowed.has(key)) continue;
    if (READ_ONLY_FIELDS.has(key) && !unknownHere.includes(key))
      throw badRequest(`Property '${key}' is read-only or not supported in ${what}.`);
    throw badRequest(
      `The property '${key}' does not exist on type 'microsoft.graph.onlineMeeting'. Make sure to only use property names that are defined by the type.`,
    );
  }
}

function parseWith<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${field}.${issue.path.join('.')}` : field;
    throw badRequest(`Invalid value for '${where}': ${issue?.message ?? 'invalid'}.`);
  }
  return result.data;
}

function parseTime(value: unknown, field: string): Ticks | undefined {
  if (value === undefined || value === null) return undefined;
  const ticks = typeof value === 'string' ? parseGraphDateTime(value) : undefined;
  if (ticks === undefined)
    throw badRequest(`Invalid value for '${field}': expected an ISO 8601 date-time with offset.`);
  return ticks;
}

/** Accepts the raw id (`19:…@thread.tacv2`) and the seed's percent-encoded form (`19%3A…%40thread.skype`). */
export function normalizeThreadId(raw: string): string | undefined {
  let decoded = raw;
  if (raw.includes('%')) {
    try {
      decoded = decodeURIComponent(raw);
    } catch (error) {
      if (error instanceof URIError) return undefined;
      throw error;
    }
  }
  return TEAMS_THREAD.test(decoded) ? decoded : undefined;
}

function parseAttendees(value: unknown, ctx: BodyContext): AttendeeInput[] | undefined {
  if (value === undefined) return undefined;
  const parsed = parseWith(participants, value, 'participants');
  return (parsed.attendees ?? []).map((a, index) => {
    const user = a.identity?.user;
    if (!user && !a.upn) throw badRequest(`participants.attendees[${index}] needs identity.user.id or upn.`);
    const role = a.role ?? 'attendee';
    const external =
      (user?.tenantId != null && user.tenantId !== ctx.tenantId) ||
      (user !== undefined && ctx.externalUserIds.has(user.id));
    if (external && (role === 'presenter' || role === 'coorganizer')) {
      // Seed caution / Graph known issue: presenter (and co-organizer) can't go to users outside the tenant's Entra ID.
      throw badRequest(
        `Presenter role cannot be assigned to non-Azure AD participants (participants.attendees[${index}]).`,
      );
    }
    return {
      id: user?.id,
      tenantId: user?.tenantId ?? (external ? undefined : ctx.tenantId),
      displayName: user?.displayName ?? undefined,
      upn: a.upn ?? undefined,
      role,
    };
  });
}

/** createOrGet and create share the time rules: none → now..+1h, start only → +1h, end only or end < start → 400. */
function parseTimes(body: Record<string, unknown>, ctx: BodyContext): { start: Ticks; end: Ticks } {
  const start = parseTime(body['startDateTime'], 'startDateTime');
  const end = parseTime(body['endDateTime'], 'endDateTime');
  if (start === undefined && end !== undefined)
    throw badRequest('endDateTime cannot be specified without startDateTime.');
  const s = start ?? ctx.nowTicks;
  const e = end ?? s + TICKS_PER_HOUR;
  if (e < s) throw badRequest('endDateTime must be later than startDateTime.');
  return { start: s, end: e };
}

function parseSubject(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return parseWith(z.string().max(1024), value, 'subject');
}

function parseChatInfo(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const chat = parseWith(
    z.strictObject({
      threadId: z.string().min(1),
      messageId: z.string().nullish(),
      replyChainMessageId: z.string().nullish(),
    }),
    value,
    'chatInfo',
  );
  if (!normalizeThreadId(chat.threadId))
    throw badRequest(`Invalid value for 'chatInfo.threadId': not a Teams thread id.`);
  return chat.threadId;
}

function pickSettings(body: Record<string, unknown>): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(body)) if (SETTINGS_FIELDS.has(key)) picked[key] = body[key];
  const settings = parseWith(settingsSchema, picked, 'body');
  // "When creating or updating an online meeting with allowedPresenters set to roleIsPresenter, include a full list
  // of attendees with the specified attendees' role set to presenter" (v1.0 onlineMeeting resource, tip).
  if (settings.allowedPresenters === 'roleIsPresenter') {
    const attendees = (body['participants'] as { attendees?: { role?: unknown }[] } | undefined)?.attendees;
    if (!Array.isArray(attendees) || !attendees.some((a) => a.role === 'presenter')) {
      throw badRequest(
        "allowedPresenters 'roleIsPresenter' needs the full participants.attendees list with the presenters' role set to 'presenter'.",
      );
    }
  }
  return settings;
}

const CREATE_FIELDS = new Set([
  'subject',
  'startDateTime',
  'endDateTime',
  'participants',
  'chatInfo',
  'joinMeetingIdSettings',
  'isBroadcast',
  'broadcastSettings',
  'externalId',
  ...SETTINGS_FIELDS,
]);
/**
 * v1.0's onlineMeeting has no `isBroadcast`, `broadcastSettings` or `externalId` (beta only: beta
 * resources/onlinemeeting.md; learn.microsoft.com/graph/api/resources/onlinemeeting?view=graph-rest-1.0), so v1.0
 * answers them as unknown properties: a live-event request sent to the wrong version fails here too.
 */
const BETA_ONLY_FIELDS = ['isBroadcast', 'broadcastSettings', 'externalId'];
const V1_CREATE_FIELDS = new Set([...CREATE_FIELDS].filter((f) => !BETA_ONLY_FIELDS.includes(f)));

export function parseCreateBody(body: Record<string, unknown>, ctx: BodyContext): MeetingInput {
  checkKeys(
    body,
    ctx.version === 'beta' ? CREATE_FIELDS : V1_CREATE_FIELDS,
    'a create request',
    ctx.version === 'beta' ? [] : BETA_ONLY_FIELDS,
  );
  const join =
    body['joinMeetingIdSettings'] == null
      ? undefined
      : // joinMeetingId and passcode are generated by the service: custom passcodes are not supported.
        parseWith(
          z.strictObject({ isPasscodeRequired: z.boolean().optional() }),
          body['joinMeetingIdSettings'],
          'joinMeetingIdSettings',
        );
  const isBroadcast = body['isBroadcast'] == null ? false : parseWith(z.boolean(), body['isBroadcast'], 'isBroadcast');
  const broadcast =
    body['broadcastSettings'] == null
      ? undefined
      : parseWith(broadcastSettings, body['broadcastSettings'], 'broadcastSettings');
  const externalId =
    body['externalId'] == null ? undefined : parseWith(z.string().min(1), body['externalId'], 'externalId');
  return {
    subject: parseSubject(body['subject']),
    ...parseTimes(body, ctx),
    attendees: parseAttendees(body['participants'], ctx),
    chatThreadId: parseChatInfo(body['chatInfo']),
    passcodeRequired: join?.isPasscodeRequired ?? false,
    isBroadcast,
    broadcastSettings: broadcast,
    externalId,
    settings: pickSettings(body),
  };
}

const CREATE_OR_GET_FIELDS = new Set([
  'externalId',
  'subject',
  'startDateTime',
  'endDateTime',
  'participants',
  'chatInfo',
]);
/**
 * createOrGet in v1.0 takes endDateTime, externalId, participants, startDateTime and subject; `chatInfo` "is only
 * supported in beta" (learn.microsoft.com/graph/api/onlinemeeting-createorget?view=graph-rest-1.0), so v1.0
 * answers it as an unknown property, the way Graph answers any property its v1.0 type lacks.
 */
const V1_CREATE_OR_GET_FIELDS = new Set(['externalId', 'subject', 'startDateTime', 'endDateTime', 'participants']);

export function parseCreateOrGetBody(
  body: Record<string, unknown>,
  ctx: BodyContext,
): MeetingInput & { externalId: string } {
  checkKeys(
    body,
    ctx.version === 'beta' ? CREATE_OR_GET_FIELDS : V1_CREATE_OR_GET_FIELDS,
    'createOrGet',
    ctx.version === 'beta' ? [] : ['chatInfo'],
  );
  if (typeof body['externalId'] !== 'string' || body['externalId'].length === 0) {
    throw badRequest("The 'externalId' property is required for createOrGet.");
  }
  return {
    externalId: body['externalId'],
    subject: parseSubject(body['subject']),
    ...parseTimes(body, ctx),
    attendees: parseAttendees(body['participants'], ctx),
    chatThreadId: parseChatInfo(body['chatInfo']),
    passcodeRequired: false,
    isBroadcast: false,
    settings: {},
  };
}

const PATCH_FIELDS = new Set([
  'subject',
  'startDateTime',
  'endDateTime',
  'participants',
  'broadcastSettings',
  ...SETTINGS_FIELDS,
]);
const V1_PATCH_FIELDS = new Set([...PATCH_FIELDS].filter((f) => !BETA_ONLY_FIELDS.includes(f)));

export function parsePatchBody(body: Record<string, unknown>, ctx: BodyContext): MeetingPatchInput {
  checkKeys(
    body,
    ctx.version === 'beta' ? PATCH_FIELDS : V1_PATCH_FIELDS,
    'an update',
    ctx.version === 'beta' ? [] : BETA_ONLY_FIELDS,
  );
  // The beta update page lists more; this is the v1.0 table's rule.
  for (const key of Object.keys(body)) {
    if (ctx.version === 'v1.0' && CREATE_ONLY_SETTINGS.has(key)) {
      throw badRequest(`Property '${key}' can't be updated; set it when the meeting is created.`);
    }
  }
  const start = parseTime(body['startDateTime'], 'startDateTime');
  const end = parseTime(body['endDateTime'], 'endDateTime');
  if ((start === undefined) !== (end === undefined)) {
    throw badRequest('startDateTime and endDateTime must be updated together.');
  }
  if (start !== undefined && end !== undefined && end < start)
    throw badRequest('endDateTime must be later than startDateTime.');
  return {
    subject: parseSubject(body['subject']),
    start,
    end,
    attendees: parseAttendees(body['participants'], ctx),
    broadcastSettings:
      body['broadcastSettings'] == null
        ? undefined
        : parseWith(broadcastSettings, body['broadcastSettings'], 'broadcastSettings'),
    settings: pickSettings(body),
  };
}
