import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Platform } from './chat/interaction';
import type { PlatformAdapter } from './adapters/platform';
import { type Clock, type Sender, type ShowPeople, systemClock } from './chat/ports';
import { Router } from './chat/router';
import type { Config } from './config';
import { connectDatabase, type Db, isDatabaseReachable, migrateToLatest } from './db/connect';
import { CAPABILITIES } from './features';
import { peopleQueries, peopleShownOn } from './features/people/people.queries';
import { peopleResolver } from './features/people/people.resolve';
import { createHttpApp, listen } from './http/server';
import { createMetrics } from './http/metrics';
import { InProcessRunner } from './jobs/in-process';
import { type Enqueue, JobRegistry, type JobRunner } from './jobs/registry';
import { createLogger, type LogDestination, type Logger } from './logger';
import { deliverNotificationsJob, sendRecordedHere } from './notify/deliver-notifications.job';
import { notifyQueries, recordNotificationsToSend } from './notify/notify.queries';
import { sweepOutboxJob } from './notify/sweep-outbox.job';
import { localPacer, type Pacer } from './pacing/pacer';
import { purgeRemovedWorkspacesJob } from './retention/purge-removed-workspaces.job';

export interface AppOptions {
  logger?: Logger;
  /** Where the app's own logger writes (when no `logger` is given): tests capture its lines. */
  logDestination?: LogDestination;
  clock?: Clock;
  /** BullMQ key prefix; tests use a fresh one each. */
  queuePrefix?: string;
}

export interface RunningApp {
  url: string;
  db: Db;
  jobs: JobRunner;
  close(): Promise<void>;
}

/** config → db → migrate → jobs → features → adapters → http, as DESIGN.md draws it. */
export async function startApp(config: Config, options: AppOptions = {}): Promise<RunningApp> {
  const logger = options.logger ?? createLogger(config.logLevel, { secrets: config.secrets, destination: options.logDestination });
  const clock = options.clock ?? systemClock;
  const db = connectDatabase(config.database, (err) => logger.warn({ err }, 'idle database connection lost'));
  try {
    return await start(config, db, logger, clock, options);
  } catch (error) {
    await db.destroy();
    throw error;
  }
}

async function start(config: Config, db: Db, logger: Logger, clock: Clock, options: AppOptions): Promise<RunningApp> {
  // Shared by every process on the same Redis, so the BullMQ layout paces as one; Redis' module loads only then.
  const pacer: Pacer = config.redisUrl
    ? await (await import('./pacing/redis-pacer')).redisPacer(config.redisUrl, options.queuePrefix ?? 'hepo', logger)
    : localPacer();
  // botbuilder (~0.5 s of CPU to load), when Teams is on, loads while PGlite starts its WebAssembly Postgres.
  const teamsConfig = config.teams;
  const [teams] = await Promise.all([
    teamsConfig.mode === 'off'
      ? teamsConfig
      : import('./adapters/teams/teams.platform').then((m) => m.createTeamsPlatform({ config, db, logger, clock, pacer, teams: teamsConfig })),
    migrateToLatest(db, config.database),
  ]);
  const metrics = createMetrics();

  const platforms: PlatformAdapter[] = [];
  // Bolt and BullMQ are loaded only when configured: an embedded start would pay ~0.3 s of CPU for them.
  const slack =
    config.slack.mode === 'off'
      ? config.slack
      : await (await import('./adapters/slack/slack.platform')).createSlackPlatform({ config, db, logger, clock, pacer });
  if ('why' in slack) logger.info(`Slack is off: ${slack.why}`);
  else platforms.push(slack);
  if ('why' in teams) logger.info(`Teams is off: ${teams.why}`);
  else platforms.push(teams);
  const senders: Partial<Record<Sender['platform'], Sender>> = Object.fromEntries(platforms.map((p) => [p.platform, p.sender]));

  let jobs: JobRunner | undefined;
  const enqueue: Enqueue = (type, payload, opts) => jobs!.enqueue(type, payload, opts);
  const notify = notifyQueries(db);
  const people = peopleQueries(db);
  const showPeople: ShowPeople = (orgId, platform, personIds) => peopleShownOn(db, orgId, platform, personIds);
  const sendRecorded = sendRecordedHere(notify, enqueue);
  // The help lists every capability's commands, so it is the router's, built after them.
  const help = (platform: Platform) => router.help(platform);
  const capabilities = CAPABILITIES.map((make) => make({ db, clock, enqueue, sendRecorded, hrAdminEmails: config.hrAdminEmails, limits: config.limits, help }));
  const registry = new JobRegistry([
    deliverNotificationsJob(
      notify,
      senders,
      { shownOn: showPeople, unreachable: people.deactivate },
      {
        enqueue,
        onUndeliverable(notification, error) {
          metrics.onUndeliverable(notification.platform, error.code);
          logger.warn({ dedupeKey: notification.dedupe_key, platform: notification.platform, reason: error.reason }, 'notification undeliverable');
        },
      },
    ),
    sweepOutboxJob(notify, enqueue),
    purgeRemovedWorkspacesJob(db, clock, logger, config.dataRetentionDays),
    ...capabilities.flatMap((c) => c.jobs ?? []),
  ]);
  jobs = config.redisUrl
    ? await (await import('./jobs/bullmq')).BullMQRunner.connect(
        registry,
        logger,
        { redisUrl: config.redisUrl, prefix: options.queuePrefix },
        metrics.onJobDone,
      )
    : new InProcessRunner(registry, logger, metrics.onJobDone);
  const runner = jobs;
  if (config.role !== 'web') {
    // Reconcile at start, and when Redis is back: every recurring job runs once now (the outbox sweep
    // sends what was recorded but not sent; the ticks catch up on what fell due while nothing ran).
    await runner.startWorking(async () => {
      for (const def of registry.definitions) if (def.everyMs) await enqueue(def.type, {});
    });
  }

  const { contextFor } = peopleResolver(people, { hrAdminEmails: config.hrAdminEmails });
  const router: Router = new Router({
    features: capabilities,
    contextFor,
    showPeople,
    onOutcome: metrics.onInteraction,
    onError: (err, interaction) => logger.error({ err, platform: interaction.origin.platform, kind: interaction.kind }, 'interaction failed'),
    exampleColleagues: (orgId, person, platform) => people.exampleColleagues(orgId, person, platform),
    notifyOnce: async (orgId, notification) => sendRecorded(orgId, await recordNotificationsToSend(db, orgId, [notification])),
  });

  const routes = ['/healthz', '/readyz', '/metrics', ...platforms.flatMap((p) => p.routes)];
  const httpApp = createHttpApp(
    metrics,
    { readiness: async () => ({ database: await isDatabaseReachable(db), jobs: await runner.isReady() }) },
    () => routes,
    config.http,
  );
  if (config.role !== 'worker') {
    for (const platform of platforms) await platform.attach(httpApp, router);
  }
  const server: http.Server = await listen(httpApp, config.port, config.host, config.http);
  const { port } = server.address() as AddressInfo;
  logger.info(
    {
      port,
      host: config.host,
      role: config.role,
      database: config.database.kind,
      jobs: runner.kind,
      platforms: platforms.map((p) => p.platform),
    },
    `listening on http://${config.host}:${port}`,
  );

  return {
    url: `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`,
    db,
    jobs: runner,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      for (const platform of platforms) await platform.close();
      await runner.close();
      await pacer.close();
      await db.destroy();
    },
  };
}
