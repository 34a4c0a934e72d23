/**
 * A minimal RESP2 client for tests: one connection, commands answered in order, replies
 * in the engine's Reply model, so that a real redis-server and the lab's headless server are read
 * back through the very same code.
 */
import net from 'node:net';
import { encodeCommand, ReplyParser } from '../../src/codec/resp.ts';
import type { Reply } from '../../src/codec/reply.ts';

export interface RespClient {
  command(argv: readonly string[]): Promise<Reply>;
  close(): void;
}

export async function connectResp(port: number): Promise<RespClient> {
  const socket = await new Promise<net.Socket>((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  return respClient(socket, port);
}

/** A client over a socket already connected to `port`. */
export function respClient(socket: net.Socket, port: number): RespClient {
  const pending: { resolve: (reply: Reply) => void; reject: (err: Error) => void }[] = [];
  const parser = new ReplyParser();
  socket.on('data', (chunk) => {
    for (const reply of parser.feed(chunk.toString('latin1'))) pending.shift()?.resolve(reply);
  });
  const failAll = (err: Error) => {
    for (const waiting of pending.splice(0)) waiting.reject(err);
  };
  socket.on('error', failAll);
  socket.on('close', () => failAll(new Error(`the connection to port ${port} closed`)));
  return {
    command: (argv) =>
      new Promise((resolve, reject) => {
        if (socket.destroyed) return reject(new Error(`the connection to port ${port} is closed`));
        pending.push({ resolve, reject });
        socket.write(Buffer.from(encodeCommand(argv), 'latin1'));
      }),
    close: () => socket.destroy(),
  };
}
