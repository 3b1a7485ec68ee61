/**
 * Text that changes while a command works (a streamed answer, "OCR page 7/23"), shown by one
 * message that is posted once and then edited, at most once per interval: Discord and Slack
 * both rate-limit edits to about one a second per message. The last text is shown by `flush`.
 */
export class ThrottledText {
  private last = 0;
  private pending: string | undefined;

  constructor(
    private readonly show: (text: string) => Promise<void>,
    private readonly intervalMs = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Shows `text` now if the interval has passed, else keeps it for `flush`. */
  async update(text: string): Promise<void> {
    const now = this.now();
    if (now - this.last < this.intervalMs) {
      this.pending = text;
      return;
    }
    this.last = now;
    this.pending = undefined;
    await this.show(text);
  }

  /** Shows each growing prefix of the streamed text, marked as still being written. */
  async stream(tokens: AsyncIterable<string>, preview: (text: string) => string): Promise<string> {
    let text = '';
    for await (const token of tokens) {
      text += token;
      await this.update(preview(text));
    }
    this.pending = undefined;
    return text;
  }

  /** Shows a text held back by the interval, if any (called before the final message). */
  async flush(): Promise<void> {
    const pending = this.pending;
    this.pending = undefined;
    if (pending !== undefined) await this.show(pending);
  }
}
