import type { Block, Form, FormValues, Message } from '../../chat/ui';

/**
 * What our cards carry in their actions' `data`, and how it is read back. Teams merges the card's
 * input values into the same object, keyed by input id, so our keys are ones no field uses.
 */

/** Action.Execute verb of a form's submit button. */
export const SUBMIT_VERB_PREFIX = 'submit:';

/**
 * A bot message an interaction started from, to replace once a form opened from it is submitted.
 * A dialog's task/submit has no `replyToId` (only its task/fetch has), so the form carries it, as
 * Slack modals carry theirs in `private_metadata`.
 */
export interface SourceRef {
  activityId: string;
  conversationId: string;
}

/**
 * Where a form was asked for when it is shown elsewhere: a form asked for in a channel or group chat
 * goes to the asker's 1:1 chat (others would see what they type), and is submitted as if from there.
 */
export interface OriginRef {
  conversationId: string;
}

export interface Carried {
  source?: SourceRef;
  origin?: OriginRef;
}

/** Data of a form's submit action: the whole neutral form rides along, so the adapter stays stateless. */
export interface FormSubmitData {
  formId: string;
  hepoForm: Form;
  /** The message holding the form (a `form_entry`), to show it again with errors. */
  hepoMessage?: Message;
  hepoSource?: SourceRef;
  hepoOrigin?: OriginRef;
  /** Set on a form's "Save draft" action (`Form.draft`). */
  hepoDraft?: true;
}

/** Data of a plain button; `msteams.type: 'task/fetch'` on buttons that open a dialog. */
export interface ButtonData {
  actionId: string;
  value?: string;
  msteams?: { type: 'task/fetch' };
}

const OWN_KEYS = new Set(['formId', 'hepoForm', 'hepoMessage', 'hepoSource', 'hepoOrigin', 'hepoDraft', 'actionId', 'msteams']);

export type CardData =
  | { kind: 'form'; formId: string; form: Form | undefined; values: FormValues; message?: Message; carried: Carried; draft?: true }
  | { kind: 'action'; actionId: string; value: string | undefined };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v !== '';

function isForm(v: unknown): v is Form {
  return isRecord(v) && typeof v.formId === 'string' && Array.isArray(v.fields);
}

/** A message whose form_entry holds this form. */
function entryMessage(v: unknown, formId: string): Message | undefined {
  if (!isRecord(v) || typeof v.summary !== 'string' || !Array.isArray(v.blocks)) return undefined;
  const blocks = v.blocks as unknown[];
  const holds = blocks.some((b) => isRecord(b) && b.type === 'form_entry' && isForm(b.form) && b.form.formId === formId);
  return holds ? { summary: v.summary, blocks: blocks as Block[] } : undefined;
}

function sourceRef(v: unknown): SourceRef | undefined {
  return isRecord(v) && isText(v.activityId) && isText(v.conversationId) ? { activityId: v.activityId, conversationId: v.conversationId } : undefined;
}

function originRef(v: unknown): OriginRef | undefined {
  return isRecord(v) && isText(v.conversationId) ? { conversationId: v.conversationId } : undefined;
}

function splitIds(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Card inputs come back as strings (numbers in some clients); users pickers as comma-separated ids. */
function valuesOf(data: Record<string, unknown>, form: Form | undefined): FormValues {
  const kinds = new Map(form?.fields.map((f) => [f.id, f]) ?? []);
  const values: FormValues = {};
  for (const [key, raw] of Object.entries(data)) {
    if (OWN_KEYS.has(key)) continue;
    const text = typeof raw === 'string' ? raw : typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : undefined;
    if (text === undefined) continue;
    const field = kinds.get(key);
    if (field?.kind === 'users') {
      const ids = splitIds(text);
      values[key] = field.multiple ? (ids.length > 0 ? ids : undefined) : ids[0];
    } else {
      values[key] = text === '' ? undefined : text;
    }
  }
  return values;
}

/** Reads an action's data (Action.Submit value, task/submit data, Action.Execute data). */
export function readCardData(data: unknown, verb?: string): CardData | undefined {
  if (!isRecord(data)) return undefined;
  const form = isForm(data.hepoForm) ? data.hepoForm : undefined;
  const formId = typeof data.formId === 'string' ? data.formId : verb?.startsWith(SUBMIT_VERB_PREFIX) ? verb.slice(SUBMIT_VERB_PREFIX.length) : undefined;
  if (formId) {
    const message = entryMessage(data.hepoMessage, formId);
    const source = sourceRef(data.hepoSource);
    const origin = originRef(data.hepoOrigin);
    return {
      kind: 'form',
      formId,
      form: form?.formId === formId ? form : undefined,
      values: valuesOf(data, form),
      ...(message ? { message } : {}),
      carried: { ...(source ? { source } : {}), ...(origin ? { origin } : {}) },
      ...(data.hepoDraft === true ? { draft: true as const } : {}),
    };
  }
  const actionId = typeof data.actionId === 'string' && data.actionId !== '' ? data.actionId : verb;
  if (!actionId) return undefined;
  return { kind: 'action', actionId, value: typeof data.value === 'string' ? data.value : undefined };
}

/** The ids of the users fields whose values are Teams people-picker ids (AAD object ids in real Teams). */
export function usersFieldIds(form: Form | undefined): string[] {
  return form?.fields.filter((f) => f.kind === 'users').map((f) => f.id) ?? [];
}
