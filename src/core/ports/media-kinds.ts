/**
 * Images and video clips as posted: told by the platform's MIME type or, failing that, the
 * file's extension. Which clips Docent can send is decided again from their bytes (video-probe).
 */
const IMAGE_EXTENSION = /\.(png|jpe?g|gif|webp|tiff?|heic|heif|avif)$/i;
const VIDEO_EXTENSION = /\.(mp4|m4v|mov|webm|mkv|avi|wmv|flv|mpe?g|3gp)$/i;
/** The clips Docent reads (MP4, QuickTime, WebM), by extension. */
const READABLE_VIDEO_EXTENSION = /\.(mp4|m4v|mov|webm)$/i;

export const READABLE_VIDEOS = 'MP4 (.mp4), QuickTime (.mov) and WebM (.webm)';

export function isImageFile(name: string, mimeType?: string): boolean {
  return mimeType?.startsWith('image/') === true || IMAGE_EXTENSION.test(name);
}

/** Any video, readable or not: a post of one gets an answer, if only to say which formats Docent reads. */
export function isVideoFile(name: string, mimeType?: string): boolean {
  return mimeType?.startsWith('video/') === true || VIDEO_EXTENSION.test(name);
}

/** Whether a video's name says a format Docent reads (a clip without a known extension is judged by its bytes). */
export function mayBeReadableVideo(name: string): boolean {
  return READABLE_VIDEO_EXTENSION.test(name) || !VIDEO_EXTENSION.test(name);
}
