import { TeamsInfo, type TeamsChannelAccount, type TurnContext } from 'botbuilder';
import type { Attendee, AttendeeRole } from '../meetings/types';
import type { TurnInfo } from './turn-reader';

/** At most this many people are invited by `with everyone`; the card says so when the chat has more. */
export const MAX_ROSTER_INVITEES = 250;
/**
 * Teams treats a page size under 50 as 50 and caps it at 500; chats return the whole roster in one page
 * (learn.microsoft.com/microsoftteams/platform/bots/how-to/get-teams-context#fetch-the-roster-or-user-profile).
 */
const PAGE_SIZE = 100;
/** A runaway continuation (a connector that never stops) ends after this many pages. */
const MAX_PAGES = 10;

export interface RosterInvitees {
  readonly attendees: Attendee[];
  /** True when the roster had more people than MAX_ROSTER_INVITEES. */
  readonly truncated: boolean;
}

/**
 * A Teams member as a meeting attendee. People outside the tenant's directory (another tenant, `userRole` guest,
 * a `#EXT#` UPN) never get presenter: Graph refuses it for users outside the organizer's Entra ID.
 */
export function attendeeFrom(
  member: TeamsChannelAccount,
  role: AttendeeRole,
  organizerTenantId: string | undefined,
  fallbackName = '',
): Attendee | undefined {
  if (!member.aadObjectId) return undefined;
  const external =
    (member.tenantId !== undefined && member.tenantId !== organizerTenantId) ||
    member.userRole === 'guest' ||
    (member.userPrincipalName ?? '').includes('#EXT#');
  const demoted = role === 'presenter' && external;
  return {
    aadObjectId: member.aadObjectId,
    displayName: member.name ?? fallbackName,
    ...(member.userPrincipalName ? { upn: member.userPrincipalName } : {}),
    ...(member.id ? { teamsId: member.id } : {}),
    role: demoted ? 'attendee' : role,
    ...(demoted ? { demotedFromPresenter: true } : {}),
  };
}

/** The chat's (or the team's) members as attendees, paged and bounded, without the organizer and bots. */
export async function rosterInvitees(context: TurnContext, turn: TurnInfo): Promise<RosterInvitees> {
  const attendees: Attendee[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await TeamsInfo.getPagedMembers(context, PAGE_SIZE, token);
    for (const member of result.members ?? []) {
      const attendee = attendeeFrom(member, 'attendee', turn.user?.tenantId);
      if (!attendee || attendee.aadObjectId === turn.user?.aadObjectId || seen.has(attendee.aadObjectId)) continue;
      if (attendees.length === MAX_ROSTER_INVITEES) return { attendees, truncated: true };
      seen.add(attendee.aadObjectId);
      attendees.push(attendee);
    }
    token = result.continuationToken || undefined;
    if (!token) break;
  }
  return { attendees, truncated: token !== undefined };
}
