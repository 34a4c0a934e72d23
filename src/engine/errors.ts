import { error } from '../codec/reply.ts';

/**
 * Redis 7.0's error replies that many commands share, byte for byte. Errors particular to one
 * command live beside it.
 */
export const WRONGTYPE = error('WRONGTYPE Operation against a key holding the wrong kind of value');
export const SYNTAX_ERROR = error('ERR syntax error');
export const NOT_AN_INTEGER = error('ERR value is not an integer or out of range');
export const NOT_A_FLOAT = error('ERR value is not a valid float');
export const NO_SUCH_KEY = error('ERR no such key');
export const INDEX_OUT_OF_RANGE = error('ERR index out of range');
export const OVERFLOW = error('ERR increment or decrement would overflow');
export const DB_INDEX_OUT_OF_RANGE = error('ERR DB index is out of range');
export const MISCONF = error(
  "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.",
);

export const wrongArity = (fullName: string) => error(`ERR wrong number of arguments for '${fullName}' command`);

/**
 * The engine's answer to a command run while redis-server is not running (stopped, crashed, or
 * failed to start). Redis never sends it: the lab's console does not send the command at all and
 * says what redis-cli says, that it could not connect (src/store/lab-store.ts).
 */
export const SERVER_NOT_RUNNING = error('ERR The server is not running (see the server log)');
