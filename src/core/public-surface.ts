// The core's public surface: what commands, bots and the admin page may use besides createCore
// (index.ts), the floor (ports/: shared types, errors, ports, the StateStore) and the follow-up
// memory (answer/conversations.ts). The architecture test keeps them off the core's internals.
export type { AskResult, Turn } from './answer/answer.js';
export type { ProviderCall, ReplyDetails } from './activity/reply-details.js';
export type { SummaryResult } from './summarize/summarize.js';
export type { VisionResult } from './vision/vision.js';
export type { VideoMode, VideoResult } from './vision/video.js';
export { formatInZone } from './digest/compose.js';
export { formatMegabytes, type IngestResult } from './knowledge/ingest/ingest.js';
export type { VersionDiff } from './knowledge/versions/version-diff.js';
export { renderSummary } from './summarize/render.js';
export { parseTranscript, transcriptSource } from './summarize/transcript.js';
export { isTimeZone } from './lib/time-zone.js';
export { VISION_MODES } from './vision/vision.js';
export { VIDEO_MODES } from './vision/video.js';
export type { AdminReport, AdminReports, AdminScope, CallFigures, QuestionGroup } from './insights/report.js';
export type { AdminDocument, ChannelFigures, QuestionDay, RatedAnswer, ScheduleRow } from './ports/admin-queries.js';
export type { ActivityEvent } from './ports/state-store.js';
export type { Logger } from './ports/ports.js';
export { documentLocation, documentUnits, isDocumentFile, kindOfName, READABLE_KINDS } from './providers/readers/formats/index.js';
