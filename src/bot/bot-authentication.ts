import { ConfigurationBotFrameworkAuthentication, type Activity } from 'botbuilder';
// botbuilder's CloudAdapter answers 401 only for this class (botframework-connector, installed with botbuilder).
import {
  AuthenticationConfiguration,
  AuthenticationConstants,
  AuthenticationError,
  JwtTokenValidation,
  SkillValidation,
  ToBotFromBotOrEmulatorTokenValidationParameters,
  type Claim,
  type ClaimsIdentity,
  type ConnectorFactory,
  type UserTokenClient,
} from 'botframework-connector';
import { ClientReuse, ConnectorClients } from './connector-client-reuse';

/** jsonwebtoken's verification failures: a bad token from the caller, never a fault of ours. */
const TOKEN_ERROR_NAMES = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);

/** Entra's tenant-specific issuer prefixes (botframework-connector AuthenticationConstants: public and US Gov). */
const TENANT_ISSUER_PREFIXES = [
  AuthenticationConstants.ValidTokenIssuerUrlTemplateV1,
  AuthenticationConstants.ValidTokenIssuerUrlTemplateV2,
  AuthenticationConstants.ValidGovernmentTokenIssuerUrlTemplateV1,
];

/**
 * botbuilder's module-wide list of the issuers its emulator path accepts. EmulatorValidation.isTokenFromEmulator
 * appends the four issuers of any `tid` it has not seen to it, from a token it has only decoded, and every request
 * then scans the list: anyone could grow it without bound. The request that appended copies the list in the same
 * synchronous step (parameterizedBotFrameworkAuthentication: `issuer: [...ToBotFromBotOrEmulator…issuer]`), so
 * cutting it back to what botbuilder ships after each request changes what no request accepts.
 */
const EMULATOR_ISSUERS = ToBotFromBotOrEmulatorTokenValidationParameters.issuer as string[];
const SHIPPED_ISSUER_COUNT = EMULATOR_ISSUERS.length;

/**
 * The claims check botbuilder runs after a token's signature, issuer and app id have passed.
 *
 * botbuilder 4.23 accepts a token from an Entra tenant issuer (`https://sts.windows.net/{tid}/`,
 * `https://login.microsoftonline.com/{tid}/v2.0`) through its emulator path, and adds the issuers of whatever `tid`
 * the token names to the list it accepts (EmulatorValidation.isTokenFromEmulator, botbuilder-js PR #4643): any
 * tenant's token for the bot's app id would pass. A SingleTenant or UserAssignedMSI bot only takes such a token from
 * its own tenant (BOT_TENANT_ID); Bot Framework channel tokens (iss api.botframework.com) are not affected. Skill
 * claims stay refused, as botbuilder does when no check is given (Convene calls no skills and is none).
 */
export function botClaimsValidator(settings: Readonly<Record<string, string>>): (claims: Claim[]) => Promise<void> {
  const type = settings.MicrosoftAppType?.toLowerCase();
  const tenant = type === 'singletenant' || type === 'userassignedmsi' ? settings.MicrosoftAppTenantId : undefined;
  // The four issuers botbuilder adds for a tenant (EmulatorValidation.isTokenFromEmulator), for this tenant only.
  const {
    ValidTokenIssuerUrlTemplateV1: v1,
    ValidTokenIssuerUrlTemplateV2: v2,
    ValidGovernmentTokenIssuerUrlTemplateV1: gov,
  } = AuthenticationConstants;
  const ownIssuers = tenant
    ? [`${v1}${tenant}/`, `${v2}${tenant}/v2.0`, `${gov}${tenant}/`, `${gov}${tenant}/v2.0`]
    : [];
  return async (claims) => {
    if (SkillValidation.isSkillClaim(claims)) {
      throw new AuthenticationError(
        'Unauthorized Access. Request is not authorized. Skill Claims require validation.',
        401,
      );
    }
    if (!tenant) return;
    const claim = (name: string) => claims.find((c) => c.type === name)?.value;
    const issuer = claim(AuthenticationConstants.IssuerClaim) ?? '';
    if (!TENANT_ISSUER_PREFIXES.some((prefix) => issuer.startsWith(prefix))) return;
    if (!ownIssuers.includes(issuer) || claim(AuthenticationConstants.TenantIdClaim) !== tenant) {
      throw new AuthenticationError("Unauthorized. The token was issued by a tenant other than the bot's.", 401);
    }
  };
}

/**
 * botbuilder's authentication with one fix and one saving. The fix: a channel token with a bad signature makes
 * botframework-connector rethrow jsonwebtoken's JsonWebTokenError as is (JwtTokenExtractor.validateToken), which
 * CloudAdapter answers with 500. A forged or broken token is the caller's error: it is answered 401 like every other
 * authentication failure. The saving: Bot Connector clients, and the user-token clients CloudAdapter also builds on
 * every turn (Convene signs users in with msal, but botbuilder makes one anyway), are reused across turns. The claims
 * check above binds tenant-issued tokens to the bot's tenant, and botbuilder's shared issuer list stays bounded.
 */
export class StrictBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly connectorClients = new ConnectorClients();
  private readonly userTokenClients = new ClientReuse<UserTokenClient>();

  /** `settings`: ConfigurationBotFrameworkAuthentication's (Config.botFrameworkAuth). */
  constructor(settings: Readonly<Record<string, string>>) {
    super(settings, undefined, new AuthenticationConfiguration([], botClaimsValidator(settings)));
  }

  override async authenticateRequest(
    activity: Activity,
    authHeader: string,
  ): ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']> {
    try {
      const result = await super.authenticateRequest(activity, authHeader);
      if (!result.connectorFactory) return result;
      return {
        ...result,
        connectorFactory: this.connectorClients.reusing(result.connectorFactory, appIdOf(result.claimsIdentity)),
      };
    } catch (e) {
      if (e instanceof Error && !(e instanceof AuthenticationError) && TOKEN_ERROR_NAMES.has(e.name)) {
        throw new AuthenticationError(`Unauthorized. ${e.message}.`, 401);
      }
      throw e;
    } finally {
      EMULATOR_ISSUERS.splice(SHIPPED_ISSUER_COUNT);
    }
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.userTokenClients.get(appIdOf(claimsIdentity), () => super.createUserTokenClient(claimsIdentity));
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.connectorClients.reusing(super.createConnectorFactory(claimsIdentity), appIdOf(claimsIdentity));
  }
}

/** Who the outbound client acts as: the bot the token was issued to (aud) and the app that called it (a skill's caller). */
function appIdOf(identity: ClaimsIdentity): string {
  const audience = identity.getClaimValue(AuthenticationConstants.AudienceClaim) ?? '';
  return `${audience}|${JwtTokenValidation.getAppIdFromClaims(identity.claims) ?? ''}`;
}
