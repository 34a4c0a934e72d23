import { binToBytes } from '../../codec/bytes.ts';
import { writeRdb, type RdbKeyspace } from '../../codec/rdb/index.ts';
import { encodeCommand } from '../../codec/resp.ts';
import { DiskError, STRERROR } from '../disk/virtual-disk.ts';
import type { Engine } from '../engine.ts';
import { estimateMemory } from '../memory/usage.ts';

/**
 * The append-only file, as Redis 7.0's aof.c writes it (reference §3).
 *
 * Every write's propagated form is appended to `aof_buf`, preceded by a SELECT whenever its
 * database differs from the last one logged. In beforeSleep, before any reply leaves, one write()
 * moves the whole buffer into the page cache of the current incr file; then the fsync policy acts:
 * `always` fsyncs there and then; `everysec` hands an fsync to a background thread at most once per
 * unix second, and while that fsync is still running it leaves new data in `aof_buf` for up to 2 s
 * (the postponed write); `no` leaves flushing to the kernel. Files live in `appenddirname` as
 * Redis 7's multi-part AOF: one base, incr files, and the manifest that lists them.
 */

export type AofState = 'off' | 'on' | 'wait-rewrite';

/** How long everysec keeps postponing a write while a background fsync runs. */
const MAX_POSTPONE_MS = 2000;

export interface ManifestEntry {
  readonly name: string;
  readonly seq: number;
  readonly type: 'b' | 'h' | 'i';
}

/** The manifest as Redis writes it: the base, then history (newest first), then the incr files. */
export function formatManifest(entries: readonly ManifestEntry[]): string {
  const order = { b: 0, h: 1, i: 2 } as const;
  return [...entries]
    .sort((a, b) => order[a.type] - order[b.type])
    .map((entry) => `file ${entry.name} seq ${entry.seq} type ${entry.type}\n`)
    .join('');
}

export interface AofModel {
  /** How long a background fdatasync takes on this disk, in ms. */
  fsyncMs: number;
}

export class AofPersistence {
  state: AofState = 'off';
  /** aof_buf: propagated commands not yet written, as a bin string. */
  buffer = '';
  /** The database of the last command logged; -1 forces a SELECT before the next one. */
  selectedDb = -1;
  manifest: ManifestEntry[] = [];
  /** aof_current_size and aof_base_size, in bytes. */
  currentSize = 0;
  baseSize = 0;
  lastWriteStatus: 'ok' | 'err' = 'ok';
  /** strerror of the last failed write, for MISCONF. */
  lastWriteError = '';
  /** aof_delayed_fsync: writes forced through after 2 s of postponing. */
  delayedFsync = 0;
  readonly model: AofModel = { fsyncMs: 2 };
  /** The background fsync in flight: it will make `upTo` bytes of `name` durable at `doneAtMs`. */
  fsyncInFlight: { readonly name: string; readonly upTo: number; readonly doneAtMs: number } | null = null;
  private lastFsyncSec = 0;
  private postponedSinceMs: number | null = null;

  constructor(private readonly engine: Engine) {}

  get dirName(): string {
    return this.engine.config.get('appenddirname');
  }

  private get baseName(): string {
    return this.engine.config.get('appendfilename');
  }

  private path(name: string): string {
    return `${this.dirName}/${name}`;
  }

  /** The incr file commands are appended to now. */
  get currentIncr(): string | null {
    const incrs = this.manifest.filter((entry) => entry.type === 'i');
    return incrs.length === 0 ? null : this.path((incrs.at(-1) as ManifestEntry).name);
  }

  // ---- start ----------------------------------------------------------------------------------------

  /**
   * A start with `appendonly yes` and no AOF yet: Redis writes a base of the (empty) dataset,
   * opens incr 1 and persists the manifest (reference §3.3).
   */
  createOnStart(): void {
    const engine = this.engine;
    const base: ManifestEntry = { name: `${this.baseName}.1.base.rdb`, seq: 1, type: 'b' };
    const incr: ManifestEntry = { name: `${this.baseName}.1.incr.aof`, seq: 1, type: 'i' };
    engine.log('*', `Creating AOF base file ${base.name} on server start`);
    this.writeWholeFile(base.name, this.baseRdb({ dbs: [] }));
    engine.log('*', `Creating AOF incr file ${incr.name} on server start`);
    engine.disk.create(this.path(incr.name), engine.nowMs);
    this.manifest = [base, incr];
    this.persistManifest();
    this.state = 'on';
    this.selectedDb = -1;
    this.lastFsyncSec = Math.floor(engine.nowMs / 1000);
  }

  // ---- the write path ---------------------------------------------------------------------------------

  /** feedAppendOnlyFile: one propagated command into aof_buf (db -1: MULTI/EXEC, no SELECT). */
  feed(db: number, argv: readonly string[]): void {
    if (this.state === 'off') return;
    if (db !== -1 && db !== this.selectedDb) {
      this.buffer += encodeCommand(['SELECT', String(db)]);
      this.selectedDb = db;
    }
    this.buffer += encodeCommand(argv);
  }

  /** flushAppendOnlyFile, run in beforeSleep (and from cron): write, then fsync per policy. */
  flush(force = false): void {
    const engine = this.engine;
    const file = this.currentIncr;
    if (this.state === 'off' || file === null) return;
    const policy = engine.config.get('appendfsync');
    if (this.buffer.length === 0) {
      // Nothing new, but bytes written earlier may still wait for their once-a-second fsync.
      if (policy === 'everysec') this.maybeBackgroundFsync(file);
      return;
    }
    if (policy === 'everysec' && this.fsyncInFlight !== null && !force) {
      // The disk is busy with the last fsync: keep the data in aof_buf, up to 2 seconds.
      if (this.postponedSinceMs === null) {
        this.postponedSinceMs = engine.nowMs;
        return;
      }
      if (engine.nowMs - this.postponedSinceMs < MAX_POSTPONE_MS) return;
      this.delayedFsync++;
      engine.log(
        '*',
        'Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer without waiting for fsync to complete, this may slow down Redis.',
      );
    }
    this.postponedSinceMs = null;
    const bytes = binToBytes(this.buffer);
    try {
      engine.disk.append(file, bytes, engine.nowMs);
    } catch (error) {
      if (!(error instanceof DiskError)) throw error;
      this.writeFailed(error);
      return;
    }
    if (this.lastWriteStatus === 'err') engine.log('#', 'AOF write error looks solved, Redis can write again.');
    this.lastWriteStatus = 'ok';
    this.buffer = '';
    this.currentSize += bytes.length;
    if (engine.config.flag('no-appendfsync-on-rewrite') && engine.rdb.child !== null) return;
    if (policy === 'always') {
      engine.disk.fsync(file);
      this.lastFsyncSec = Math.floor(engine.nowMs / 1000);
    } else if (policy === 'everysec') {
      this.maybeBackgroundFsync(file);
    }
  }

  /** everysec: one background fsync when the unix second has moved on and none is running. */
  private maybeBackgroundFsync(file: string): void {
    const engine = this.engine;
    const nowSec = Math.floor(engine.nowMs / 1000);
    const unsynced = engine.disk.list().find((entry) => entry.name === file);
    if (unsynced === undefined || unsynced.durableBytes === unsynced.sizeBytes) return;
    if (this.fsyncInFlight !== null || nowSec <= this.lastFsyncSec) return;
    if (engine.config.flag('no-appendfsync-on-rewrite') && engine.rdb.child !== null) return;
    this.fsyncInFlight = { name: file, upTo: unsynced.sizeBytes, doneAtMs: engine.nowMs + this.model.fsyncMs };
    this.lastFsyncSec = nowSec;
  }

  /** When the background fsync in flight completes (Infinity when none). */
  fsyncDoneAtMs(): number {
    return this.fsyncInFlight?.doneAtMs ?? Infinity;
  }

  /** The background thread's fsync finishing: the bytes written before it began are durable. */
  completeFsync(nowMs: number): void {
    const job = this.fsyncInFlight;
    if (job === null || job.doneAtMs > nowMs) return;
    this.fsyncInFlight = null;
    this.engine.actingAs(0, () => this.engine.disk.fsyncUpTo(job.name, job.upTo));
  }

  private writeFailed(error: DiskError): void {
    const engine = this.engine;
    if (engine.config.get('appendfsync') === 'always') {
      engine.log('#', `Error writing to the AOF file: ${STRERROR[error.errno]}`);
      engine.log('#', "Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...");
      engine.stop();
      return;
    }
    if (this.lastWriteStatus === 'ok') engine.log('#', `Error writing to the AOF file: ${STRERROR[error.errno]}`);
    this.lastWriteStatus = 'err';
    this.lastWriteError = STRERROR[error.errno];
  }

  // ---- files --------------------------------------------------------------------------------------------

  /** An RDB of a dataset marked as an AOF base (AUX aof-base = 1). */
  private baseRdb(keyspace: RdbKeyspace): Uint8Array {
    const engine = this.engine;
    return writeRdb(
      keyspace,
      {
        ctime: Math.floor(engine.nowMs / 1000),
        usedMem: estimateMemory(engine).used,
        rdbcompression: engine.config.flag('rdbcompression'),
        rdbchecksum: engine.config.flag('rdbchecksum'),
        aofBase: true,
      },
    );
  }

  private writeWholeFile(name: string, bytes: Uint8Array): void {
    const disk = this.engine.disk;
    disk.create(this.path(name), this.engine.nowMs);
    disk.append(this.path(name), bytes, this.engine.nowMs);
    disk.fsync(this.path(name));
  }

  /** The manifest is written to a temp file, fsynced, renamed over the real one, and the directory synced. */
  persistManifest(): void {
    const temp = this.path(`temp-${this.baseName}.manifest`);
    const disk = this.engine.disk;
    disk.create(temp, this.engine.nowMs);
    disk.append(temp, binToBytes(formatManifest(this.manifest)), this.engine.nowMs);
    disk.fsync(temp);
    disk.rename(temp, this.path(`${this.baseName}.manifest`));
    disk.fsyncDir();
  }
}
