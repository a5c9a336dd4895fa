import { ConfidentialClientApplication, LogLevel, type ICachePlugin } from '@azure/msal-node';
import type { Logger } from '../logging/logger';

export interface MsalClientOptions {
  readonly authorityHost: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly logger: Logger;
}

/**
 * Builds msal-node clients for one Entra app. Authority metadata is given up front, so building a client per request
 * costs no discovery call (design.md §7), and any https host works (`knownAuthorities`, library-pitfalls.md).
 */
export function msalClientFactory(
  options: MsalClientOptions,
): (cachePlugin?: ICachePlugin) => ConfidentialClientApplication {
  const authority = `${options.authorityHost}/${options.tenantId}`;
  const authorityMetadata = JSON.stringify({
    authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
    token_endpoint: `${authority}/oauth2/v2.0/token`,
    issuer: `${authority}/v2.0`,
    jwks_uri: `${authority}/discovery/v2.0/keys`,
    end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
  });
  const msalLogger = options.logger.child({ component: 'msal' });
  return (cachePlugin?: ICachePlugin) =>
    new ConfidentialClientApplication({
      auth: {
        clientId: options.clientId,
        clientSecret: options.clientSecret,
        authority,
        knownAuthorities: [new URL(options.authorityHost).host],
        authorityMetadata,
      },
      ...(cachePlugin ? { cache: { cachePlugin } } : {}),
      system: {
        loggerOptions: {
          piiLoggingEnabled: false,
          logLevel: LogLevel.Warning,
          loggerCallback: (level, message) => {
            if (level <= LogLevel.Warning) msalLogger.warn({ msalLevel: level }, message);
          },
        },
      },
    });
}
