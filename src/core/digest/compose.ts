import { documentUnits } from '../providers/readers/formats/index.js';
import type { FeedbackStore } from '../answer/feedback.js';
import { isDocentError, ProviderError } from '../ports/errors.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import type { DigestPlatform, Logger } from '../ports/ports.js';
import { renderSummary } from '../summarize/render.js';
import { createLimiter } from '../lib/limiter.js';
import type { SummaryService } from '../summarize/summarize.js';
import type { Scope } from '../ports/types.js';
import type { DigestSchedule } from '../ports/state-store.js';

export interface ComposeDeps {
  readonly platform: DigestPlatform;
  readonly summaries: SummaryService;
  readonly knowledge: KnowledgeBase;
  readonly feedback: FeedbackStore;
  readonly logger: Logger;
  readonly sleep: (ms: number) => Promise<void>;
}

export interface ComposeRequest {
  readonly schedule: Pick<DigestSchedule, 'platform' | 'workspace' | 'channels' | 'createdBy' | 'timezone' | 'source'>;
  readonly since: Date;
  readonly until: Date;
  /** The scheduled instant, when this run is late (posted after Docent was down). */
  readonly lateFor?: Date;
  readonly signal?: AbortSignal;
}

export interface ComposedDigest {
  readonly markdown: string;
  /** Nothing happened in any recapped channel (and nothing failed). */
  readonly quiet: boolean;
  /** Channels that could not be recapped, with the reason (reported to whoever set the schedule). */
  readonly failures: readonly string[];
}

/** Attempts at reading and summarizing one channel before it is reported as failed. */
const CHANNEL_ATTEMPTS = 2;
const CHANNELS_AT_ONCE = 4;

export function formatInZone(date: Date, timezone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: timezone, weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date);
}

/**
 * What happened in the recapped channels between two instants: a summary of each channel's
 * messages (through the summaries service, with links), the documents indexed there, and the
 * questions asked with /ask, naming those the documents could not answer. One channel failing
 * (after a retry) is named in the digest and does not stop the others.
 */
export async function composeDigest(request: ComposeRequest, deps: ComposeDeps): Promise<ComposedDigest> {
  const { schedule, since } = request;
  // Channels are recapped a few at a time (their summaries also wait in the provider queue), and
  // reported in the order they were given.
  const limiter = createLimiter(CHANNELS_AT_ONCE);
  const recaps = await Promise.all(schedule.channels.map((channel) => limiter.run(() => recapChannel(channel, request, deps))));
  const sections = recaps.flatMap((r) => (r.section ? [r.section] : []));
  const failures = recaps.flatMap((r) => (r.failure ? [r.failure] : []));
  const labels = recaps.map((r) => r.label);
  const documents = recaps.flatMap((r) => r.documents);
  const questions = recaps.flatMap((r) => r.questions);
  const activity = recaps.some((r) => r.activity || r.leftOut === true);

  const late = request.lateFor ? ` · ⏰ late: this digest was due ${formatInZone(request.lateFor, schedule.timezone)}, while Docent was not running` : '';
  if (!activity && failures.length === 0) {
    return { markdown: `📭 Quiet since ${formatInZone(since, schedule.timezone)}: nothing new in ${labels.join(', ')}.${late ? `\n_${late.slice(3)}_` : ''}`, quiet: true, failures };
  }
  const lines = [
    `📬 **Digest — ${labels.join(', ')}**`,
    `_Since ${formatInZone(since, schedule.timezone)} (${schedule.timezone})${late}_`,
    '',
    sections.join('\n\n'),
  ];
  if (documents.length > 0) lines.push('', `**Documents indexed** (${documents.length})`, ...documents);
  if (questions.length > 0) {
    const unanswered = questions.filter((q) => !q.grounded);
    lines.push(
      '',
      `**Questions asked with /ask**: ${questions.length}${unanswered.length > 0 ? `, ${unanswered.length} the documents could not answer:` : ', all answered from the documents.'}`,
      ...unanswered.slice(0, 10).map((q) => `• “${q.question.length > 200 ? `${q.question.slice(0, 197)}…` : q.question}” — ${q.askedBy} in ${q.label}`),
    );
    if (unanswered.length > 10) lines.push(`• … and ${unanswered.length - 10} more`);
  }
  return { markdown: lines.join('\n'), quiet: false, failures };
}

interface ChannelRecap {
  readonly label: string;
  readonly section: string | undefined;
  readonly failure: string | undefined;
  readonly activity: boolean;
  /** Its creator cannot read it (any more): said in the digest, which is then never "quiet". */
  readonly leftOut?: boolean;
  readonly documents: string[];
  readonly questions: { label: string; question: string; grounded: boolean; askedBy: string }[];
}

async function recapChannel(channel: string, request: ComposeRequest, deps: ComposeDeps): Promise<ChannelRecap> {
  const { schedule, since, until } = request;
  const label = await deps.platform.channelLabel(schedule.workspace, channel).catch(() => channel);
  // Schedules from the operator's config file are trusted; those set in chat see what their creator sees.
  const readable = schedule.source === 'config' || (await deps.platform.canRead(schedule.workspace, schedule.createdBy.id, channel).catch(() => false));
  if (!readable) {
    return { label, section: `**${label}**: left out — ${schedule.createdBy.name}, who set this digest, cannot read it.`, failure: undefined, activity: false, leftOut: true, documents: [], questions: [] };
  }
  const scope: Scope = { platform: schedule.platform, workspace: schedule.workspace, channel };
  let section: string | undefined;
  let failure: string | undefined;
  let activity = false;
  const source = deps.platform.conversation(schedule.workspace, channel, label);
  if (source) {
    const offline = !(await deps.knowledge.providersAllowed(scope));
    const summary = await attempt(() => deps.summaries.summarize(source, { since, signal: request.signal, offline }), deps);
    if (!summary.ok) {
      failure = `${label}: ${summary.reason}`;
      section = `**${label}**: ✖ could not be recapped — ${summary.reason}`;
    } else if (summary.value.messageCount > 0) {
      activity = true;
      section = renderSummary(summary.value);
    } else section = `**${label}**: no messages.`;
  }
  const documents = (await deps.knowledge.list(scope)).flatMap((d) => {
    const at = d.indexedAt ? new Date(d.indexedAt) : undefined;
    if (!at || at < since || at >= until) return [];
    const name = d.link ? `[${d.name}](${d.link})` : d.name;
    return [`• ${name} — ${documentUnits(d.name, d.pages)}, posted by ${d.uploadedBy.name} in ${label}`];
  });
  const questions = (await deps.feedback.questions(scope, since, until)).map((q) => ({ label, ...q }));
  return { label, section, failure, activity: activity || documents.length > 0 || questions.length > 0, documents, questions };
}

async function attempt<T>(work: () => Promise<T>, deps: ComposeDeps): Promise<{ ok: true; value: T } | { ok: false; reason: string }> {
  let reason = '';
  for (let i = 1; i <= CHANNEL_ATTEMPTS; i++) {
    try {
      return { ok: true, value: await work() };
    } catch (error) {
      reason = isDocentError(error) ? error.userMessage : error instanceof Error ? error.message : String(error);
      deps.logger.warn({ err: error, attempt: i }, 'a digest channel failed');
      // A failure Docent itself explains (hidden message text, no access) will not pass by retrying.
      if (isDocentError(error) && !(error instanceof ProviderError && error.retryable)) break;
      if (i < CHANNEL_ATTEMPTS) await deps.sleep(2000 * i);
    }
  }
  return { ok: false, reason };
}
