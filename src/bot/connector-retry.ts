import type { Middleware, ResourceResponse, TurnContext } from 'botbuilder';
import type { Logger } from '../logging/logger';

/**
 * Statuses the Bot Connector asks bots to retry: throttling (429) and transient failures. Teams' rate-limit guidance
 * names 412, 502 and 504 besides 429; 500 and 503 are transient too.
 * https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit
 */
const RETRYABLE_CONNECTOR_STATUSES: ReadonlySet<number> = new Set([412, 429, 500, 502, 503, 504]);

export interface ConnectorRetryOptions {
  readonly logger: Pick<Logger, 'warn'>;
  /** Retries after the first attempt. Default 3. */
  readonly maxRetries?: number;
  /** First backoff step when the connector sends no Retry-After; doubles per retry. Default 200. */
  readonly baseDelayInMs?: number;
  /** No single wait is longer; a longer Retry-After gives up at once (the turn has ~15 s). Default 5000. */
  readonly maxDelayInMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Retries replies, proactive messages and card updates that the Bot Connector answered with 429/5xx: exponential
 * backoff with jitter, Retry-After honoured, bounded attempts; after the last attempt the error propagates as before.
 * A failed attempt delivered nothing (the connector refused it), so a retry does not duplicate the message.
 * Convene sends one activity per call; a batch is retried as a whole.
 */
export class ConnectorRetryMiddleware implements Middleware {
  private readonly maxRetries: number;
  private readonly baseDelayInMs: number;
  private readonly maxDelayInMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: ConnectorRetryOptions) {
    this.maxRetries = options.maxRetries ?? 3;
    this.baseDelayInMs = options.baseDelayInMs ?? 200;
    this.maxDelayInMs = options.maxDelayInMs ?? 5000;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    context.onSendActivities((_ctx, _activities, send) => this.withRetry('send', send));
    context.onUpdateActivity((_ctx, _activity, update) => this.withRetry('update', update));
    await next();
  }

  private async withRetry<T extends ResourceResponse[] | void>(operation: string, attempt: () => Promise<T>): Promise<T> {
    for (let retries = 0; ; retries++) {
      try {
        return await attempt();
      } catch (error) {
        const status = statusOf(error);
        if (status === undefined || !RETRYABLE_CONNECTOR_STATUSES.has(status) || retries >= this.maxRetries) throw error;
        const retryAfterInMs = retryAfterOf(error);
        if (retryAfterInMs !== undefined && retryAfterInMs > this.maxDelayInMs) throw error;
        const backoff = Math.min(this.baseDelayInMs * 2 ** retries, this.maxDelayInMs);
        const delayInMs = retryAfterInMs ?? Math.round(backoff / 2 + Math.random() * (backoff / 2));
        this.options.logger.warn({ operation, status, retry: retries + 1, delayInMs }, 'bot connector refused; retrying');
        await this.sleep(delayInMs);
      }
    }
  }
}

function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** Retry-After (seconds or an HTTP date) from the RestError's response, in ms. */
function retryAfterOf(error: unknown): number | undefined {
  const headers = (error as { response?: { headers?: { get?(name: string): string | undefined | null } } }).response?.headers;
  const value = typeof headers?.get === 'function' ? headers.get('retry-after') : undefined;
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
