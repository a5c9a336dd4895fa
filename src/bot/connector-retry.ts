import type { Middleware, ResourceResponse, TurnContext } from 'botbuilder';
import type { Logger } from '../logging/logger';

/**
 * Teams' rate-limit guidance: retry 429 (and 412, 502, 504) with exponential backoff, honouring Retry-After.
 * https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit
 * botbuilder's ConnectorClient already runs Azure core's default retry policy: 5xx and 408 with exponential backoff
 * (3 retries from ~1 s) and 429/503 that carry Retry-After. Retrying those here as well would multiply the attempts
 * (4 × 4) past the turn's budget, so this adds only what that policy leaves out: 429 without Retry-After, and 412.
 */
function retriedHere(status: number, retryAfterInMs: number | undefined): boolean {
  return status === 412 || (status === 429 && retryAfterInMs === undefined);
}

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
 * Retries replies, proactive messages and card updates the Bot Connector refused (see {@link retriedHere}):
 * exponential backoff with jitter, Retry-After honoured, bounded attempts; then the error propagates as before.
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

  private async withRetry<T extends ResourceResponse[] | void>(
    operation: string,
    attempt: () => Promise<T>,
  ): Promise<T> {
    for (let retries = 0; ; retries++) {
      try {
        return await attempt();
      } catch (error) {
        const status = statusOf(error);
        const retryAfterInMs = retryAfterOf(error);
        if (status === undefined || !retriedHere(status, retryAfterInMs) || retries >= this.maxRetries) throw error;
        if (retryAfterInMs !== undefined && retryAfterInMs > this.maxDelayInMs) throw error;
        const backoff = Math.min(this.baseDelayInMs * 2 ** retries, this.maxDelayInMs);
        const delayInMs = retryAfterInMs ?? Math.round(backoff / 2 + Math.random() * (backoff / 2));
        this.options.logger.warn(
          { operation, status, retry: retries + 1, delayInMs },
          'bot connector refused; retrying',
        );
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
  const headers = (error as { response?: { headers?: { get?(name: string): string | undefined | null } } }).response
    ?.headers;
  const value = typeof headers?.get === 'function' ? headers.get('retry-after') : undefined;
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
