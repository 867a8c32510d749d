import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import type { Logger } from '../logger';
import type { EnqueueOptions, JobOutcome, JobRegistry, JobRunner, JobType } from './registry';

export interface BullMQOptions {
  redisUrl: string;
  /** Key prefix in Redis; tests use a fresh one each. */
  prefix?: string;
  concurrency?: number;
  /** How many failed jobs Redis keeps (for a look at what failed), and for how long at most. */
  keepFailed?: { count: number; ageSeconds: number };
}

/** Failed jobs kept by default: enough to see what went wrong, bounded so Redis doesn't fill up. */
const KEEP_FAILED = { count: 1_000, ageSeconds: 7 * 24 * 3600 };

const QUEUE = 'hepo';

/** Redis answers a producer's command in a millisecond or two; one that takes a second is not coming. */
const PRODUCER_COMMAND_TIMEOUT_MS = 1_000;

/** Queue mode: jobs live in Redis and any number of worker processes take them. */
export class BullMQRunner implements JobRunner {
  readonly kind = 'bullmq';
  private readonly producerConnection: IORedis;
  private readonly queue: Queue;
  private worker?: Worker;
  /** First attempts running in this process (`firstAttemptHere`), awaited on close. */
  private readonly runningHere = new Set<Promise<void>>();
  private workerConnection?: IORedis;

  constructor(
    private readonly registry: JobRegistry,
    private readonly logger: Logger,
    private readonly options: BullMQOptions,
    private readonly onJobDone: (name: string, outcome: JobOutcome) => void = () => {},
  ) {
    // Producers fail fast: an interaction must not hang on a Redis outage (the outbox keeps the work).
    // Without a connection a command fails at once (no offline queue); on one that went silent, after
    // the command timeout. BullMQ asks `maxRetriesPerRequest: null` of blocking connections only.
    this.producerConnection = new IORedis(options.redisUrl, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      commandTimeout: PRODUCER_COMMAND_TIMEOUT_MS,
    });
    this.producerConnection.on('error', (err) => logger.warn({ err }, 'redis (producer) error'));
    this.queue = new Queue(QUEUE, { connection: this.producerConnection, prefix: options.prefix });
    this.queue.on('error', (err) => logger.warn({ err }, 'queue error'));
  }

  /** Connects the producer before the first enqueue, since it is set to fail fast rather than buffer. */
  static async connect(...args: ConstructorParameters<typeof BullMQRunner>): Promise<BullMQRunner> {
    const runner = new BullMQRunner(...args);
    await runner.queue.waitUntilReady();
    return runner;
  }

  async enqueue<P>(type: JobType<P>, payload: P, options: EnqueueOptions = {}): Promise<void> {
    const { name } = type;
    if (options.firstAttemptHere) this.attemptHere(name, payload, options);
    else await this.add(name, payload, options, this.registry.get(name).attempts);
  }

  /**
   * Runs the first attempt in this process, once this turn's I/O is handled (as the in-process runner
   * starts a job); if it fails, the rest of the job's attempts are queued.
   */
  private attemptHere(name: string, payload: unknown, options: EnqueueOptions): void {
    const def = this.registry.get(name);
    const final = def.attempts <= 1;
    const run = new Promise((resolve) => setImmediate(resolve))
      .then(() => this.registry.run(name, payload, { attempt: 1, final }))
      .then(
        () => this.onJobDone(name, 'completed'),
        async (err: unknown) => {
          this.logger.warn({ err, job: name, attempt: 1 }, 'job failed');
          this.onJobDone(name, final ? 'failed' : 'retried');
          if (final) return;
          // A retry that can't be queued is logged there; the outbox sweep covers deliveries.
          await this.add(name, payload, { ...options, delayMs: def.backoffMs }, def.attempts - 1).catch(() => {});
        },
      )
      .finally(() => this.runningHere.delete(run));
    this.runningHere.add(run);
  }

  private async add(name: string, payload: unknown, options: EnqueueOptions, attempts: number): Promise<void> {
    const def = this.registry.get(name);
    await this.queue
      .add(name, payload, {
        jobId: options.jobId,
        delay: options.delayMs,
        attempts,
        backoff: { type: 'exponential', delay: def.backoffMs, jitter: 0.3 },
        removeOnComplete: true,
        removeOnFail: this.keptFailed(),
      })
      .catch((err: unknown) => {
        this.logger.error({ err, job: name }, 'could not enqueue job');
        throw err;
      });
  }

  private keptFailed() {
    const { count, ageSeconds } = this.options.keepFailed ?? KEEP_FAILED;
    return { count, age: ageSeconds };
  }

  async startWorking(catchUp?: () => Promise<void>): Promise<void> {
    // Recurring jobs are derived from the registry on every start, so a wiped Redis loses nothing.
    for (const def of this.registry.definitions) {
      if (!def.everyMs) continue;
      await this.queue.upsertJobScheduler(
        def.type.name,
        { every: def.everyMs },
        { name: def.type.name, data: {}, opts: { attempts: def.attempts, removeOnComplete: true, removeOnFail: this.keptFailed() } },
      );
    }
    this.workerConnection = new IORedis(this.options.redisUrl, { maxRetriesPerRequest: null });
    this.workerConnection.on('error', (err) => this.logger.warn({ err }, 'redis (worker) error'));
    this.worker = new Worker(
      QUEUE,
      async (job) => {
        const attempts = job.opts.attempts ?? 1;
        const attempt = job.attemptsMade + 1;
        await this.registry.run(job.name, job.data, { attempt, final: attempt >= attempts });
      },
      { connection: this.workerConnection, prefix: this.options.prefix, concurrency: this.options.concurrency ?? 20 },
    );
    this.worker.on('completed', (job) => this.onJobDone(job.name, 'completed'));
    this.worker.on('failed', (job, err) => {
      if (!job) return;
      const final = job.attemptsMade >= (job.opts.attempts ?? 1);
      this.logger.warn({ err, job: job.name, attempt: job.attemptsMade }, 'job failed');
      this.onJobDone(job.name, final ? 'failed' : 'retried');
    });
    this.worker.on('error', (err) => this.logger.warn({ err }, 'worker error'));
    await this.worker.waitUntilReady();
    if (!catchUp) return;
    await catchUp();
    // 'ready' comes again only once the connection was lost and is back.
    this.producerConnection.on('ready', () => {
      this.logger.info('redis is back: catching up on recurring jobs');
      catchUp().catch((err: unknown) => this.logger.warn({ err }, 'could not catch up on recurring jobs'));
    });
  }

  async isReady(): Promise<boolean> {
    try {
      return (await this.producerConnection.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    while (this.runningHere.size > 0) await Promise.allSettled([...this.runningHere]);
    await this.worker?.close();
    await this.queue.close();
    this.workerConnection?.disconnect();
    this.producerConnection.disconnect();
  }
}
