import fs from 'node:fs';
import { z } from 'zod';
import { BadInputError } from './core/ports/errors.js';

const schema = z.array(
  z.object({
    platform: z.enum(['discord', 'slack', 'console']),
    workspace: z.string().min(1),
    channel: z.string().min(1),
    when: z.string().min(1),
    timezone: z.string().optional(),
    channels: z.array(z.string().min(1)).optional(),
    createdBy: z.string().optional(),
  }),
);

/** One schedule of DIGEST_SCHEDULES_FILE, as the operator wrote it. */
export type ScheduleFileEntry = z.infer<typeof schema>[number];

/**
 * Reads DIGEST_SCHEDULES_FILE (a JSON array of schedules), beside the configuration it belongs
 * to; throws, naming the file and the entry at fault, when it cannot be read or is malformed.
 */
export function readSchedulesFile(file: string): ScheduleFileEntry[] {
  try {
    return schema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch (error) {
    const why = error instanceof z.ZodError ? error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') : error instanceof Error ? error.message : String(error);
    throw new BadInputError('bad_schedules_file', `DIGEST_SCHEDULES_FILE (${file}) could not be loaded: ${why}`);
  }
}
