/**
 * Tells the embedding page how tall the lab is, in the three dialects a host may speak:
 * - the lab's own `resize` message (src/embed/post-message.ts), always;
 * - Canvas LMS's `{ subject: 'lti.frameResize', height }`, always (Canvas sizes LTI iframes by it);
 * - H5P's resizer handshake, once the host answers it: the lab says `hello`; a host running H5P's
 *   resizer script answers `hello`; from then on, each change of size is `prepareResize` (with
 *   `scrollHeight` and `clientHeight`), the host shrinks the iframe and answers `resizePrepared`,
 *   and the lab sends `resize` with the height to set. The host also sends `resize` when its own
 *   window changes, which starts the round again.
 *
 * The measure is the height of `<html>`'s box, the content itself (an iframe's viewport may be
 * taller), rounded up to whole pixels; a message goes out only when it changes.
 */

export interface ResizeTarget {
  /** Posts to the embedding page (already restricted to its origin by the caller). */
  post(message: unknown): void;
}

interface H5pMessage {
  readonly context: 'h5p';
  readonly action: string;
}

export function isH5pMessage(data: unknown): data is H5pMessage {
  return typeof data === 'object' && data !== null && (data as { context?: unknown }).context === 'h5p' && typeof (data as { action?: unknown }).action === 'string';
}

export class AutoResize {
  private h5pConnected = false;
  private lastHeight = -1;
  private lastWidth = -1;

  constructor(
    private readonly doc: Document,
    private readonly target: ResizeTarget,
    private readonly onSize: (size: { width: number; height: number }) => void,
  ) {}

  /** Opens H5P's handshake; sizes are sent by `measure`. */
  start(): void {
    this.target.post({ context: 'h5p', action: 'hello' });
    this.measure();
  }

  /** Measures the content and tells the host if the size changed. */
  measure(force = false): void {
    const box = this.doc.documentElement.getBoundingClientRect();
    const height = Math.ceil(box.height);
    const width = Math.ceil(box.width);
    if (!force && height === this.lastHeight && width === this.lastWidth) return;
    const heightChanged = height !== this.lastHeight;
    this.lastHeight = height;
    this.lastWidth = width;
    this.onSize({ width, height });
    if (heightChanged || force) {
      this.target.post({ subject: 'lti.frameResize', height });
      if (this.h5pConnected) this.prepareH5pResize();
    }
  }

  /** Answers the host's side of H5P's resizer. */
  receiveH5p(message: H5pMessage): void {
    switch (message.action) {
      case 'hello':
        this.h5pConnected = true;
        this.prepareH5pResize();
        break;
      case 'resizePrepared':
        this.target.post({ context: 'h5p', action: 'resize', scrollHeight: this.lastHeight });
        break;
      case 'resize':
        // The host's window changed: the content may have reflowed.
        this.measure(true);
        break;
      default:
        break;
    }
  }

  private prepareH5pResize(): void {
    this.target.post({ context: 'h5p', action: 'prepareResize', scrollHeight: this.lastHeight, clientHeight: this.doc.documentElement.clientHeight });
  }
}
