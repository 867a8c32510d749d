import client from 'prom-client';
import type { Interaction, Platform } from '../chat/interaction';
import { interactionName, type Outcome } from '../chat/router';
import type { JobOutcome } from '../jobs/registry';

/** Prometheus metrics, on a registry of our own so tests can run several apps in one process. */
export function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const httpDuration = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['route', 'method', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const interactions = new client.Counter({
    name: 'interactions_total',
    help: 'Interactions handled, by platform, kind, name and outcome',
    labelNames: ['platform', 'kind', 'name', 'outcome'],
    registers: [registry],
  });
  const jobs = new client.Counter({
    name: 'jobs_total',
    help: 'Job runs, by name and outcome',
    labelNames: ['name', 'outcome'],
    registers: [registry],
  });
  const undeliverable = new client.Counter({
    name: 'notifications_undeliverable_total',
    help: 'Notifications given up for good without a retry, by platform and reason',
    labelNames: ['platform', 'reason'],
    registers: [registry],
  });
  return {
    registry,
    httpDuration,
    onInteraction(interaction: Interaction, outcome: Outcome) {
      const name = outcome === 'unknown' ? 'unknown' : interactionName(interaction);
      interactions.inc({ platform: interaction.origin.platform, kind: interaction.kind, name, outcome });
    },
    onJobDone(name: string, outcome: JobOutcome) {
      jobs.inc({ name, outcome });
    },
    onUndeliverable(platform: Platform, reason: string) {
      undeliverable.inc({ platform, reason });
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
