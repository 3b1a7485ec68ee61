import type { Core } from '../core/index.js';
import type { Logger } from '../core/ports/ports.js';
import type { ReplyDetails, Turn } from '../core/public-surface.js';
import type { ConversationSource } from '../core/ports/ports.js';
import type { Actor, FileSource, Scope } from '../core/ports/types.js';

export type OptionType = 'string' | 'integer' | 'boolean' | 'attachment';

export interface OptionSpec {
  readonly name: string;
  readonly description: string;
  readonly type: OptionType;
  readonly required: boolean;
  readonly min?: number;
  readonly max?: number;
  readonly maxLength?: number;
  /** Offer the channel's document names as the user types (platforms that support it). */
  readonly autocomplete?: 'documents';
  /** The only accepted values (Discord shows them as choices). */
  readonly choices?: readonly string[];
  /**
   * In typed text (console, Slack), set only by name, never by position: `version=previous`, or
   * with choices also `version:previous` as Discord shows it. The words around it stay the text.
   */
  readonly named?: boolean;
}

/** One verb of a command with several (`/digest set`, `/digest list`): its own options. */
export interface SubcommandSpec {
  readonly name: string;
  readonly description: string;
  readonly options: readonly OptionSpec[];
}

export type OptionValue = string | number | boolean | readonly FileSource[];
export type RawOptions = Readonly<Record<string, OptionValue | undefined>>;

/** The value an option of this type has once validated. */
type ValueOf<T extends OptionType> = T extends 'string' ? string : T extends 'integer' ? number : T extends 'boolean' ? boolean : readonly FileSource[];

/** The validated options of a list of option specs: required ones always set, the others maybe. */
export type OptionsOf<S extends readonly OptionSpec[]> = {
  readonly [K in S[number] as K['name']]: K extends { readonly required: true } ? ValueOf<K['type']> : ValueOf<K['type']> | undefined;
};

/** The validated options of a command with verbs: one shape per verb, told apart by `subcommand`. */
export type SubcommandOptionsOf<V extends readonly SubcommandSpec[]> = {
  [I in keyof V]: { readonly subcommand: V[I]['name'] } & OptionsOf<V[I]['options']>;
}[number];

/** What a finished command hands back: text for people, data for machines (console --json). */
export interface CommandResult {
  /** The whole reply, as Markdown. */
  readonly text: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly ephemeral?: boolean;
  /** When the reply's body was streamed: what follows the streamed part (sources, footer). */
  readonly afterStream?: string;
  /** Files to attach to the reply (e.g. an annotated image). */
  readonly files?: readonly { readonly name: string; readonly data: Buffer }[];
  /** A recorded answer people can rate: platforms put 👍/👎 under the reply. */
  readonly feedback?: { readonly answerId: string };
  /** What the reply sent where; the runner keeps it for the person who asked (a Details button; `details` in the console's JSON). */
  readonly details?: ReplyDetails;
  /** Set by the runner once the details are kept: the id the Details button carries. */
  readonly detailsId?: string;
  /** A question and its answer to remember for follow-ups in this conversation. */
  readonly remember?: Turn;
  /** Part of the work was refused (one of several files): platforms that mark the outcome mark it failed. */
  readonly partial?: boolean;
}

/** How a platform shows a command's progress and outcome. Each bot implements it natively. */
export interface Reply {
  /** Acknowledge now; the result follows (Discord's deferReply, Slack's ack). */
  defer(): Promise<void>;
  /** A short interim status line (for example one per indexed file). */
  progress(text: string): Promise<void>;
  /** Shows text as it is generated; resolves when the stream ends. */
  stream(tokens: AsyncIterable<string>): Promise<void>;
  send(result: CommandResult): Promise<void>;
  fail(failure: CommandFailure): Promise<void>;
}

export interface CommandFailure {
  readonly code: string;
  readonly message: string;
  /** For unexpected errors: an id to find the full error in the logs. */
  readonly reference?: string;
  readonly usage?: string;
}

/**
 * Rights a command can need, named for what they allow: `manage` changes a channel's settings
 * and schedules, `moderate` removes what someone else added. Each platform says what grants them.
 */
export type Right = 'manage' | 'moderate';

/** What a command needs from the platform; the runner asks for exactly this and enforces it. */
export interface CommandNeeds {
  /** The channel or thread it is used in, to read its messages (summaries). */
  readonly conversation?: boolean;
  /** Earlier questions and answers in this conversation (follow-ups). */
  readonly history?: boolean;
  /** The right it checks; `context.permissions` says whether the user has it and what it takes. */
  readonly right?: Right;
  /** Verbs only people with that right may use, with what they do ("set digests"): refused by the runner. */
  readonly restricted?: Readonly<Record<string, string>>;
}

/** Where the request came from: a command typed by the user, or something they posted (a PDF, an image, a mention). */
export type Origin = 'typed' | 'posted';

export interface CommandContext {
  readonly core: Core;
  readonly scope: Scope;
  readonly user: Actor;
  readonly logger: Logger;
  readonly reply: Reply;
  readonly signal: AbortSignal;
  /** Counters the runner adds to its one log line per request. */
  readonly metrics: Record<string, number | string>;
  /** Earlier questions and answers in this thread or channel, oldest first (follow-ups). */
  readonly history: readonly Turn[];
  /** The channel or thread the command was used in, when the platform can read its history. */
  readonly conversation: ConversationSource | undefined;
  /** Whether the user has the right the command declares in `needs.right`, as the platform decides (none declared: not granted). */
  readonly permissions: Permissions;
  readonly origin: Origin;
  /** Features this platform cannot offer as configured, with the reason in its words. */
  readonly unavailable: Readonly<Partial<Record<PlatformFeature, string>>>;
}

/** Features that depend on what a platform lets Docent see. */
export type PlatformFeature = 'alttext';

export interface Permissions {
  /** The user has the right. */
  readonly granted: boolean;
  /** What it takes, in the platform's words ("the Manage Channels permission"). */
  readonly requirement: string;
}

/** The console is run by whoever runs Docent: they may do anything. */
export const OPERATOR: Permissions = { granted: true, requirement: 'access to the machine Docent runs on' };

/** The option that carries the chosen subcommand in RawOptions. */
export const SUBCOMMAND = 'subcommand';

export interface MessageAction {
  readonly label: string;
  readonly options: RawOptions;
  readonly fromText?: (text: string) => RawOptions;
}

export interface CommandDefinition<O = RawOptions> {
  readonly name: string;
  readonly description: string;
  readonly options: readonly OptionSpec[];
  /** Verbs with their own options; when set, `options` is empty and RawOptions.subcommand names the verb. */
  readonly subcommands?: readonly SubcommandSpec[];
  /** Verbs whose reply only the user sees (listings, previews). */
  readonly privateSubcommands?: readonly string[];
  /** Longer help: examples and what the command does. */
  readonly help?: string;
  /**
   * Actions on a message that run this command (Discord context menus, Slack message shortcuts):
   * a label and fixed options; the platform fills the command's file option with the message's
   * files, and the conversation with the message's thread. `fromText` reads options from the
   * message's own words (they win over the fixed ones), e.g. "segment the cats" posted with a photo.
   */
  readonly messageActions?: readonly MessageAction[];
  readonly needs?: CommandNeeds;
  /** Always private (help): the platform acknowledges it privately. */
  readonly private?: boolean;
  /** Runs with options already validated against the specs (see validateOptions), so typed by them. */
  run(options: O, context: CommandContext): Promise<CommandResult>;
}

const YES = ['yes', 'true', 'on', '1'];

/**
 * Whether the reply is shown only to the user, decided before the command runs (platforms
 * acknowledge privately or publicly up front): help, listings and previews, or `private=yes`.
 */
export function repliesPrivately(command: CommandDefinition, options: RawOptions): boolean {
  if (command.private === true || options.private === true || YES.includes(String(options.private).toLowerCase())) return true;
  const subcommand = options[SUBCOMMAND];
  return command.privateSubcommands?.includes(String(subcommand)) ?? false;
}

/**
 * A command whose `run` receives options typed from its own specs (`options.question` is a
 * string when `question` is a required string option). Returned erased, for the registry: the
 * runner validates options against the same specs before `run` sees them.
 */
export function defineCommand<const S extends readonly OptionSpec[]>(
  definition: Omit<CommandDefinition<OptionsOf<S>>, 'options' | 'subcommands'> & { readonly options: S; readonly subcommands?: undefined },
): CommandDefinition;
export function defineCommand<const V extends readonly SubcommandSpec[]>(
  definition: Omit<CommandDefinition<SubcommandOptionsOf<V>>, 'options' | 'subcommands'> & { readonly options: readonly []; readonly subcommands: V },
): CommandDefinition;
export function defineCommand(definition: CommandDefinition<never>): CommandDefinition {
  // The runner only calls run with options validated against these specs (validateOptions).
  return definition as unknown as CommandDefinition;
}

function optionUsage(options: readonly OptionSpec[]): string[] {
  return options.map((o) =>
    o.type === 'boolean' ? `[${o.name}=yes]` : o.named && o.choices ? `[${o.name}=${o.choices.join('|')}]` : o.choices ? `<${o.choices.join('|')}>` : o.required ? `<${o.name}>` : `[${o.name}]`,
  );
}

export function usage(command: CommandDefinition): string {
  if (command.subcommands) {
    return command.subcommands.map((sub) => [`/${command.name}`, sub.name, ...optionUsage(sub.options)].join(' ')).join(' | ');
  }
  return [`/${command.name}`, ...optionUsage(command.options)].join(' ');
}

/** The options that apply: the chosen subcommand's, or the command's own. */
export function optionsFor(command: CommandDefinition, subcommand: string | undefined): readonly OptionSpec[] {
  if (!command.subcommands) return command.options;
  return command.subcommands.find((s) => s.name === subcommand)?.options ?? [];
}
