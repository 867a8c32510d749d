import { z } from 'zod';
import { Invalid, NotFound } from './errors';
import type { Interaction } from './interaction';
import { type FormValues, typed } from './ui';

/**
 * What people send the bot, bounded and checked before any handler reads it: the ids that come back
 * through the platform (a button's value, a form's state), and text, which never goes in unlimited.
 */

/**
 * The answer to an id that names nothing in the person's org: removed since, from another org, or
 * changed on its way through the platform. One answer for all, so it tells nobody what exists elsewhere.
 */
export const cannotFind = () => new NotFound("I couldn't find that. It may have been removed, or the message it came from is out of date.");

/** A row's id, as every table has it (a uuid): what a button's value and a form's state carry, and some choices' values. */
const rowId = z.guid();

/** Whether this is a row's id in shape (whether one with it exists in the org is the look-up's to say). */
export const isRowId = (id: string) => rowId.safeParse(id).success;

/**
 * The ids an action or a form brought back through the platform, where a person could have changed
 * them: each must be a uuid before a handler looks it up (Postgres would refuse anything else with an
 * error, not a "no such row"). Whether it names a row of this org is each handler's look-up.
 */
export function checkCarriedIds(interaction: Interaction): void {
  if (interaction.unreadable) throw cannotFind();
  const carried = interaction.kind === 'action' ? [interaction.value] : interaction.kind === 'form_submit' ? Object.values(interaction.state) : [];
  if (carried.some((id) => id !== undefined && !isRowId(id))) throw cannotFind();
}

/** A form field's one value: a single-choice field or a text input (a multi-choice field gives its first). */
export const singleValue = (value: FormValues[string]): string | undefined => [value ?? []].flat()[0];

const count = (n: number) => n.toLocaleString('en-US');

/** How a text field states its limit, after its own hint: the platforms show it under the input. */
export const limitHint = (maxLength: number, hint?: string) => `${hint ? `${hint} ` : ''}Up to ${count(maxLength)} characters.`;

/** A form's text field, trimmed (empty when left out), or Invalid at that field when it is longer than its limit. */
export function boundedText(value: FormValues[string], maxLength: number, field: string): string {
  return withinLimit(typeof value === 'string' ? value.trim() : '', maxLength, { field });
}

/** A form's whole-number field, or Invalid at that field naming `what` it is and its range. */
export function wholeNumber(value: FormValues[string], range: { min: number; max: number }, field: string, what: string): number {
  const raw = singleValue(value)?.trim() ?? '';
  const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(n >= range.min && n <= range.max)) throw new Invalid(`${what} is a whole number from ${count(range.min)} to ${count(range.max)}.`, field);
  return n;
}

/**
 * The text, or Invalid when it is longer than `maxLength`, telling the limit and how long it is: at
 * `field` in a form, else naming `what` it is (a command's topic, its talking point).
 */
export function withinLimit(text: string, maxLength: number, where: { field: string } | { what: string }): string {
  if (text.length > maxLength) {
    const what = 'what' in where ? where.what : 'this';
    throw new Invalid(
      `Please keep ${what} to ${count(maxLength)} characters or fewer; it has ${count(text.length)}.`,
      'field' in where ? where.field : undefined,
    );
  }
  return text;
}

/**
 * The most a command's text may hold (what follows the command word, mentions counted as their
 * markers), refused before the command's context is read from the database: every command's own
 * parts (a kudos message, a feedback topic, a talking point) are no longer, and each has its own limit.
 */
const MAX_COMMAND_TEXT = 2_000;

/** A command longer than any command needs is refused whole, with the limit. */
export function checkCommandText(interaction: Interaction): void {
  if (interaction.kind === 'command' && interaction.text.length > MAX_COMMAND_TEXT) {
    throw new Invalid(
      `That's more than I can read in one go: please keep what you type after ${typed(interaction.name)} to ${count(MAX_COMMAND_TEXT)} characters or fewer (yours has ${count(interaction.text.length)}).`,
    );
  }
}

/** Postgres text can't hold the NUL character: typed or pasted, it can only be a mistake. */
const NUL = /\u0000/g;
const storable = (text: string) => text.replace(NUL, '');

/** The interaction with the NUL characters dropped from what the person typed or sent back: commands, form values, button values. */
export function withStorableText(interaction: Interaction): Interaction {
  switch (interaction.kind) {
    case 'command':
      return { ...interaction, text: storable(interaction.text) };
    case 'form_submit': {
      const values = Object.fromEntries(
        Object.entries(interaction.values).map(([k, v]) => [k, typeof v === 'string' ? storable(v) : Array.isArray(v) ? v.map(storable) : v]),
      );
      return { ...interaction, values };
    }
    case 'action':
      return interaction.value === undefined ? interaction : { ...interaction, value: storable(interaction.value) };
    default:
      return interaction;
  }
}
