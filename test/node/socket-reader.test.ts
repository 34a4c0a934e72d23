/**
 * readInto: an accepted connection read through the server's own buffer. On this Node it must take
 * the fast path (a new socket owning the handle), so that an upgrade which breaks it shows here
 * rather than as a quietly slower benchmark; elsewhere it falls back to 'data' events.
 */
import net from 'node:net';
import { readInto } from '../../src/node/socket-reader.ts';

/** A server whose connections go through readInto; each connection's text and sockets are kept. */
async function listen(buffer: Buffer) {
  const received: string[] = [];
  const pairs: { accepted: net.Socket; socket: net.Socket }[] = [];
  const server = net.createServer({ pauseOnConnect: true }, (accepted) => {
    let text = '';
    const index = received.push('') - 1;
    const socket = readInto(accepted, buffer, (chunk) => {
      text += chunk;
      received[index] = text;
      socket.write(`${chunk.length}\n`);
    });
    socket.on('error', () => {});
    pairs.push({ accepted, socket });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return { server, port, received, pairs };
}

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve) => {
    const client = net.connect(port, '127.0.0.1', () => resolve(client));
    // A connection the server drops may end in a reset: that is the test's doing, not a failure.
    client.on('error', () => {});
  });
}

/** Waits until `check` holds, polling; the test's own timeout bounds it. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('readInto', () => {
  it('hands every byte over as latin1, from reads larger than its buffer, and the socket writes back', async () => {
    const { server, port, received, pairs } = await listen(Buffer.alloc(1024));
    const client = await connect(port);
    let replies = '';
    client.on('data', (chunk) => (replies += chunk.toString('latin1')));
    const bytes = Buffer.alloc(200_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7) & 0xff;
    client.write(bytes);
    await until(() => received[0]?.length === bytes.length);
    expect(received[0]).toBe(bytes.toString('latin1'));
    // Each read is at most the buffer's size, and each one was answered on the new socket.
    const sizes = replies.trim().split('\n').map(Number);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1024);
    await until(() => replies.trim().split('\n').map(Number).reduce((a, b) => a + b, 0) === bytes.length);
    expect(pairs[0]?.socket).not.toBe(pairs[0]?.accepted);
    client.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('keeps two clients apart although they share the buffer', async () => {
    const { server, port, received } = await listen(Buffer.alloc(64));
    const [a, b] = await Promise.all([connect(port), connect(port)]);
    const first = 'first client \xe9'.repeat(20);
    const second = 'second client \xff'.repeat(20);
    a.write(first, 'latin1');
    b.write(second, 'latin1');
    await until(() => received.length === 2 && received.every((text) => text.length > 0) && received.join('').length === first.length + second.length);
    expect([...received].sort()).toEqual([first, second]);
    a.destroy();
    b.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('lets the server close while a client it handed over is still connected', async () => {
    const { server, port, pairs } = await listen(Buffer.alloc(64));
    const client = await connect(port);
    await until(() => pairs.length === 1);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // The server's count of connections no longer includes the handed-over socket, so closing
    // waits only for the owner to end it, as the headless server does on SHUTDOWN.
    pairs[0]?.socket.destroy();
    await closed;
    client.destroy();
  });

  it('falls back to data events for a socket without a handle', () => {
    const unconnected = new net.Socket();
    const chunks: string[] = [];
    const socket = readInto(unconnected, Buffer.alloc(16), (chunk) => chunks.push(chunk));
    expect(socket).toBe(unconnected);
    unconnected.emit('data', Buffer.from([0x41, 0xff, 0x00]));
    expect(chunks).toEqual(['A\xff\x00']);
    unconnected.destroy();
  });
});
