import { randomBytes } from 'node:crypto';
import { BadInputError, DatabaseUnavailableError, isDocentError, PermissionDeniedError, ProviderError } from '../core/ports/errors.js';
import type { Core } from '../core/index.js';
import type { Logger } from '../core/ports/ports.js';
import type { ConversationMemory } from '../core/answer/conversations.js';
import type { ConversationSource } from '../core/ports/ports.js';
import type { Actor, Scope } from '../core/ports/types.js';
import { kept } from './kept.js';
import {
  OPERATOR,
  optionsFor,
  SUBCOMMAND,
  usage,
  type CommandContext,
  type CommandDefinition,
  type CommandFailure,
  type CommandResult,
  type Origin,
  type Permissions,
  type RawOptions,
  type Reply,
  type Right,
} from './types.js';

export type { ConversationMemory };

/**
 * What a platform can supply. The runner asks only for what the command declares in `needs`:
 * the conversation is opened only for commands that read it, the rule for a right only looked up
 * for commands that check one.
 */
export interface PlatformContext {
  /** Whether the user has a right here and what it takes; without it the user is the operator (the console). */
  readonly permission?: (right: Right) => Permissions;
  /** The channel or thread the request came from, when the platform can read its history. */
  readonly conversation?: () => ConversationSource | undefined;
  /** The follow-up memory of this conversation. */
  readonly memory?: ConversationMemory;
  readonly unavailable?: CommandContext['unavailable'];
}

export interface RunRequest {
  readonly command: CommandDefinition;
  readonly options: RawOptions;
  readonly core: Core;
  readonly scope: Scope;
  readonly user: Actor;
  readonly logger: Logger;
  readonly reply: Reply;
  readonly signal?: AbortSignal;
  readonly platform?: PlatformContext;
  /** Typed (the default) or posted: a PDF, an image or a mention. */
  readonly origin?: Origin;
}

const UNDECLARED: Permissions = { granted: false, requirement: 'a right this command does not declare' };

export type RunOutcome =
  | { readonly ok: true; readonly result: CommandResult; readonly durationMs: number }
  | { readonly ok: false; readonly failure: CommandFailure; readonly durationMs: number };

/**
 * The one way every platform runs a command: validate the options, acknowledge before slow
 * work, time it, log one line, and turn any error into a specific message for the user
 * (unexpected errors get a short reference id that leads to the full error in the logs).
 * Never throws.
 */
export async function runCommand(request: RunRequest): Promise<RunOutcome> {
  const { command, reply } = request;
  const requestId = randomBytes(4).toString('hex');
  const logger = request.logger.child({ platform: request.scope.platform, command: command.name, requestId });
  const started = performance.now();
  const metrics: Record<string, number | string> = {};
  const elapsed = () => Math.round(performance.now() - started);

  try {
    const options = validateOptions(command, request.options);
    await reply.defer();
    const needs = command.needs ?? {};
    const platform = request.platform ?? {};
    // A command that declares no right is told it has none (deny by default), whatever the platform.
    const permissions = needs.right ? (platform.permission?.(needs.right) ?? OPERATOR) : UNDECLARED;
    const restricted = needs.restricted?.[String(options[SUBCOMMAND] ?? '')];
    if (restricted !== undefined && !permissions.granted) throw new PermissionDeniedError(`Only people with ${permissions.requirement} can ${restricted}.`);
    // The command's provider calls are counted for this channel on the admin page.
    const result = await request.core.within(request.scope, async () => command.run(options, {
      core: request.core,
      scope: request.scope,
      user: request.user,
      logger,
      reply,
      signal: request.signal ?? new AbortController().signal,
      metrics,
      history: needs.history && platform.memory ? await platform.memory.turns() : [],
      conversation: needs.conversation ? platform.conversation?.() : undefined,
      permissions,
      origin: request.origin ?? 'typed',
      unavailable: platform.unavailable ?? {},
    }));
    // The details are the asker's: kept under an id only they can open (the Details button).
    // The result is delivered even when they cannot be kept (the reply has no Details then).
    const details = result.details;
    const detailsId = details ? await kept(logger, 'the details of this reply (it has no Details button)', () => request.core.details.record(request.scope, request.user.id, details)) : undefined;
    const shown = detailsId === undefined ? result : { ...result, detailsId };
    await reply.send(shown);
    if (result.remember) {
      const turn = result.remember;
      await kept(logger, 'this question for follow-ups', async () => platform.memory?.remember(turn));
    }
    const durationMs = elapsed();
    logger.info({ outcome: 'ok', durationMs, ...metrics }, `/${command.name} done`);
    return { ok: true, result: shown, durationMs };
  } catch (error) {
    const durationMs = elapsed();
    const failure = toFailure(error, command, requestId);
    if (failure.reference) logger.error({ err: error, outcome: 'error', durationMs, reference: failure.reference }, `/${command.name} failed unexpectedly`);
    else if (error instanceof ProviderError || error instanceof DatabaseUnavailableError) logger.warn({ err: error, outcome: failure.code, durationMs, ...metrics }, `/${command.name} failed: ${failure.code}`);
    else logger.info({ outcome: failure.code, durationMs, ...metrics, detail: error instanceof Error ? error.message : undefined }, `/${command.name} refused: ${failure.code}`);
    try {
      await reply.fail(failure);
    } catch (replyError) {
      logger.error({ err: replyError }, 'could not deliver the failure message');
    }
    return { ok: false, failure, durationMs };
  }
}

function toFailure(error: unknown, command: CommandDefinition, requestId: string): CommandFailure {
  if (isDocentError(error)) {
    return error instanceof BadInputError && error.code === 'bad_option'
      ? { code: error.code, message: error.userMessage, usage: usage(command) }
      : { code: error.code, message: error.userMessage };
  }
  return {
    code: 'internal_error',
    message: `Something went wrong inside Docent (reference ${requestId}). The details are in its logs.`,
    reference: requestId,
  };
}

export function validateOptions(command: CommandDefinition, raw: RawOptions): RawOptions {
  const problems: string[] = [];
  const result: Record<string, RawOptions[string]> = {};
  const subcommand = raw[SUBCOMMAND];
  if (command.subcommands) {
    const names = command.subcommands.map((s) => s.name);
    if (typeof subcommand !== 'string' || !names.includes(subcommand)) {
      const given = typeof subcommand === 'string' && subcommand.length > 0 ? `“${subcommand}” is not one of them` : 'none was given';
      throw new BadInputError('bad_option', `/${command.name} needs one of: ${names.join(', ')} (${given}).`);
    }
    result[SUBCOMMAND] = subcommand;
  }
  const specs = optionsFor(command, typeof subcommand === 'string' ? subcommand : undefined);
  for (const spec of specs) {
    const value = raw[spec.name];
    const missing = value === undefined || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);
    if (missing) {
      if (spec.required) problems.push(`${spec.name} is required (${spec.description.toLowerCase()})`);
      continue;
    }
    switch (spec.type) {
      case 'string': {
        const text = String(value).trim();
        if (spec.maxLength !== undefined && text.length > spec.maxLength) problems.push(`${spec.name} is too long (at most ${spec.maxLength} characters)`);
        const choice = spec.choices?.find((c) => c.toLowerCase() === text.toLowerCase());
        if (spec.choices && choice === undefined) problems.push(`${spec.name} must be one of ${spec.choices.join(', ')}`);
        result[spec.name] = choice ?? text;
        break;
      }
      case 'integer': {
        const n = typeof value === 'number' ? value : Number(value);
        if (!Number.isInteger(n)) problems.push(`${spec.name} must be a whole number`);
        else if (spec.min !== undefined && n < spec.min) problems.push(`${spec.name} must be at least ${spec.min}`);
        else if (spec.max !== undefined && n > spec.max) problems.push(`${spec.name} must be at most ${spec.max}`);
        result[spec.name] = n;
        break;
      }
      case 'boolean': {
        const text = String(value).toLowerCase();
        if (typeof value === 'boolean') result[spec.name] = value;
        else if (['true', 'yes', 'on', '1'].includes(text)) result[spec.name] = true;
        else if (['false', 'no', 'off', '0'].includes(text)) result[spec.name] = false;
        else problems.push(`${spec.name} must be yes or no`);
        break;
      }
      case 'attachment': {
        if (!Array.isArray(value)) problems.push(`${spec.name} must be a file`);
        result[spec.name] = value;
        break;
      }
    }
  }
  const known = new Set([...specs.map((o) => o.name), ...(command.subcommands ? [SUBCOMMAND] : [])]);
  for (const name of Object.keys(raw)) if (!known.has(name) && raw[name] !== undefined) problems.push(`unknown option ${name}`);
  if (problems.length > 0) {
    throw new BadInputError('bad_option', `/${command.name}: ${problems.join('; ')}.`);
  }
  return result;
}
