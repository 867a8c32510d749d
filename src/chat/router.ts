import type { Effect } from './effects';
import { DomainError, Invalid } from './errors';
import type { Feature, Handler, HandlerContext, NotifyOnce, Of } from './feature';
import { homeHandlers } from './home';
import { cannotFind, checkCarriedIds, checkCommandText, withStorableText } from './input';
import type { Interaction, Platform } from './interaction';
import type { Directory, ShowPeople } from './ports';
import type { Person } from '../db/database';
import { asWritten, type FormValues, lookUpPeople, type Message, suggestKey, textMessage, typed, writeTyped } from './ui';

export type Outcome = 'ok' | 'refused' | 'unknown' | 'error';

export interface RouterDeps {
  features: Feature[];
  contextFor(interaction: Interaction, directory: Directory): Promise<HandlerContext>;
  /** How the people the answers name show on the platform answering. */
  showPeople: ShowPeople;
  onOutcome?(interaction: Interaction, outcome: Outcome): void;
  onError(error: unknown, interaction: Interaction): void;
  notifyOnce: NotifyOnce;
  /** First names of a few of the person's colleagues on the platform, for the examples of commands to type. */
  exampleColleagues(orgId: string, person: Person, platform: Platform): Promise<string[]>;
}

/** The placeholders for people in the examples of commands to type. */
const PLACEHOLDER = /@(name|other)\b/;
const PLACEHOLDER_ALL = /@(?:name|other)\b/g;
const TYPED_COMMANDS = /\{typed:[^}]*\}/g;

/** What a person wrote in the interaction (a command, a form, a file), with no marker of ours live in it. */
function writtenSafely(interaction: Interaction): Interaction {
  switch (interaction.kind) {
    case 'command':
      return { ...interaction, text: asWritten(interaction.text) };
    case 'form_submit': {
      const values: FormValues = {};
      for (const [field, value] of Object.entries(interaction.values)) values[field] = Array.isArray(value) ? value.map(asWritten) : value && asWritten(value);
      const file = interaction.file && 'text' in interaction.file ? { file: { ...interaction.file, text: asWritten(interaction.file.text) } } : {};
      return { ...interaction, values, ...file };
    }
    default:
      return interaction;
  }
}

export function interactionName(interaction: Interaction): string {
  switch (interaction.kind) {
    case 'command':
      return interaction.name;
    case 'form_submit':
      return interaction.formId;
    case 'action':
      return interaction.actionId;
    case 'suggest':
      return suggestKey(interaction.formId, interaction.fieldId);
    case 'profile':
      return 'changed';
    case 'home':
      return 'home';
    case 'installed':
      return 'welcome';
  }
}

/** Hands each interaction to the feature that owns its name and turns failures into kind replies. */
export class Router {
  private readonly handlers = new Map<string, Handler<Interaction['kind']>>();

  constructor(private readonly deps: RouterDeps) {
    const add = (kind: Interaction['kind'], table: Record<string, unknown> | undefined) => {
      for (const [name, handler] of Object.entries(table ?? {})) {
        const key = `${kind}:${name}`;
        if (this.handlers.has(key)) throw new Error(`${key} is claimed by two features`);
        this.handlers.set(key, handler as Handler<Interaction['kind']>);
      }
    };
    for (const feature of deps.features) {
      add('command', feature.commands);
      add('form_submit', feature.forms);
      add('action', feature.actions);
      add('suggest', feature.suggest);
      add('profile', feature.profile ? { changed: feature.profile } : undefined);
    }
    // The home and the welcome are every feature's, so the router answers them itself.
    const home = homeHandlers(deps.features, deps.notifyOnce);
    add('home', { home: home.show });
    const onInstall = deps.features.flatMap((f) => (f.installed ? [f.installed] : []));
    add('installed', {
      welcome: async (interaction: Of<'installed'>, ctx: HandlerContext) => {
        const effects = await home.welcome(interaction, ctx);
        for (const installed of onInstall) effects.push(...(await installed(interaction, ctx)));
        return effects;
      },
    });
  }

  /** Commands the router knows, for adapters that match message text ("kudos …") to a command. */
  get commandNames(): string[] {
    const names = [...this.handlers.keys()].filter((k) => k.startsWith('command:')).map((k) => k.slice('command:'.length));
    return names.filter((name) => !name.includes(' '));
  }

  /**
   * A command's handler: a feature may own one word of another's command (`checkin 1on1`), so a
   * capability can live in its own folder while people find it where they look for it.
   */
  private handlerFor(interaction: Interaction): Handler<Interaction['kind']> | undefined {
    if (interaction.kind === 'command') {
      const word = interaction.text.trim().split(/\s+/)[0]?.toLowerCase();
      const sub = word ? this.handlers.get(`command:${interaction.name} ${word}`) : undefined;
      if (sub) return sub;
      // `/kudos help`: its usage, unless its feature answers `help` itself (`hepo help`).
      if (interaction.text.trim().toLowerCase() === 'help' && this.handlers.has(`command:${interaction.name}`))
        return this.usage as Handler<Interaction['kind']>;
    }
    return this.handlers.get(`${interaction.kind}:${interactionName(interaction)}`);
  }

  /** The help lines of these features, as their commands are typed on this platform. */
  private helpLines(features: Feature[], platform: Platform): string[] {
    return features.flatMap((f) => f.help).flatMap((l) => (typeof l === 'string' ? [l] : l.only === platform ? [l.text] : []));
  }

  /** Every command, as they are typed on this platform. */
  help(platform: Platform): Message {
    const lines = this.helpLines(this.deps.features, platform);
    return {
      summary: 'Here is what I can do',
      blocks: [{ type: 'section', text: `Here is what I can do:\n${lines.map((l) => `• ${l}`).join('\n')}` }],
    };
  }

  /** A command's usage: the help of the features that own it or a word of it (`checkin 1on1`). */
  private readonly usage: Handler<'command'> = async ({ name, origin }) => {
    const owners = this.deps.features.filter((f) => Object.keys(f.commands ?? {}).some((c) => c === name || c.startsWith(`${name} `)));
    const lines = this.helpLines(owners, origin.platform);
    return [
      {
        type: 'reply',
        message: { summary: `How to use ${name}`, blocks: [{ type: 'section', text: `${typed(name)}:\n${lines.map((l) => `• ${l}`).join('\n')}` }] },
      },
    ];
  };

  /** The answers' messages with how the people they name show, looked up once for them all. */
  private async withPeopleShown(effects: Effect[], ctx: HandlerContext, platform: Platform): Promise<Effect[]> {
    const messages = effects.flatMap((e) => ('message' in e ? [e.message] : []));
    const people = await lookUpPeople(messages, (ids) => this.deps.showPeople(ctx.org.id, platform, ids));
    return people ? effects.map((e) => ('message' in e ? { ...e, message: { ...e.message, people } } : e)) : effects;
  }

  /**
   * The answers' commands to type with the reader's colleagues in their examples (`@name`, `@other`),
   * where the bot knows some on this platform; the placeholders stay otherwise.
   */
  private async withExamples(effects: Effect[], ctx: HandlerContext, platform: Platform): Promise<Effect[]> {
    const hasPlaceholder = (text: string) => PLACEHOLDER.test(text.match(TYPED_COMMANDS)?.join(' ') ?? '');
    if (!hasPlaceholder(JSON.stringify(effects.flatMap((e) => ('message' in e ? [e.message] : []))))) return effects;
    const [first, second = 'someone'] = await this.deps.exampleColleagues(ctx.org.id, ctx.actor, platform);
    if (!first) return effects;
    const names: Record<string, string> = { '@name': `@${first}`, '@other': `@${second}` };
    const fill = (text: string) => writeTyped(text, (command) => typed(command.replace(PLACEHOLDER_ALL, (p) => names[p]!)));
    const filled = (message: Message): Message => ({
      ...message,
      summary: fill(message.summary),
      blocks: message.blocks.map((b) => ('text' in b ? { ...b, text: fill(b.text) } : b)),
    });
    return effects.map((e) => ('message' in e ? { ...e, message: filled(e.message) } : e));
  }

  async dispatch(sent: Interaction, directory: Directory): Promise<Effect[]> {
    const interaction = writtenSafely(withStorableText(sent));
    const handler = this.handlerFor(interaction);
    const { platform } = interaction.origin;
    // A button or a form nobody owns came back changed (or from a version of the app that had it): not something to teach with the help.
    if (!handler && (interaction.kind === 'action' || interaction.kind === 'form_submit')) return this.refused(interaction, cannotFind());
    // A search field nobody serves finds nothing.
    if (!handler && interaction.kind === 'suggest') return [{ type: 'suggestions', options: [] }];
    if (!handler) {
      this.deps.onOutcome?.(interaction, 'unknown');
      const help: Effect[] = [{ type: 'reply', message: this.help(platform) }];
      // The help's examples name the person's colleagues when the bot knows who they are.
      return this.deps.contextFor(interaction, directory).then(
        (ctx) => this.withExamples(help, ctx, platform),
        () => help,
      );
    }
    try {
      // Before the context is read: what the person sent is checked before any SQL.
      checkCommandText(interaction);
      checkCarriedIds(interaction);
      const ctx = await this.deps.contextFor(interaction, directory);
      const effects = await this.withPeopleShown(await handler(interaction, ctx), ctx, platform);
      this.deps.onOutcome?.(interaction, 'ok');
      return await this.withExamples(effects, ctx, platform);
    } catch (error) {
      if (error instanceof DomainError) return this.refused(interaction, error);
      this.deps.onOutcome?.(interaction, 'error');
      this.deps.onError(error, interaction);
      return [{ type: 'reply', message: textMessage('Sorry, something went wrong on my side. Please try again in a moment.') }];
    }
  }

  /** A refusal, kindly and privately: at its field when it has one and a form is open. */
  private refused(interaction: Interaction, error: DomainError): Effect[] {
    this.deps.onOutcome?.(interaction, 'refused');
    if (interaction.kind === 'form_submit' && error instanceof Invalid && error.field) {
      return [{ type: 'form_errors', errors: { [error.field]: error.message } }];
    }
    return [{ type: 'reply', message: textMessage(error.message) }];
  }
}
