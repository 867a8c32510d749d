import type { Logger } from '../logger';
import type { EnqueueOptions, JobOutcome, JobRegistry, JobRunner, JobType } from './registry';

/**
 * Embedded mode: runs jobs in this process with the same registry, retries and job ids as BullMQ.
 * Jobs waiting here are lost with the process; the outbox sweep re-derives them from Postgres.
 */
export class InProcessRunner implements JobRunner {
  readonly kind = 'in-process';
  private readonly waiting = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly registry: JobRegistry,
    private readonly logger: Logger,
    private readonly onJobDone: (name: string, outcome: JobOutcome) => void = () => {},
  ) {}

  async enqueue<P>(type: JobType<P>, payload: P, options: EnqueueOptions = {}): Promise<void> {
    const { name } = type;
    if (this.closed) throw new Error('job runner is closed');
    this.registry.get(name);
    if (options.jobId) {
      if (this.waiting.has(options.jobId)) return;
      this.waiting.add(options.jobId);
    }
    this.later(options.delayMs ?? 0, () => this.attempt(name, payload, 1, options.jobId));
  }

  async startWorking(catchUp?: () => Promise<void>): Promise<void> {
    for (const def of this.registry.definitions) {
      if (!def.everyMs) continue;
      const timer = setInterval(() => void this.enqueue(def.type, {}, { jobId: `every-${def.type.name}` }), def.everyMs);
      timer.unref();
      this.timers.add(timer);
    }
    await catchUp?.();
  }

  async isReady(): Promise<boolean> {
    return !this.closed;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private later(delayMs: number, run: () => Promise<void>): void {
    const start = () => {
      const done = run().finally(() => this.running.delete(done));
      this.running.add(done);
    };
    // A job due now starts once this turn's I/O is handled, not a whole turn later in the timers phase.
    if (delayMs === 0) {
      setImmediate(start);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      start();
    }, delayMs);
    this.timers.add(timer);
  }

  private async attempt(name: string, payload: unknown, attempt: number, jobId?: string): Promise<void> {
    if (this.closed) {
      if (jobId) this.waiting.delete(jobId);
      return;
    }
    const def = this.registry.get(name);
    const final = attempt >= def.attempts;
    if (jobId && attempt === 1) this.waiting.delete(jobId);
    try {
      await this.registry.run(name, payload, { attempt, final });
      this.onJobDone(name, 'completed');
    } catch (error) {
      this.logger.warn({ err: error, job: name, attempt }, 'job failed');
      if (final) {
        this.onJobDone(name, 'failed');
        return;
      }
      this.onJobDone(name, 'retried');
      this.later(def.backoffMs * 2 ** (attempt - 1), () => this.attempt(name, payload, attempt + 1));
    }
  }
}
