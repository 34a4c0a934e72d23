/**
 * The headless server: the engine behind a RESP2 server on 127.0.0.1, so that redis-cli,
 * redis-benchmark and any Redis client library can drive it (DESIGN.md §6).
 *
 * Simulated time follows the wall clock here. `SIM ADVANCE` jumps it forward: the jump is kept as
 * an offset, and time goes on flowing from there. Each read from a socket runs every complete
 * command in it and answers them all with one write, which is what makes pipelining fast.
 */
import net from 'node:net';
import { RequestParser, writeReply } from '../codec/resp.ts';
import { Engine, type EngineOptions } from '../engine/index.ts';

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
}

export async function startHeadlessServer(options: HeadlessServerOptions): Promise<HeadlessServer> {
  const now = options.now ?? Date.now;
  let offsetMs = 0;
  const engine = new Engine({ ...options, epochMs: now() });
  const { onLogLine } = options;
  // The startup lines were logged while the engine was being built; later ones arrive as events.
  if (onLogLine) for (const line of engine.serverLog) onLogLine(line);
  const unsubscribe = onLogLine
    ? engine.subscribe((event) => event.type === 'log.line' && onLogLine(event.text), ['log.line'])
    : () => {};

  // The engine's clock is the wall clock plus whatever SIM ADVANCE added.
  const syncClock = () => {
    const wallMs = now();
    if (engine.nowMs > wallMs + offsetMs) offsetMs = engine.nowMs - wallMs;
    engine.advanceTo(wallMs + offsetMs);
  };

  const sockets = new Set<net.Socket>();
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));

  const server = net.createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    const client = engine.newClient();
    const parser = new RequestParser();
    const commands: string[][] = [];
    socket.on('data', (chunk) => {
      syncClock();
      commands.length = 0;
      parser.feed(chunk.toString('latin1'), commands);
      const parts: string[] = [];
      for (const argv of commands) {
        const reply = engine.execute(client, argv);
        if (!engine.running) break; // SHUTDOWN: redis-server closes without answering.
        writeReply(reply, parts);
      }
      // One beforeSleep per read, before the replies go out: the AOF's group commit.
      engine.beforeSleep();
      syncClock();
      if (parts.length !== 0) socket.write(Buffer.from(parts.join(''), 'latin1'));
      if (!engine.running) {
        void close();
      } else if (parser.error !== null) {
        // Redis answers a malformed request with the protocol error, then closes that client only.
        socket.end(Buffer.from(`-${parser.error}\r\n`, 'latin1'));
      }
    });
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
      for (const socket of sockets) socket.destroy();
      server.close(() => {
        resolveClosed();
        resolve();
      });
    });
    return closing;
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  return { engine, port, closed, close };
}
