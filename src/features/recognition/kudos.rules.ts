import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import { Invalid } from '../../chat/errors';
import { withinLimit } from '../../chat/input';
import { localInstant } from '../../schedule/cadence.rules';

dayjs.extend(utc);

export const MAX_MESSAGE_LENGTH = 1000;

/** One formatter per timezone: building one costs far more than using it, and every kudos needs one. */
const monthFormats = new Map<string, Intl.DateTimeFormat>();

function monthFormat(timeZone: string): Intl.DateTimeFormat {
  let format = monthFormats.get(timeZone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit' });
    } catch {
      format = monthFormat('UTC'); // a zone this runtime doesn't know
    }
    monthFormats.set(timeZone, format);
  }
  return format;
}

/** The allowance month, `YYYY-MM`, as the giver's own calendar shows it: it resets on the 1st, local time. */
export function allowancePeriod(now: Date, timeZone: string): string {
  const parts = monthFormat(timeZone).formatToParts(now);
  const part = (type: 'year' | 'month') => parts.find((p) => p.type === type)!.value;
  return `${part('year')}-${part('month')}`;
}

/** When the allowance month that holds `now` begins and ends, in this timezone. */
export function allowanceMonth(now: Date, timeZone: string): { from: Date; to: Date } {
  const first = `${allowancePeriod(now, timeZone)}-01`;
  const next = dayjs.utc(first).add(1, 'month').format('YYYY-MM-DD');
  return { from: localInstant(first, '00:00', timeZone), to: localInstant(next, '00:00', timeZone) };
}

/** Picks the company value: a hashtag before the message must be one; inside the message, only one that is counts. */
export function chooseValue(headerTags: string[], bodyTags: string[], companyValues: string[]): string | undefined {
  const known = (tag: string) => companyValues.includes(tag);
  const list = companyValues.map((v) => `#${v}`).join(', ');
  if (headerTags.length > 1) {
    throw new Invalid(`Pick one company value, not ${headerTags.length}. Your values: ${list}.`, 'value');
  }
  const [tag] = headerTags;
  if (tag !== undefined) {
    if (!known(tag)) throw new Invalid(`#${tag} isn't one of your company values. Use one of ${list}.`, 'value');
    return tag;
  }
  return bodyTags.find(known);
}

/** Points each recipient gets. Points are optional; given, they must fit in what is left this month. */
export function checkPoints(points: number[], recipients: number, left: number, allowance: number): number {
  if (points.length > 1) throw new Invalid('Give one number of points, like `20`.', 'points');
  const [each] = points;
  if (each === undefined) return 0;
  if (each < 1) throw new Invalid('Points start at 1. Leave the number out to send kudos without points.', 'points');
  // Before any SQL: no one gets more than a month's allowance, so no huge number reaches Postgres.
  if (!Number.isSafeInteger(each) || each > allowance) {
    throw new Invalid(`That's more than the ${allowance} points anyone can give in a month. Try a smaller number.`, 'points');
  }
  if (each * recipients > left) throw overAllowance(each, recipients, left, allowance);
  return each;
}

export function overAllowance(each: number, recipients: number, left: number, allowance: number): Invalid {
  const forWhom = recipients > 1 ? ` (${each} each for ${recipients} people makes ${each * recipients})` : '';
  return new Invalid(
    left === 0
      ? `You've used all ${allowance} of this month's points. You can still send kudos without points, and your points come back on the 1st.`
      : `You have ${left} of ${allowance} points left this month${forWhom}. Try a smaller number.`,
    'points',
  );
}

export function checkMessage(message: string): string {
  const text = message.trim();
  if (text === '') throw new Invalid('Add a few words about what they did, so they know why they are recognised.', 'message');
  return withinLimit(text, MAX_MESSAGE_LENGTH, { field: 'message' });
}
