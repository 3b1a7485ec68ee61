import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface FakeSlackSocket {
  readonly url: string;
  /** Envelope ids the app acknowledged. */
  readonly acks: string[];
  connected(): Promise<void>;
  /** Sends a Socket Mode envelope (events_api, slash_commands, interactive). */
  send(type: string, payload: object, envelopeId: string): void;
  close(): Promise<void>;
}

/** Slack's Socket Mode WebSocket: `hello` on connect, envelopes from the test, acks recorded. */
export async function startFakeSlackSocket(): Promise<FakeSlackSocket> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const sockets = new Set<WebSocket>();
  const acks: string[] = [];
  let onConnected: () => void = () => undefined;
  const connected = new Promise<void>((resolve) => (onConnected = resolve));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('message', (raw) => {
      const message = JSON.parse(String(raw)) as { envelope_id?: string };
      if (message.envelope_id) acks.push(message.envelope_id);
    });
    socket.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake', approximate_connection_time: 3600 }, connection_info: { app_id: 'A1' } }));
    onConnected();
  });
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/link`,
    acks,
    connected: () => connected,
    send(type, payload, envelopeId) {
      for (const socket of sockets) socket.send(JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: type !== 'events_api', retry_attempt: 0, retry_reason: '' }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.terminate();
        server.close(() => resolve());
      }),
  };
}
