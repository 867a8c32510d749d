/**
 * The neutral UI model. Features describe messages and forms with it; adapters/slack renders it to
 * Block Kit and adapters/teams to Adaptive Cards. Text uses a small markdown subset: **bold**, _italic_.
 */

export interface Button {
  /** Routed back to the feature as an `action` interaction with this id. */
  actionId: string;
  label: string;
  value?: string;
  style?: 'primary' | 'danger';
  /** The button opens a form (Slack modal / Teams dialog) returned by the action's handler. */
  opensForm?: boolean;
}

export type Block =
  | { type: 'header'; text: string }
  | { type: 'section'; text: string }
  | { type: 'fields'; fields: Array<{ label: string; value: string }> }
  | { type: 'context'; text: string }
  | { type: 'actions'; buttons: Button[] }
  /**
   * A form to fill in from this message. Where the platform can show inputs in a message (Teams)
   * they are shown inline; elsewhere (Slack) it is a button that opens the form.
   */
  | { type: 'form_entry'; form: Form; open: Button };

export interface Message {
  /** Plain-text summary, used for notifications and as a fallback. */
  summary: string;
  blocks: Block[];
}

interface FieldBase {
  id: string;
  label: string;
  required?: boolean;
  hint?: string;
}

export type FormField =
  | (FieldBase & { kind: 'text' | 'multiline'; placeholder?: string; maxLength?: number; initial?: string })
  | (FieldBase & { kind: 'number'; min?: number; max?: number; initial?: number })
  | (FieldBase & { kind: 'date'; initial?: string })
  | (FieldBase & { kind: 'users'; multiple: boolean; initial?: string[] })
  | (FieldBase & { kind: 'choice'; options: Array<{ value: string; label: string }>; initial?: string })
  | (FieldBase & { kind: 'rating'; min: number; max: number; initial?: number })
  /** One file, with one of these extensions; it comes back as the submission's `file`, not in its values. */
  | (FieldBase & { kind: 'file'; extensions: string[] })
  /** A channel of the workspace (Slack); its value is the channel id. */
  | (FieldBase & { kind: 'channel'; initial?: string });

export interface Form {
  /** Routed back as a `form_submit` interaction with this id. */
  formId: string;
  title: string;
  submitLabel: string;
  intro?: string;
  fields: FormField[];
  /** Opaque state carried through the platform and handed back on submit. */
  state?: Record<string, string>;
}

/** What comes back from either platform when a form is submitted. Users fields carry platform user ids. */
export type FormValues = Record<string, string | string[] | undefined>;
