/**
 * The headless server: the engine behind a RESP2 server on 127.0.0.1, so that redis-cli,
 * redis-benchmark and any Redis client library can drive it (DESIGN.md §6).
 *
 * Simulated time follows the wall clock here. `SIM ADVANCE` jumps it forward: the jump is kept as
 * an offset, and time goes on flowing from there. Each read from a socket runs every complete
 * command in it; at the end of the event-loop iteration, beforeSleep runs once for all the clients
 * read, then each gets its replies in one write, which is what makes pipelining fast.
 *
 * With `diskDir` (the `--dir` option) the engine starts from the files of that directory and keeps
 * it equal to its virtual disk (disk-mirror.ts). A node that cannot load its data does not start:
 * startHeadlessServer logs why, as redis-server does, and rejects with a ServerStartupError.
 */
import net from 'node:net';
import { RequestParser, writeReply } from '../codec/resp.ts';
import { Engine, type EngineOptions } from '../engine/index.ts';
import { mirrorDisk, readDirectoryFiles } from './disk-mirror.ts';
import { readInto } from './socket-reader.ts';

export interface HeadlessServer {
  readonly engine: Engine;
  readonly port: number;
  /** Resolves once the server stopped, by SHUTDOWN or by `close()`. */
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

export interface HeadlessServerOptions extends Omit<EngineOptions, 'epochMs'> {
  readonly port: number;
  /** The wall clock; tests may pass their own. */
  readonly now?: () => number;
  readonly onLogLine?: (text: string) => void;
  /** A real directory to start from and to mirror the virtual disk into (`--dir`). */
  readonly diskDir?: string;
  /** Files of diskDir that are not the node's (the log file), left out of the virtual disk. */
  readonly diskDirSkip?: readonly string[];
}

/** The node stopped while starting (it could not load its data); the log says why. */
export class ServerStartupError extends Error {}

/** A client's replies not yet written, and the protocol error to close it with after them. */
interface Pending {
  parts: string[];
  protocolError: string | null;
}

export async function startHeadlessServer(options: HeadlessServerOptions): Promise<HeadlessServer> {
  const now = options.now ?? Date.now;
  let offsetMs = 0;
  const { onLogLine, diskDir } = options;
  const filesInDir = diskDir === undefined ? {} : readDirectoryFiles(diskDir, options.diskDirSkip);
  const files = diskDir === undefined ? options.files : { ...options.files, ...filesInDir };
  // A headless node keeps a pid file only when asked to (`--pidfile`), as redis-server does.
  const engine = new Engine({ ...options, pidFile: options.pidFile ?? false, files, epochMs: now() });
  if (!engine.running) {
    if (onLogLine) for (const line of engine.serverLog) onLogLine(line);
    throw new ServerStartupError(engine.startupError ?? 'the server did not start');
  }
  // The startup lines, logged while the engine was being built, are held until the port is bound
  // (redis-server binds it before "Ready to accept connections"), so that a client waiting for
  // that line can connect at once; later lines arrive as events.
  let heldLines: string[] | null = [...engine.serverLog];
  const releaseLines = () => {
    if (onLogLine && heldLines !== null) for (const line of heldLines) onLogLine(line);
    heldLines = null;
  };
  const unsubscribe = onLogLine
    ? engine.subscribe((event) => event.type === 'log.line' && (heldLines === null ? onLogLine(event.text) : heldLines.push(event.text)), ['log.line'])
    : () => {};
  const stopMirror = diskDir === undefined ? () => {} : mirrorDisk(engine, diskDir, filesInDir, (message) => process.stderr.write(`${message}\n`));

  // The engine's clock is the wall clock plus whatever SIM ADVANCE added.
  const syncClock = () => {
    const wallMs = now();
    if (engine.nowMs > wallMs + offsetMs) offsetMs = engine.nowMs - wallMs;
    engine.advanceTo(wallMs + offsetMs);
  };

  const sockets = new Set<net.Socket>();
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));

  // Replies wait here until the end of the event-loop iteration, as in Redis: every socket that
  // became readable has been read and run, then beforeSleep writes the AOF once for all of them,
  // and only then does each client get its replies, in one write.
  const pendingReplies = new Map<net.Socket, Pending>();
  let scheduledFlush: NodeJS.Immediate | null = null;
  const flushReplies = () => {
    if (scheduledFlush !== null) clearImmediate(scheduledFlush);
    scheduledFlush = null;
    engine.beforeSleep();
    syncClock();
    for (const [socket, pending] of pendingReplies) {
      const { parts } = pending;
      // A latin1 string goes to the socket without an intermediate Buffer.
      if (parts.length !== 0 && !socket.destroyed) socket.write(parts.length === 1 ? (parts[0] as string) : parts.join(''), 'latin1');
      // A fresh array costs less than emptying one (V8 does `length = 0` in its runtime).
      pending.parts = [];
      // Redis answers a malformed request with the protocol error, then closes that client only.
      if (pending.protocolError !== null) socket.end(Buffer.from(`-${pending.protocolError}\r\n`, 'latin1'));
    }
    pendingReplies.clear();
  };

  // Every client's reads land in this one buffer and are copied out as text at once.
  const readBuffer = Buffer.allocUnsafe(64 * 1024);
  const server = net.createServer({ noDelay: true, pauseOnConnect: true }, (accepted) => {
    const client = engine.newClient();
    const parser = new RequestParser();
    const pending: Pending = { parts: [], protocolError: null };
    const socket = readInto(accepted, readBuffer, (chunk) => {
      if (pending.protocolError !== null) return;
      syncClock();
      const commands = parser.feed(chunk);
      const { parts } = pending;
      let stopped = false;
      for (const argv of commands) {
        const wasRunning = engine.running;
        const reply = engine.execute(client, argv);
        if (wasRunning && !engine.running) {
          // SHUTDOWN and DEBUG SEGFAULT end redis-server without an answer; SIM CRASH is the
          // lab's own verb and is answered first.
          if ((argv[0] as string).toLowerCase() === 'sim') writeReply(reply, parts);
          stopped = true;
          break;
        }
        writeReply(reply, parts);
      }
      pending.protocolError = stopped ? null : parser.error;
      pendingReplies.set(socket, pending);
      if (stopped) {
        // The process ends within this iteration: the other clients read in it never get their
        // replies (redis-server exits before beforeSleep would release them), and lose their
        // connections below; this client keeps what it was answered before the stop.
        for (const [other, waiting] of pendingReplies) {
          if (other === socket) continue;
          waiting.parts.length = 0;
          pendingReplies.delete(other);
        }
        flushReplies();
        if (engine.downBecause === 'shutdown') void close();
        // redis-server died: its connections drop. The lab keeps listening, for SIM lines.
        else for (const open of sockets) open.end();
      } else {
        scheduledFlush ??= setImmediate(flushReplies);
      }
    });
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      pendingReplies.delete(socket);
      engine.closeClient(client);
    });
    socket.on('error', () => socket.destroy());
  });

  // serverCron keeps running while no client speaks (active expiry, later saves and fsyncs).
  const cron = setInterval(syncClock, engine.cronPeriodMs());

  let closing: Promise<void> | null = null;
  function close(): Promise<void> {
    closing ??= new Promise<void>((resolve) => {
      clearInterval(cron);
      unsubscribe();
      stopMirror();
      for (const socket of sockets) socket.destroy();
      server.close(() => {
        resolveClosed();
        resolve();
      });
    });
    return closing;
  }

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, '127.0.0.1', () => resolve());
    });
  } finally {
    releaseLines();
  }
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  return { engine, port, closed, close };
}
