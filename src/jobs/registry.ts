import { type JobName, type JobOf, jobPayloads } from './payloads';

export interface JobAttempt {
  /** 1 for the first run. */
  attempt: number;
  /** No retry follows if this run fails. */
  final: boolean;
}

export interface JobDefinition<N extends JobName = JobName> {
  name: N;
  attempts: number;
  /** First retry delay; doubles on each further retry. */
  backoffMs: number;
  /** Runs again and again at this interval, on every runner; derived at start, never stored elsewhere. */
  everyMs?: number;
  handle(payload: JobOf<N>, attempt: JobAttempt): Promise<void>;
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

export type Enqueue = <N extends JobName>(name: N, payload: JobOf<N>, options?: EnqueueOptions) => Promise<void>;

export type JobOutcome = 'completed' | 'retried' | 'failed';

/** Runs registered jobs: in-process (embedded mode) or on BullMQ (with REDIS_URL). */
export interface JobRunner {
  readonly kind: 'in-process' | 'bullmq';
  enqueue: Enqueue;
  /** Starts consuming jobs (the worker role). */
  startWorking(): Promise<void>;
  isReady(): Promise<boolean>;
  close(): Promise<void>;
}

export class JobRegistry {
  private readonly byName = new Map<JobName, JobDefinition>();

  /** Refuses to start unless every job name has exactly one definition. */
  constructor(definitions: JobDefinition[]) {
    for (const def of definitions) {
      if (this.byName.has(def.name)) throw new Error(`job ${def.name} has two definitions`);
      this.byName.set(def.name, def);
    }
    const missing = Object.keys(jobPayloads).filter((name) => !this.byName.has(name as JobName));
    if (missing.length > 0) throw new Error(`jobs without a definition: ${missing.join(', ')}`);
  }

  get definitions(): JobDefinition[] {
    return [...this.byName.values()];
  }

  get(name: string): JobDefinition {
    const def = this.byName.get(name as JobName);
    if (!def) throw new Error(`unknown job ${name}`);
    return def;
  }

  /** Validates the payload and runs the job's handler. */
  async run(name: string, data: unknown, attempt: JobAttempt): Promise<void> {
    const def = this.get(name);
    const payload = jobPayloads[def.name].parse(data);
    await def.handle(payload as never, attempt);
  }
}
