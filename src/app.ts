import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSlackPlatform } from './adapters/slack/slack.platform';
import { createTeamsPlatform } from './adapters/teams/teams.platform';
import type { PlatformAdapter } from './adapters/platform';
import type { Sender } from './chat/ports';
import { type Clock, systemClock } from './chat/ports';
import { Router } from './chat/router';
import type { Config } from './config';
import { connectDatabase, type Db, isDatabaseReachable, migrateToLatest } from './db/connect';
import { adminFeature } from './features/admin/admin.handlers';
import { settingsQueries } from './features/admin/settings.queries';
import { checkinsFeature } from './features/checkins/checkins.handlers';
import { checkinDigestJob, checkinTickJob } from './features/checkins/checkins.jobs';
import { checkinsQueries } from './features/checkins/checkins.queries';
import { oneOnOneQueries } from './features/checkins/one-on-ones.queries';
import { feedbackFeature } from './features/feedback/feedback.handlers';
import { feedbackQueries } from './features/feedback/feedback.queries';
import { orgImportQueries } from './features/people/org-import.queries';
import { peopleFeature } from './features/people/people.handlers';
import { peopleQueries } from './features/people/people.queries';
import { peopleResolver } from './features/people/people.resolve';
import { recognitionFeature } from './features/recognition/recognition.handlers';
import { recognitionQueries } from './features/recognition/recognition.queries';
import { createHttpApp, listen } from './http/server';
import { createMetrics } from './http/metrics';
import { BullMQRunner } from './jobs/bullmq';
import { InProcessRunner } from './jobs/in-process';
import { type Enqueue, JobRegistry, type JobRunner } from './jobs/registry';
import { createLogger, type Logger } from './logger';
import { deliverNotificationsJob, sendRecordedHere } from './notify/deliver-notifications.job';
import { notifyQueries } from './notify/notify.queries';
import { sweepOutboxJob } from './notify/sweep-outbox.job';

export interface AppOptions {
  logger?: Logger;
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
  const logger = options.logger ?? createLogger(config.logLevel);
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
  await migrateToLatest(db);
  const metrics = createMetrics();

  const platforms: PlatformAdapter[] = [];
  const slack = createSlackPlatform({ config, db, logger });
  if ('why' in slack) logger.info(`Slack is off: ${slack.why}`);
  else platforms.push(slack);
  platforms.push(createTeamsPlatform({ config, db, logger }));
  const senders: Partial<Record<Sender['platform'], Sender>> = Object.fromEntries(platforms.map((p) => [p.platform, p.sender]));

  let jobs: JobRunner | undefined;
  const enqueue: Enqueue = (name, payload, opts) => jobs!.enqueue(name, payload, opts);
  const notify = notifyQueries(db);
  const sendRecorded = sendRecordedHere(notify, enqueue);
  const checkins = { queries: checkinsQueries(db, clock), oneOnOneQueries: oneOnOneQueries(db, clock), enqueue, clock };
  const registry = new JobRegistry([
    deliverNotificationsJob(notify, senders),
    sweepOutboxJob(notify, enqueue),
    checkinTickJob(checkins),
    checkinDigestJob(checkins),
  ]);
  jobs = config.redisUrl
    ? await BullMQRunner.connect(registry, logger, { redisUrl: config.redisUrl, prefix: options.queuePrefix }, metrics.onJobDone)
    : new InProcessRunner(registry, logger, metrics.onJobDone);
  const runner = jobs;
  if (config.role !== 'web') {
    await runner.startWorking();
    // Reconcile at start: send what was recorded but not sent, and catch up on due check-ins.
    await enqueue('sweep_outbox', {});
    await enqueue('checkin_tick', {});
  }

  const people = peopleQueries(db);
  const { contextFor } = peopleResolver(people, {
    shareOneOrg: config.slack.mode !== 'oauth' && (config.teams.local || config.teams.appType === 'SingleTenant'),
    hrAdminEmails: config.hrAdminEmails,
  });
  const router: Router = new Router({
    features: [
      recognitionFeature({ queries: recognitionQueries(db), clock, sendRecorded }),
      checkinsFeature({ ...checkins, sendRecorded }),
      feedbackFeature({ queries: feedbackQueries(db, clock), sendRecorded }),
      peopleFeature(people, { hrAdminEmails: config.hrAdminEmails }),
      adminFeature({
        people,
        settings: settingsQueries(db),
        imports: { queries: orgImportQueries(db), clock, hrAdminEmails: config.hrAdminEmails },
        help: () => router.help(),
      }),
    ],
    contextFor,
    onOutcome: metrics.onInteraction,
    onError: (err, interaction) =>
      logger.error({ err, platform: interaction.origin.platform, kind: interaction.kind }, 'interaction failed'),
  });

  const routes = ['/healthz', '/readyz', '/metrics', ...platforms.flatMap((p) => p.routes)];
  const httpApp = createHttpApp(
    metrics,
    { readiness: async () => ({ database: await isDatabaseReachable(db), jobs: await runner.isReady() }) },
    () => routes,
  );
  if (config.role !== 'worker') {
    for (const platform of platforms) await platform.attach(httpApp, router);
  }
  const server: http.Server = await listen(httpApp, config.port, config.host);
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
      await db.destroy();
    },
  };
}
