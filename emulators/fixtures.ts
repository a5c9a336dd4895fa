/**
 * The local tenant the stand-ins serve. The Agents Playground config (.m365agentsplayground.yml) uses the same
 * users (object ids, names, UPNs) so a Playground user signs in as the matching Entra stand-in user.
 */
export const LOCAL_TENANT_ID = '7e5c8f2a-3b1d-4c6e-9f0a-c0ffee000001';
export const LOCAL_CLIENT_ID = '2d9a7c41-6f3e-4b8a-a1c5-c0ffee000002';
export const LOCAL_CLIENT_SECRET = 'local-dev-secret-not-for-production';
export const LOCAL_BOT_ID = '';
export const LOCAL_APP_ID_URI = `api://${LOCAL_CLIENT_ID}`;
/** Teams' first-party client ids, pre-authorized for access_as_user. */
export const TEAMS_CLIENT_IDS = [
  '1fec8e78-bce4-4aaf-ab1b-5451cc387264',
  '5e3ce6c0-2b1f-4285-8d4b-75ee78787346',
] as const;

export interface LocalUser {
  readonly id: string; // Teams user id (29:…)
  readonly aadObjectId: string;
  readonly name: string;
  readonly givenName: string;
  readonly surname: string;
  readonly upn: string;
  /** A guest from outside the tenant's Entra ID: can be an attendee but never a presenter. */
  readonly external?: boolean;
  /**
   * A B2B guest's account in its home tenant. Signing in to this (the resource) tenant, Entra issues tokens whose
   * `oid`/`tid` are the guest's object in the resource tenant, and `client_info` names the home account.
   */
  readonly home?: { readonly tenantId: string; readonly objectId: string };
}

/** The home tenant of the local B2B guest (a partner organisation). */
export const PARTNER_TENANT_ID = '5a7e0c3d-9b21-4f6a-8e4d-0ddba11f0001';

export const LOCAL_USERS: readonly LocalUser[] = [
  {
    id: '29:ada-teams-id',
    aadObjectId: 'a1f1a1a1-0000-4000-8000-000000000001',
    name: 'Ada Lovelace',
    givenName: 'Ada',
    surname: 'Lovelace',
    upn: 'ada@convene.local',
  },
  {
    id: '29:grace-teams-id',
    aadObjectId: 'a1f1a1a1-0000-4000-8000-000000000002',
    name: 'Grace Hopper',
    givenName: 'Grace',
    surname: 'Hopper',
    upn: 'grace@convene.local',
  },
  {
    id: '29:alan-teams-id',
    aadObjectId: 'a1f1a1a1-0000-4000-8000-000000000003',
    name: 'Alan Turing',
    givenName: 'Alan',
    surname: 'Turing',
    upn: 'alan@convene.local',
  },
  {
    id: '29:katherine-teams-id',
    aadObjectId: 'a1f1a1a1-0000-4000-8000-000000000004',
    name: 'Katherine Johnson',
    givenName: 'Katherine',
    surname: 'Johnson',
    upn: 'katherine@convene.local',
  },
  {
    id: '29:linus-teams-id',
    aadObjectId: 'a1f1a1a1-0000-4000-8000-000000000005',
    name: 'Linus Guest',
    givenName: 'Linus',
    surname: 'Guest',
    upn: 'linus_partner.example#EXT#@convene.local',
    external: true,
    home: { tenantId: '5a7e0c3d-9b21-4f6a-8e4d-0ddba11f0001', objectId: 'b2b2b2b2-0000-4000-8000-00000000000a' },
  },
];

export const LOCAL_TEAM = {
  id: '19:convene-team-general@thread.tacv2',
  name: 'Convene Team',
  channels: [
    { id: '19:convene-team-general@thread.tacv2', name: 'General' },
    { id: '19:convene-team-planning@thread.tacv2', name: 'Planning' },
  ],
} as const;
