import type { Watch } from './watch.ts';

/**
 * A connection's state as the node sees it: its id, name and selected database, and the commands
 * it has queued inside MULTI. The browser console is one client; each TCP connection to the
 * headless server is another.
 */
export interface Client {
  readonly id: number;
  name: string | null;
  libName: string | null;
  libVersion: string | null;
  db: number;
  /** Non-null between MULTI and EXEC/DISCARD. `failed` is set when a command was refused while queuing. */
  multi: { queue: string[][]; failed: boolean } | null;
  /** The keys it WATCHes (./watch.ts). */
  watches: Watch[];
  /** A watched key was written since WATCH: the next EXEC answers a null array (Redis's CLIENT_DIRTY_CAS). */
  watchTouched: boolean;
  /** Full name of the last command it sent (`get`, `client|list`), null when the name was unknown (CLIENT LIST's cmd). */
  lastCommand: string | null;
  /** Creation time, simulated unix ms (CLIENT LIST's age). */
  readonly createdAtMs: number;
  /**
   * Set when the node closed the connection: `after-reply` once the reply just given is sent
   * (QUIT), `at-once` with nothing more sent, not even replies still waiting (a request that looks
   * like HTTP). The node has already forgotten the client.
   */
  closing: 'after-reply' | 'at-once' | null;
}
