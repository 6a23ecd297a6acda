// Keeps the model view in step with a document without flooding the language server: one
// request in flight at a time, and edits that arrive meanwhile make exactly one more request
// when it ends (the server answers for the newest version it has, so the last answer is
// always of the latest edit). Answers older than one already shown are dropped. Plain code
// (no vscode import), tested alone.

export interface VersionedAnswer {
  version: number;
}

export class Refresher<A extends VersionedAnswer> {
  private inFlight = false;
  private again = false;
  private shown = -Infinity;
  private disposed = false;

  constructor(
    private readonly fetch: () => Promise<A | null>,
    private readonly show: (answer: A) => void,
    private readonly fail: (error: unknown) => void,
  ) {}

  /** Asks for a fresh answer now, or right after the one in flight. */
  request(): void {
    if (this.disposed) return;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = true;
    void this.run();
  }

  dispose(): void {
    this.disposed = true;
  }

  private async run(): Promise<void> {
    try {
      const answer = await this.fetch();
      if (!this.disposed && answer && answer.version >= this.shown) {
        this.shown = answer.version;
        this.show(answer);
      }
    } catch (e) {
      if (!this.disposed) this.fail(e);
    } finally {
      this.inFlight = false;
      if (this.again && !this.disposed) {
        this.again = false;
        this.request();
      }
    }
  }
}
