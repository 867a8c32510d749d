/** Consecutive answered periods, most recent first, counting back from the latest one. */
export function streak(statuses: Array<'answered' | 'skipped' | 'sent'>): number {
  let count = 0;
  for (const status of statuses) {
    if (status !== 'answered') break;
    count++;
  }
  return count;
}
