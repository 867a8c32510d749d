import type { ParticipantState } from '../../db/database';

/**
 * Calibration's pure rules: which reviews can be moved, the rating distribution (per manager and
 * the group's) and the 9-box grid of performance against potential.
 */

/** A reviewed participant of the group, as calibration reads them. */
export interface CalibrationRow {
  participantId: string;
  personId: string;
  /** Who wrote the review (the participant's manager when the cycle started). */
  reviewerId: string | null;
  state: ParticipantState;
  /** The manager's rating, 1–5. */
  overall: number | null;
  calibrated: number | null;
  /** 1 (low) to 3 (high). */
  potential: number | null;
}

export type Band = 'low' | 'medium' | 'high';

export const BANDS: readonly Band[] = ['low', 'medium', 'high'];

export const BAND_LABEL: Record<Band, string> = { low: 'Low', medium: 'Medium', high: 'High' };

/** Only a submitted review that is not yet shared can be calibrated: once shared, the person has read it. */
export const calibratable = (state: ParticipantState) => state === 'manager_drafted';

/** The rating that counts: the calibrated one when set, else the manager's. */
export const ratingOf = (row: Pick<CalibrationRow, 'overall' | 'calibrated'>) => row.calibrated ?? row.overall;

/** Performance on the grid: 1–2 low, 3 medium, 4–5 high. */
export function performanceBand(rating: number): Band {
  if (rating <= 2) return 'low';
  return rating === 3 ? 'medium' : 'high';
}

/** Potential on the grid, from its 1–3. */
export const potentialBand = (potential: number): Band => BANDS[Math.min(Math.max(potential, 1), 3) - 1]!;

/** How many of each rating 1..5 (index 0 counts the 1s); ratings outside 1–5 are not counted. */
export function distribution(ratings: Array<number | null>): number[] {
  const counts = [0, 0, 0, 0, 0];
  for (const r of ratings) if (r !== null && r >= 1 && r <= 5) counts[r - 1]!++;
  return counts;
}

export interface ManagerDistribution {
  reviewerId: string | null;
  /** The ratings as the manager gave them. */
  given: number[];
}

/** Each manager's ratings as they gave them, the managers who reviewed most first. */
export function distributionsByManager(rows: CalibrationRow[]): ManagerDistribution[] {
  const byReviewer = new Map<string | null, Array<number | null>>();
  for (const row of rows) byReviewer.set(row.reviewerId, [...(byReviewer.get(row.reviewerId) ?? []), row.overall]);
  return [...byReviewer].map(([reviewerId, ratings]) => ({ reviewerId, given: distribution(ratings) })).sort((a, b) => total(b.given) - total(a.given));
}

export const total = (counts: number[]) => counts.reduce((a, b) => a + b, 0);

/** A box of the 9-box grid: performance × potential, with the people in it. */
export interface Box {
  performance: Band;
  potential: Band;
  personIds: string[];
}

/**
 * The 9-box grid, high potential first and, on each row, low performance first (as the grid is
 * drawn); people without a rating or a potential yet are left out of it, in `unplaced`.
 */
export function nineBox(rows: CalibrationRow[]): { boxes: Box[]; unplaced: string[] } {
  const boxes: Box[] = [...BANDS].reverse().flatMap((potential) => BANDS.map((performance) => ({ performance, potential, personIds: [] as string[] })));
  const unplaced: string[] = [];
  for (const row of rows) {
    const rating = ratingOf(row);
    if (rating === null || row.potential === null) {
      unplaced.push(row.personId);
      continue;
    }
    const box = boxes.find((b) => b.performance === performanceBand(rating) && b.potential === potentialBand(row.potential!));
    box!.personIds.push(row.personId);
  }
  return { boxes, unplaced };
}
