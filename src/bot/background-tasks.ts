import type { Logger } from '../logging/logger';

/**
 * Work that outlives the HTTP request that started it (completing a request after sign-in). Failures are logged,
 * never unhandled; shutdown and tests wait for `idle()`.
 */
export class BackgroundTasks {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  run(name: string, work: () => Promise<void>): void {
    const task = work()
      .catch((e: unknown) => {
        this.logger.error(
          { task: name, err: e instanceof Error ? { name: e.name, message: e.message } : undefined },
          'background task failed',
        );
      })
      .finally(() => this.running.delete(task));
    this.running.add(task);
  }

  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
