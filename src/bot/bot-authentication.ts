import { ConfigurationBotFrameworkAuthentication, type Activity } from 'botbuilder';
// botbuilder's CloudAdapter answers 401 only for this class (botframework-connector, installed with botbuilder).
import {
  AuthenticationConstants,
  AuthenticationError,
  JwtTokenValidation,
  type ClaimsIdentity,
  type ConnectorFactory,
  type UserTokenClient,
} from 'botframework-connector';
import { ClientReuse, ConnectorClients } from './connector-client-reuse';

/** jsonwebtoken's verification failures: a bad token from the caller, never a fault of ours. */
const TOKEN_ERROR_NAMES = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);

/**
 * botbuilder's authentication with one fix and one saving. The fix: a channel token with a bad signature makes
 * botframework-connector rethrow jsonwebtoken's JsonWebTokenError as is (JwtTokenExtractor.validateToken), which
 * CloudAdapter answers with 500. A forged or broken token is the caller's error: it is answered 401 like every other
 * authentication failure. The saving: Bot Connector clients, and the user-token clients CloudAdapter also builds on
 * every turn (Convene signs users in with msal, but botbuilder makes one anyway), are reused across turns.
 */
export class StrictBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly connectorClients = new ConnectorClients();
  private readonly userTokenClients = new ClientReuse<UserTokenClient>();

  override async authenticateRequest(activity: Activity, authHeader: string): ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']> {
    try {
      const result = await super.authenticateRequest(activity, authHeader);
      if (!result.connectorFactory) return result;
      return { ...result, connectorFactory: this.connectorClients.reusing(result.connectorFactory, appIdOf(result.claimsIdentity)) };
    } catch (e) {
      if (e instanceof Error && !(e instanceof AuthenticationError) && TOKEN_ERROR_NAMES.has(e.name)) {
        throw new AuthenticationError(`Unauthorized. ${e.message}.`, 401);
      }
      throw e;
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
