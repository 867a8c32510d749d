import type { Context } from '@slack/bolt';

/**
 * Bolt acknowledges an event before its listener runs, so Slack's retry after a timeout means the
 * acknowledgement was late, not lost: the first delivery is handled here already, and answering
 * again would repeat it (a second help message). Retries for other reasons (no connection, an error
 * answer) are handled.
 */
export const isLateRepeat = (context: Context) => context.retryReason === 'http_timeout';
