import { randomUUID } from 'node:crypto';

/**
 * An OAuth error as Entra words it. Thrown inside grant handlers and turned into the JSON body (token endpoint)
 * or a redirect / error page (authorize endpoint) at the edge.
 */
export class EntraError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly code: number,
    readonly description: string,
    readonly extra: { readonly suberror?: string; readonly claims?: string } = {},
  ) {
    super(`AADSTS${code}: ${description}`);
    this.name = 'EntraError';
  }
}

export interface EntraErrorBody {
  readonly error: string;
  readonly error_description: string;
  readonly error_codes: readonly number[];
  readonly timestamp: string;
  readonly trace_id: string;
  readonly correlation_id: string;
  readonly error_uri: string;
  readonly suberror?: string;
  readonly claims?: string;
}

/** Entra's timestamp format: `2019-09-19 08:55:37Z`. */
export function entraTimestamp(date = new Date()): string {
  return `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

export function errorBody(err: EntraError, baseUrl: string, correlationId: string = randomUUID()): EntraErrorBody {
  const timestamp = entraTimestamp();
  const traceId = randomUUID();
  return {
    error: err.error,
    error_description: `AADSTS${err.code}: ${err.description}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: [err.code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `${baseUrl}/error?code=${err.code}`,
    ...(err.extra.suberror ? { suberror: err.extra.suberror } : {}),
    ...(err.extra.claims ? { claims: err.extra.claims } : {}),
  };
}

/** The errors the stand-in produces, worded like Entra's (codes from the Entra error-code reference). */
export const errors = {
  missingParameter: (name: string) =>
    new EntraError(400, 'invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`),
  invalidParameter: (name: string, why = '') =>
    new EntraError(
      400,
      'invalid_request',
      70011,
      `The provided value for the input parameter '${name}' is not valid.${why ? ` ${why}` : ''}`,
    ),
  unsupportedGrantType: (grantType: string) =>
    new EntraError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType}'.`),
  tenantNotFound: (tenant: string) =>
    new EntraError(
      400,
      'invalid_request',
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
    ),
  unknownClient: (clientId: string, tenantId: string) =>
    new EntraError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    ),
  missingClientSecret: () =>
    new EntraError(
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    ),
  badClientSecret: (clientId: string) =>
    new EntraError(
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    ),
  malformedAssertion: () => new EntraError(400, 'invalid_request', 50027, 'JWT token is invalid or malformed.'),
  assertionSignature: (reason: string) =>
    new EntraError(400, 'invalid_grant', 50013, `Assertion failed signature validation. [Reason - ${reason}]`),
  assertionExpired: (now: Date, exp: Date) =>
    new EntraError(
      400,
      'invalid_grant',
      500133,
      `Assertion is not within its valid time range. Ensure that the access token is not expired before using it for user assertion, or request a new token. Current time: ${now.toISOString()}, expiry time of assertion ${exp.toISOString()}.`,
    ),
  assertionAudience: (aud: string, clientId: string, name: string) =>
    new EntraError(
      400,
      'invalid_grant',
      50013,
      `Assertion audience does not match the Client app presenting the assertion. The audience in the assertion was '${aud}' and the expected audience is '${clientId}' or one of the Application Id URIs of this application with App ID '${clientId}'(${name}). The downstream client must request a token for the expected audience (the application that made the OBO request) and this application should use that token as the assertion.`,
    ),
  assertionTenant: (tid: string, tenantId: string) =>
    new EntraError(
      400,
      'invalid_grant',
      50013,
      `Assertion contains an invalid issuer or tenant. The tenant in the assertion was '${tid}' and the expected tenant is '${tenantId}'.`,
    ),
  userNotFound: (oid: string, tenantId: string) =>
    new EntraError(
      400,
      'invalid_grant',
      50034,
      `The user account ${oid} does not exist in the ${tenantId} directory. To sign into this application, the account must be added to the directory.`,
    ),
  consentRequired: (clientId: string, name: string) =>
    new EntraError(
      400,
      'invalid_grant',
      65001,
      `The user or administrator has not consented to use the application with ID '${clientId}' named '${name}'. Send an interactive authorization request for this user and resource.`,
      { suberror: 'consent_required' },
    ),
  mfaRequired: () =>
    new EntraError(
      400,
      'interaction_required',
      50079,
      "Due to a configuration change made by your administrator, or because you moved to a new location, you must enroll in multifactor authentication to access '00000003-0000-0000-c000-000000000000'.",
      {
        claims: JSON.stringify({
          access_token: { capolids: { essential: true, values: ['c0ffee00-mfa0-4000-8000-00000000c0a1'] } },
        }),
      },
    ),
  badCodeVerifier: () =>
    new EntraError(
      400,
      'invalid_grant',
      501481,
      'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
    ),
  codeRedeemed: () =>
    new EntraError(
      400,
      'invalid_grant',
      54005,
      'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
    ),
  codeExpired: () =>
    new EntraError(
      400,
      'invalid_grant',
      70008,
      'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
    ),
  codeInvalid: () => new EntraError(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.'),
  codeWrongClient: () =>
    new EntraError(
      400,
      'invalid_grant',
      70000,
      "The provided value for the 'code' parameter is not valid. The code was issued to a different client.",
    ),
  redirectMismatch: (given: string, original: string) =>
    new EntraError(
      400,
      'invalid_grant',
      500112,
      `The reply address '${given}' does not match the reply address '${original}' provided when requesting Authorization code.`,
    ),
  refreshTokenInvalid: () =>
    new EntraError(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.'),
  refreshTokenWrongClient: () =>
    new EntraError(
      400,
      'invalid_grant',
      70000,
      'Provided grant is invalid or malformed. The refresh token was issued to a different client.',
    ),
  invalidScope: (scope: string) =>
    new EntraError(
      400,
      'invalid_scope',
      70011,
      `The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`,
    ),
  clientCredentialsScope: (scope: string) =>
    new EntraError(
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    ),
  throttled: (status: number) =>
    status === 429
      ? new EntraError(
          429,
          'temporarily_unavailable',
          50196,
          'The server terminated an operation because it encountered a client request loop or too many requests. Please retry later.',
        )
      : new EntraError(status, 'temporarily_unavailable', 90033, 'A transient error has occurred. Please try again.'),
} as const;
