import type { z } from 'zod';

/**
 * A job's name and payload schema, declared next to its handler by the capability that owns it.
 * Producers enqueue by it, so a payload is typed where it is written and checked where it is run.
 */
export interface JobType<P> {
  readonly name: string;
  readonly payload: z.ZodType<P>;
}

export const jobType = <P>(name: string, payload: z.ZodType<P>): JobType<P> => ({ name, payload });

export interface JobAttempt {
  /** 1 for the first run. */
  attempt: number;
  /** No retry follows if this run fails. */
  final: boolean;
}

/** A job's handler and retry policy. `any` by default: a registry holds definitions of every payload type. */
// biome-ignore lint/suspicious/noExplicitAny: see above
export interface JobDefinition<P = any> {
  type: JobType<P>;
  attempts: number;
  /** First retry delay; doubles on each further retry. */
  backoffMs: number;
  /** Runs again and again at this interval, on every runner; derived at start, never stored elsewhere. */
  everyMs?: number;
  handle(payload: P, attempt: JobAttempt): Promise<void>;
}

export interface EnqueueOptions {
  /** A job with a natural identity: a second enqueue while the first is waiting is dropped. No `:` (BullMQ refuses it). */
  jobId?: string;
  delayMs?: number;
  /**
   * Start the first attempt in this process, now, rather than through the queue: the job needs what
   * only this process holds (notifications it recorded already claimed), and it saves a queue round
   * trip. Retries go through the runner as usual. The in-process runner runs every job here anyway.
   */
  firstAttemptHere?: boolean;
}

export type Enqueue = <P>(type: JobType<P>, payload: NoInfer<P>, options?: EnqueueOptions) => Promise<void>;

export type JobOutcome = 'completed' | 'retried' | 'failed';

/** Runs registered jobs: in-process (embedded mode) or on BullMQ (with REDIS_URL). */
export interface JobRunner {
  readonly kind: 'in-process' | 'bullmq';
  enqueue: Enqueue;
  /**
   * Starts consuming jobs (the worker role), then runs `catchUp` (what fell due while nothing ran), and
   * again whenever the queue is back after an outage: scheduled runs missed meanwhile are made up at once.
   */
  startWorking(catchUp?: () => Promise<void>): Promise<void>;
  isReady(): Promise<boolean>;
  close(): Promise<void>;
}

export class JobRegistry {
  private readonly byName = new Map<string, JobDefinition>();

  /**
   * Refuses to start if a job has two definitions. A job type with none can't be enqueued: the
   * runner refuses it at once (`get`), so a capability missing from the app fails its first test.
   */
  constructor(definitions: JobDefinition[]) {
    for (const def of definitions) {
      if (this.byName.has(def.type.name)) throw new Error(`job ${def.type.name} has two definitions`);
      this.byName.set(def.type.name, def);
    }
  }

  get definitions(): JobDefinition[] {
    return [...this.byName.values()];
  }

  get(name: string): JobDefinition {
    const def = this.byName.get(name);
    if (!def) throw new Error(`unknown job ${name}`);
    return def;
  }

  /** Validates the payload and runs the job's handler. */
  async run(name: string, data: unknown, attempt: JobAttempt): Promise<void> {
    const def = this.get(name);
    await def.handle(def.type.payload.parse(data), attempt);
  }
}
