import { Invalid } from '../../chat/errors';
import { boundedText } from '../../chat/input';
import type { FormValues } from '../../chat/ui';
import { isTimeZone } from '../../schedule/cadence.rules';

/** What an HR admin sets for the whole org. */
export interface OrgSettings {
  companyValues: string[];
  monthlyAllowance: number;
  /** Slack: where kudos given in DMs are posted. */
  recognitionChannel: string | null;
  defaultTimezone: string;
  workStartHour: number;
  workEndHour: number;
}

export const MAX_ALLOWANCE = 10_000;
const MAX_VALUES = 20;
/** The company values as typed: room for the most values, each as long as one may be, with separators. */
export const MAX_VALUES_TEXT = 1_000;
/** The longest IANA timezone name is 32 characters. */
export const MAX_TIMEZONE = 64;
/** A value is a hashtag in kudos (`#teamwork`), so it is written the way the kudos parser reads one. */
const VALUE = /^[\p{L}\p{N}_-]{1,30}$/u;

const textOf = (v: FormValues[string]) => (typeof v === 'string' ? v.trim() : '');

function companyValues(raw: string): string[] {
  const values = [
    ...new Set(
      raw
        .split(/[,\n]/)
        .map((v) => v.trim().replace(/^#/, '').toLowerCase())
        .filter(Boolean),
    ),
  ];
  if (values.length === 0) throw new Invalid('Name at least one company value, like `teamwork, integrity`.', 'values');
  if (values.length > MAX_VALUES) throw new Invalid(`Keep it to ${MAX_VALUES} values or fewer.`, 'values');
  const bad = values.find((v) => !VALUE.test(v));
  if (bad) throw new Invalid(`"${bad}" can't be a value: people type it as a hashtag, so use letters, digits, - or _ (up to 30).`, 'values');
  return values;
}

function wholeNumber(raw: string, min: number, max: number, field: string, what: string): number {
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= min && n <= max)) throw new Invalid(`${what} is a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}.`, field);
  return n;
}

/**
 * The settings form as settings, or Invalid at the first field that is wrong. `current` fills what
 * the form doesn't ask for (the recognition channel in Teams).
 */
export function readSettings(values: FormValues, current: Pick<OrgSettings, 'recognitionChannel'>, asksChannel: boolean): OrgSettings {
  const settings = {
    companyValues: companyValues(boundedText(values.values, MAX_VALUES_TEXT, 'values')),
    monthlyAllowance: wholeNumber(textOf(values.allowance), 1, MAX_ALLOWANCE, 'allowance', 'The monthly allowance'),
    recognitionChannel: asksChannel ? textOf(values.channel) || null : current.recognitionChannel,
    defaultTimezone: boundedText(values.timezone, MAX_TIMEZONE, 'timezone'),
    workStartHour: wholeNumber(textOf(values.work_start), 0, 23, 'work_start', 'The start of the working day'),
    workEndHour: wholeNumber(textOf(values.work_end), 1, 24, 'work_end', 'The end of the working day'),
  };
  if (!isTimeZone(settings.defaultTimezone)) {
    throw new Invalid(`"${settings.defaultTimezone}" is not a timezone I know. Use an IANA name, like Europe/Lisbon.`, 'timezone');
  }
  if (settings.workEndHour <= settings.workStartHour) throw new Invalid('The working day must end after it starts.', 'work_end');
  return settings;
}
