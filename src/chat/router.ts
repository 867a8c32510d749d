import type { Org, Person } from '../db/database';
import type { Effect } from './effects';
import { DomainError, Invalid } from './errors';
import type { Interaction, UserRef } from './interaction';
import type { Directory, DirectoryUser } from './ports';
import type { Message } from './ui';

export interface HandlerContext {
  org: Org;
  actor: Person;
  /** People of this org for these platform users, created on first contact. Order is kept. */
  resolvePeople(refs: UserRef[]): Promise<Person[]>;
  /** This person's managers up the org chart, nearest first: what the authorization policy needs. */
  managersOf(personId: string): Promise<string[]>;
  /** People the platform knows by these (lower-case) emails, met by the bot or not (see `Directory.findByEmails`). */
  findByEmails(emails: string[]): Promise<Map<string, DirectoryUser>>;
}

type Of<K extends Interaction['kind']> = Extract<Interaction, { kind: K }>;
export type Handler<K extends Interaction['kind']> = (interaction: Of<K>, ctx: HandlerContext) => Promise<Effect[]>;

/** A capability's entry points, keyed by command name, form id and action id. */
export interface Feature {
  name: string;
  /** One line per command for the help reply, e.g. "`kudos @ana 20 #teamwork thanks!` recognise someone". */
  help: string[];
  commands?: Record<string, Handler<'command'>>;
  forms?: Record<string, Handler<'form_submit'>>;
  actions?: Record<string, Handler<'action'>>;
  /** Profile changes from the platform; at most one feature takes them. */
  profile?: Handler<'profile'>;
  /** The app was installed; every feature that cares answers, in the order of the feature list. */
  installed?: Handler<'installed'>;
}

export type Outcome = 'ok' | 'refused' | 'unknown' | 'error';

export interface RouterDeps {
  features: Feature[];
  contextFor(interaction: Interaction, directory: Directory): Promise<HandlerContext>;
  onOutcome?(interaction: Interaction, outcome: Outcome): void;
  onError(error: unknown, interaction: Interaction): void;
}

const text = (summary: string): Message => ({ summary, blocks: [{ type: 'section', text: summary }] });

export function interactionName(interaction: Interaction): string {
  switch (interaction.kind) {
    case 'command':
      return interaction.name;
    case 'form_submit':
      return interaction.formId;
    case 'action':
      return interaction.actionId;
    case 'profile':
      return 'changed';
    case 'installed':
      return 'installed';
  }
}

/** Hands each interaction to the feature that owns its name and turns failures into kind replies. */
export class Router {
  private readonly handlers = new Map<string, Handler<Interaction['kind']>>();
  private readonly onInstall: Array<Handler<Interaction['kind']>>;

  constructor(private readonly deps: RouterDeps) {
    this.onInstall = deps.features.flatMap((f) => (f.installed ? [f.installed as Handler<Interaction['kind']>] : []));
    for (const feature of deps.features) {
      const add = (kind: Interaction['kind'], table: Record<string, unknown> | undefined) => {
        for (const [name, handler] of Object.entries(table ?? {})) {
          const key = `${kind}:${name}`;
          if (this.handlers.has(key)) throw new Error(`${key} is claimed by two features`);
          this.handlers.set(key, handler as Handler<Interaction['kind']>);
        }
      };
      add('command', feature.commands);
      add('form_submit', feature.forms);
      add('action', feature.actions);
      add('profile', feature.profile ? { changed: feature.profile } : undefined);
    }
  }

  /** Commands the router knows, for adapters that match message text ("kudos …") to a command. */
  get commandNames(): string[] {
    return [...this.handlers.keys()].filter((k) => k.startsWith('command:')).map((k) => k.slice('command:'.length));
  }

  help(): Message {
    const lines = this.deps.features.flatMap((f) => f.help);
    return {
      summary: 'Here is what I can do',
      blocks: [{ type: 'section', text: `Here is what I can do:\n${lines.map((l) => `• ${l}`).join('\n')}` }],
    };
  }

  private handlersFor(interaction: Interaction): Array<Handler<Interaction['kind']>> {
    if (interaction.kind === 'installed') return this.onInstall;
    const handler = this.handlers.get(`${interaction.kind}:${interactionName(interaction)}`);
    return handler ? [handler] : [];
  }

  async dispatch(interaction: Interaction, directory: Directory): Promise<Effect[]> {
    const handlers = this.handlersFor(interaction);
    if (handlers.length === 0) {
      this.deps.onOutcome?.(interaction, 'unknown');
      // Nobody asked anything by installing: no help unasked.
      return interaction.kind === 'installed' ? [] : [{ type: 'reply', message: this.help() }];
    }
    try {
      const ctx = await this.deps.contextFor(interaction, directory);
      const effects: Effect[] = [];
      for (const handler of handlers) effects.push(...(await handler(interaction, ctx)));
      this.deps.onOutcome?.(interaction, 'ok');
      return effects;
    } catch (error) {
      if (error instanceof DomainError) {
        this.deps.onOutcome?.(interaction, 'refused');
        if (interaction.kind === 'form_submit' && error instanceof Invalid && error.field) {
          return [{ type: 'form_errors', errors: { [error.field]: error.message } }];
        }
        return [{ type: 'reply', message: text(error.message) }];
      }
      this.deps.onOutcome?.(interaction, 'error');
      this.deps.onError(error, interaction);
      return [{ type: 'reply', message: text('Sorry, something went wrong on my side. Please try again in a moment.') }];
    }
  }
}
