import { Invalid } from '../../chat/errors';
import { boundedText, wholeNumber } from '../../chat/input';
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

/**
 * The settings form as settings, or Invalid at the first field that is wrong. `current` fills what
 * the form doesn't ask for (the recognition channel in Teams).
 */
export function readSettings(values: FormValues, current: Pick<OrgSettings, 'recognitionChannel'>, asksChannel: boolean): OrgSettings {
  const settings = {
    companyValues: companyValues(boundedText(values.values, MAX_VALUES_TEXT, 'values')),
    monthlyAllowance: wholeNumber(values.allowance, { min: 1, max: MAX_ALLOWANCE }, 'allowance', 'The monthly allowance'),
    recognitionChannel: asksChannel ? textOf(values.channel) || null : current.recognitionChannel,
    defaultTimezone: boundedText(values.timezone, MAX_TIMEZONE, 'timezone'),
    workStartHour: wholeNumber(values.work_start, { min: 0, max: 23 }, 'work_start', 'The start of the working day'),
    workEndHour: wholeNumber(values.work_end, { min: 1, max: 24 }, 'work_end', 'The end of the working day'),
  };
  if (!isTimeZone(settings.defaultTimezone)) {
    throw new Invalid(`"${settings.defaultTimezone}" is not a timezone I know. Use an IANA name, like Europe/Lisbon.`, 'timezone');
  }
  if (settings.workEndHour <= settings.workStartHour) throw new Invalid('The working day must end after it starts.', 'work_end');
  return settings;
}
