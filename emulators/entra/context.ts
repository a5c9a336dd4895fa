import type { SigningKey } from './signing';
import type { EntraState } from './state';

/** What every handler needs; built once the listener knows its port. */
export interface EntraContext {
  /** `https://localhost:<port>`, no trailing slash. */
  readonly baseUrl: string;
  readonly tenantId: string;
  readonly key: SigningKey;
  /** Signs tokens this stand-in must reject (same `kid`, different key). */
  readonly foreignKey: SigningKey;
  readonly state: EntraState;
}

export const v2Issuer = (ctx: EntraContext, tenant: string = ctx.tenantId): string => `${ctx.baseUrl}/${tenant}/v2.0`;
export const v1Issuer = (tenantId: string): string => `https://sts.windows.net/${tenantId}/`;
export const jwksUri = (ctx: EntraContext): string => `${ctx.baseUrl}/${ctx.tenantId}/discovery/v2.0/keys`;
