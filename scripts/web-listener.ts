// The web port is bound once, by the launcher, and handed to each web process it starts (as Node's
// cluster does): the socket stays bound and listening while a web process crashes or restarts, so
// nothing else on the host (a job, say) can take the port meanwhile, and a restart never meets
// EADDRINUSE. Connections the launcher happens to accept itself are passed on to the web process, or
// held until the next one listens.
import type { ChildProcess } from 'node:child_process';
import net from 'node:net';
import { StartupError } from '../server/runtime/startup-error';

/** The web process's flag: take the listening socket from the launcher instead of binding PORT. */
export const LISTENER_FLAG = '--listener=launcher';
/** Connections held while no web process listens; more are closed. */
const HELD_MAX = 1000;

export interface WebPort {
  /** Serves the port through `child` (started with an IPC channel and LISTENER_FLAG). */
  attach(child: ChildProcess): void;
}

/** Binds and listens on the web port; a port in use stops the start with one sentence. */
export async function holdWebPort(port: number, host: string): Promise<WebPort> {
  const server = net.createServer({ pauseOnConnect: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new StartupError(
              `port ${port} is in use: is another npm start running? Stop it, or choose another PORT.`,
            )
          : error,
      ),
    );
    server.listen({ port, host }, resolve);
  });
  let serving: ChildProcess | null = null;
  const held: net.Socket[] = [];
  const pass = (child: ChildProcess, socket: net.Socket) =>
    child.send('socket', socket, { keepOpen: false }, (error) => error && socket.destroy());

  server.on('connection', (socket) => {
    if (serving?.connected) return pass(serving, socket);
    if (held.length >= HELD_MAX) return socket.destroy();
    held.push(socket);
  });
  return {
    attach(child) {
      child.on('message', (message) => {
        if (message === 'listen') child.send('server', server);
        if (message === 'listening') {
          serving = child;
          for (const socket of held.splice(0)) if (!socket.destroyed) pass(child, socket);
        }
      });
      child.once('exit', () => serving === child && (serving = null));
    },
  };
}

/** In the web process: listens on the launcher's socket, and serves the connections it passes on. */
export function listenOnLaunchersSocket(server: net.Server, listening: () => void): void {
  if (!process.send) throw new Error(`${LISTENER_FLAG} needs an IPC channel to the launcher`);
  process.on('message', (message, handle) => {
    if (message === 'server' && handle instanceof net.Server) {
      server.listen(handle, () => {
        listening();
        process.send?.('listening');
      });
    }
    if (message === 'socket' && handle instanceof net.Socket) server.emit('connection', handle);
  });
  // The launcher is gone (killed): so is the port it held, and this process with it.
  process.on('disconnect', () => process.exit(1));
  process.send('listen');
}
