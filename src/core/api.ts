// The core's public surface: what commands and bots may use besides createCore (index.ts),
// the shared types, errors, ports and state (types.ts, errors.ts, ports.ts, state.ts,
// conversations.ts). The architecture test keeps them off the core's internals.
export type { AskResult, Turn } from './answer/answer.js';
export type { ProviderCall, ReplyDetails } from './details.js';
export type { SummaryResult } from './summarize/summarize.js';
export type { VisionResult } from './vision/vision.js';
export type { VideoMode, VideoResult } from './vision/video.js';
export { formatInZone } from './digest/compose.js';
export { formatMegabytes, type IngestResult } from './knowledge/ingest.js';
export type { VersionDiff } from './knowledge/version-diff.js';
export { renderSummary } from './summarize/render.js';
export { parseTranscript, transcriptSource } from './summarize/transcript.js';
export { isTimeZone } from './util/time-zone.js';
export { VISION_MODES } from './vision/vision.js';
export { VIDEO_MODES } from './vision/video.js';
export type { AdminReport, AdminReports, AdminScope, CallFigures, QuestionGroup } from './admin/report.js';
export type { AdminDocument, ChannelFigures, QuestionDay, RatedAnswer, ScheduleRow } from './admin/queries.js';
export type { ActivityEvent } from './state.js';
export type { Logger } from './ports.js';
