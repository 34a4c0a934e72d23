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
import { encodeReply, RequestParser } from '../codec/resp.ts';
import { Engine, type Client, type EngineOptions } from '../engine/index.ts';
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
  readonly socket: net.Socket;
  readonly client: Client;
  /** The replies, encoded and joined as they come: most reads bring one request. */
  out: string;
  protocolError: string | null;
  /** On this iteration's list of clients to answer. */
  listed: boolean;
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
  // and only then does each client get its replies, in one write. A list and a flag rather than
  // a Map: a Map cleared every iteration grows its table again (allocation per request).
  let pendingReplies: Pending[] = [];
  let scheduledFlush: NodeJS.Immediate | null = null;
  const flushReplies = () => {
    if (scheduledFlush !== null) clearImmediate(scheduledFlush);
    scheduledFlush = null;
    engine.beforeSleep();
    syncClock();
    const answering = pendingReplies;
    pendingReplies = [];
    for (const pending of answering) {
      const { socket, out } = pending;
      pending.listed = false;
      pending.out = '';
      // A client that closed in this iteration is still listed.
      if (socket.destroyed) continue;
      // A latin1 string goes to the socket without an intermediate Buffer.
      if (out !== '') socket.write(out, 'latin1');
      // Redis answers a malformed request with the protocol error, then closes that client only.
      if (pending.protocolError !== null) socket.end(Buffer.from(`-${pending.protocolError}\r\n`, 'latin1'));
      else if (pending.client.closing !== null) socket.end();
    }
  };

  // Every client's reads land in this one buffer and are copied out as text at once.
  const readBuffer = Buffer.allocUnsafe(64 * 1024);
  const server = net.createServer({ noDelay: true, pauseOnConnect: true }, (accepted) => {
    const client = engine.newClient();
    const parser = new RequestParser();
    const socket = readInto(accepted, readBuffer, (chunk) => {
      if (pending.protocolError !== null || client.closing !== null) return;
      syncClock();
      const commands = parser.feed(chunk);
      let { out } = pending;
      let stopped = false;
      for (const argv of commands) {
        const wasRunning = engine.running;
        const reply = engine.execute(client, argv);
        if (wasRunning && !engine.running) {
          // The process ends within this iteration, before beforeSleep would write any reply:
          // SHUTDOWN and DEBUG SEGFAULT leave this client unanswered, its earlier replies too.
          // SIM CRASH is the lab's own verb, and answered (alone).
          out = (argv[0] as string).toLowerCase() === 'sim' ? encodeReply(reply) : '';
          stopped = true;
          break;
        }
        if (client.closing !== null) {
          // QUIT's +OK goes after the earlier replies, then the connection closes; a request that
          // looks like HTTP closes it at once, with nothing sent. What follows is not read.
          out = client.closing === 'after-reply' ? out + encodeReply(reply) : '';
          break;
        }
        out += encodeReply(reply);
      }
      pending.out = out;
      pending.protocolError = stopped || client.closing !== null ? null : parser.error;
      if (pending.protocolError !== null) engine.countErrorReply(pending.protocolError);
      if (client.closing === 'at-once') {
        socket.destroy();
        return;
      }
      if (!pending.listed) {
        pending.listed = true;
        pendingReplies.push(pending);
      }
      if (stopped) {
        // The other clients read in this iteration never get their replies either, and lose
        // their connections below.
        for (const waiting of pendingReplies) {
          if (waiting === pending) continue;
          waiting.out = '';
          waiting.listed = false;
        }
        pendingReplies = [pending];
        flushReplies();
        if (engine.downBecause === 'shutdown') void close();
        // redis-server died: its connections drop. The lab keeps listening, for SIM lines.
        else for (const open of sockets) open.end();
      } else {
        scheduledFlush ??= setImmediate(flushReplies);
      }
    });
    // Made once the socket exists: no read reaches the callback above before this runs.
    const pending: Pending = { socket, client, out: '', protocolError: null, listed: false };
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
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
