import { askCommand } from './ask.js';
import { captionCommand } from './caption.js';
import { digestCommand } from './digest.js';
import { diffCommand } from './diff.js';
import { docsCommand } from './docs.js';
import { forgetCommand } from './forget.js';
import { createHelpCommand } from './help.js';
import { indexCommand } from './index-files.js';
import { settingsCommand } from './settings.js';
import { aboutCommand } from './about.js';
import { summarizeCommand } from './summarize.js';
import type { CommandDefinition } from './types.js';

/** /help, which lists every command (Slack offers it as /docent). */
export const helpCommand: CommandDefinition = createHelpCommand(() => allCommands);

/** Every platform-neutral command, in the order help lists them. No filesystem auto-loading. */
export const allCommands: readonly CommandDefinition[] = [
  askCommand,
  indexCommand,
  docsCommand,
  diffCommand,
  forgetCommand,
  summarizeCommand,
  captionCommand,
  settingsCommand,
  digestCommand,
  aboutCommand,
  helpCommand,
];

export function findCommand(name: string): CommandDefinition | undefined {
  const wanted = name.replace(/^\//, '').toLowerCase();
  return allCommands.find((c) => c.name === wanted);
}
