import { ConfigurationBotFrameworkAuthentication, type Activity } from 'botbuilder';
// botbuilder's CloudAdapter answers 401 only for this class (botframework-connector, installed with botbuilder).
import { AuthenticationError } from 'botframework-connector';

/** jsonwebtoken's verification failures: a bad token from the caller, never a fault of ours. */
const TOKEN_ERROR_NAMES = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);

/**
 * botbuilder's authentication with one fix: a channel token with a bad signature makes botframework-connector
 * rethrow jsonwebtoken's JsonWebTokenError as is (JwtTokenExtractor.validateToken), which CloudAdapter answers with
 * 500. A forged or broken token is the caller's error: it is answered 401 like every other authentication failure.
 */
export class StrictBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  override async authenticateRequest(activity: Activity, authHeader: string): ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']> {
    try {
      return await super.authenticateRequest(activity, authHeader);
    } catch (e) {
      if (e instanceof Error && !(e instanceof AuthenticationError) && TOKEN_ERROR_NAMES.has(e.name)) {
        throw new AuthenticationError(`Unauthorized. ${e.message}.`, 401);
      }
      throw e;
    }
  }
}
