import type { Engine } from './engine.ts';
import { estimateMemory, PER_CLIENT_BYTES, SCRIPTS_BYTES, STARTUP_BYTES } from './memory/usage.ts';
import { loadingFields } from './persistence/loading-info.ts';
import { unixSeconds } from './persistence/fork-child.ts';

/**
 * INFO's text, with the sections, field names and field order of Redis 7.0.15 (captured from a
 * real server). Values come from the engine where it knows them: time, clients, the dirty counter,
 * the last save, the keyspace, the command and expiry counters. The rest are the values an idle,
 * RDB-only node shows. Memory figures are an estimate from the keys' sizes, not an allocator's
 * count; the persistence issues replace the idle values with modelled ones.
 *
 * Layout as Redis sends it: each section is `# Name` then `field:value` lines, every line ends
 * with CRLF, and one empty line separates sections.
 */

type SectionName =
  | 'server'
  | 'clients'
  | 'memory'
  | 'persistence'
  | 'stats'
  | 'replication'
  | 'cpu'
  | 'modules'
  | 'commandstats'
  | 'errorstats'
  | 'latencystats'
  | 'cluster'
  | 'keyspace';

/** Every section, in the order Redis prints them, with its heading. */
const SECTIONS: readonly (readonly [SectionName, string])[] = [
  ['server', 'Server'],
  ['clients', 'Clients'],
  ['memory', 'Memory'],
  ['persistence', 'Persistence'],
  ['stats', 'Stats'],
  ['replication', 'Replication'],
  ['cpu', 'CPU'],
  ['modules', 'Modules'],
  ['commandstats', 'Commandstats'],
  ['errorstats', 'Errorstats'],
  ['latencystats', 'Latencystats'],
  ['cluster', 'Cluster'],
  ['keyspace', 'Keyspace'],
];

/** What plain INFO and INFO default print: everything but the per-command statistics. */
const DEFAULT_SECTIONS: ReadonlySet<SectionName> = new Set(
  SECTIONS.map(([name]) => name).filter((name) => name !== 'commandstats' && name !== 'latencystats'),
);
const ALL_SECTIONS: ReadonlySet<SectionName> = new Set(SECTIONS.map(([name]) => name));

/** The sections INFO's arguments ask for. Unknown names select nothing, as in Redis. */
function selectedSections(args: readonly string[]): ReadonlySet<SectionName> {
  if (args.length === 0) return DEFAULT_SECTIONS;
  const chosen = new Set<SectionName>();
  for (const arg of args) {
    const word = arg.toLowerCase();
    // No modules are loaded, so "everything" (all + module sections) equals "all".
    if (word === 'all' || word === 'everything') for (const name of ALL_SECTIONS) chosen.add(name);
    else if (word === 'default') for (const name of DEFAULT_SECTIONS) chosen.add(name);
    else if (ALL_SECTIONS.has(word as SectionName)) chosen.add(word as SectionName);
  }
  return chosen;
}

/** INFO [section ...]: the whole reply text. */
export function infoText(engine: Engine, args: readonly string[]): string {
  const chosen = selectedSections(args);
  const blocks: string[] = [];
  for (const [name, heading] of SECTIONS) {
    if (!chosen.has(name)) continue;
    const fields = FIELDS[name](engine);
    blocks.push(`# ${heading}\r\n${fields.map((field) => `${field}\r\n`).join('')}`);
  }
  return blocks.join('\r\n');
}

// ---- formatting helpers -----------------------------------------------------------------------

/** Redis's bytesToHuman: `894.99K`, `6.47M`, `200B`. */
export function bytesToHuman(bytes: number): string {
  const units = ['K', 'M', 'G', 'T', 'P'];
  if (bytes < 1024) return `${bytes}B`;
  let scaled = bytes / 1024;
  for (const unit of units) {
    if (scaled < 1024 || unit === 'P') return `${scaled.toFixed(2)}${unit}`;
    scaled /= 1024;
  }
  return `${bytes}B`;
}

/**
 * A stable 40-hex-digit id (run_id, master_replid) derived from the pid and start time, so the
 * same scenario always shows the same id without drawing from the engine's random generator.
 */
function stableHexId(engine: Engine, salt: number): string {
  let out = '';
  let h = (engine.pid ^ Math.imul(salt, 0x9e3779b1) ^ (engine.startedAtMs % 0x7fffffff)) >>> 0;
  while (out.length < 40) {
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
    h = Math.imul(h ^ (h >>> 12), 0x297a2d39) >>> 0;
    h = (h ^ (h >>> 15)) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out.slice(0, 40);
}

const uptimeSeconds = (engine: Engine) => Math.floor((engine.nowMs - engine.startedAtMs) / 1000);

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b).toFixed(2);
const percent = (a: number, b: number) => `${(b === 0 ? 0 : (a * 100) / b).toFixed(2)}%`;

// ---- the sections -----------------------------------------------------------------------------------

const FIELDS: Readonly<Record<SectionName, (engine: Engine) => string[]>> = {
  server: (engine) => {
    const uptime = uptimeSeconds(engine);
    return [
      'redis_version:7.0.15',
      'redis_git_sha1:00000000',
      'redis_git_dirty:0',
      'redis_build_id:e08dbad3e06f3fb',
      'redis_mode:standalone',
      'os:Linux 6.1.0 x86_64',
      'arch_bits:64',
      'monotonic_clock:POSIX clock_gettime',
      'multiplexing_api:epoll',
      'atomicvar_api:c11-builtin',
      'gcc_version:12.2.0',
      `process_id:${engine.pid}`,
      'process_supervised:no',
      `run_id:${stableHexId(engine, 1)}`,
      `tcp_port:${engine.port}`,
      `server_time_usec:${engine.nowMs * 1000}`,
      `uptime_in_seconds:${uptime}`,
      `uptime_in_days:${Math.floor(uptime / 86400)}`,
      `hz:${engine.config.hz}`,
      `configured_hz:${engine.config.hz}`,
      // LRU_CLOCK: unix seconds in 24 bits.
      `lru_clock:${Math.floor(engine.nowMs / 1000) % 16777216}`,
      'executable:/usr/bin/redis-server',
      'config_file:',
      'io_threads_active:0',
    ];
  },

  clients: (engine) => [
    `connected_clients:${engine.connectedClients}`,
    'cluster_connections:0',
    'maxclients:10000',
    'client_recent_max_input_buffer:0',
    'client_recent_max_output_buffer:0',
    'blocked_clients:0',
    'tracking_clients:0',
    'clients_in_timeout_table:0',
  ],

  memory: (engine) => {
    const { used, overhead, dataset, rss } = estimateMemory(engine);
    const allocated = used + 774376;
    const active = Math.ceil((allocated * 1.08) / 4096) * 4096;
    const resident = Math.max(active, rss - 2289664);
    return [
      `used_memory:${used}`,
      `used_memory_human:${bytesToHuman(used)}`,
      `used_memory_rss:${rss}`,
      `used_memory_rss_human:${bytesToHuman(rss)}`,
      // The engine keeps no peak; the estimate of now stands in for it.
      `used_memory_peak:${used}`,
      `used_memory_peak_human:${bytesToHuman(used)}`,
      'used_memory_peak_perc:100.00%',
      `used_memory_overhead:${overhead}`,
      `used_memory_startup:${STARTUP_BYTES}`,
      `used_memory_dataset:${dataset}`,
      `used_memory_dataset_perc:${percent(dataset, used - STARTUP_BYTES)}`,
      `allocator_allocated:${allocated}`,
      `allocator_active:${active}`,
      `allocator_resident:${resident}`,
      'total_system_memory:8589934592',
      'total_system_memory_human:8.00G',
      'used_memory_lua:32768',
      'used_memory_vm_eval:32768',
      'used_memory_lua_human:32.00K',
      'used_memory_scripts_eval:0',
      'number_of_cached_scripts:0',
      'number_of_functions:0',
      'number_of_libraries:0',
      'used_memory_vm_functions:33792',
      'used_memory_vm_total:66560',
      'used_memory_vm_total_human:65.00K',
      `used_memory_functions:${SCRIPTS_BYTES}`,
      `used_memory_scripts:${SCRIPTS_BYTES}`,
      `used_memory_scripts_human:${bytesToHuman(SCRIPTS_BYTES)}`,
      'maxmemory:0',
      'maxmemory_human:0B',
      'maxmemory_policy:noeviction',
      `allocator_frag_ratio:${ratio(active, allocated)}`,
      `allocator_frag_bytes:${active - allocated}`,
      `allocator_rss_ratio:${ratio(resident, active)}`,
      `allocator_rss_bytes:${resident - active}`,
      `rss_overhead_ratio:${ratio(rss, resident)}`,
      `rss_overhead_bytes:${rss - resident}`,
      `mem_fragmentation_ratio:${ratio(rss, used)}`,
      `mem_fragmentation_bytes:${rss - used}`,
      'mem_not_counted_for_evict:0',
      'mem_replication_backlog:0',
      'mem_total_replication_buffers:0',
      'mem_clients_slaves:0',
      `mem_clients_normal:${engine.connectedClients * PER_CLIENT_BYTES}`,
      'mem_cluster_links:0',
      'mem_aof_buffer:0',
      'mem_allocator:jemalloc-5.3.0',
      'active_defrag_running:0',
      'lazyfree_pending_objects:0',
      'lazyfreed_objects:0',
    ];
  },

  persistence: (engine) => {
    const aofOn = engine.aof.state !== 'off';
    const rdb = engine.rdb;
    const child = rdb.child;
    // The current_* figures are of whichever child runs, BGSAVE or AOF rewrite, and only what the
    // parent has read of its progress reports (see fork-child.ts), not the child's own progress.
    const forkChild = rdb.child ?? engine.aof.child;
    const keysTotal = forkChild?.keysTotal ?? 0;
    const told = forkChild?.progressKnownToParent ?? null;
    const keysProcessed = told?.keysProcessed ?? 0;
    const fields = [
      `loading:${engine.loading ? 1 : 0}`,
      'async_loading:0',
      `current_cow_peak:${told?.cowPeakBytes ?? 0}`,
      `current_cow_size:${told?.cowBytes ?? 0}`,
      `current_cow_size_age:${told === null ? 0 : Math.floor((engine.nowMs - told.cowMeasuredAtMs) / 1000)}`,
      `current_fork_perc:${(keysTotal === 0 ? 0 : (keysProcessed / keysTotal) * 100).toFixed(2)}`,
      `current_save_keys_processed:${keysProcessed}`,
      `current_save_keys_total:${keysTotal}`,
      `rdb_changes_since_last_save:${engine.dirty}`,
      `rdb_bgsave_in_progress:${child === null ? 0 : 1}`,
      `rdb_last_save_time:${Math.floor(engine.lastSaveMs / 1000)}`,
      `rdb_last_bgsave_status:${engine.lastBgsaveStatus}`,
      `rdb_last_bgsave_time_sec:${rdb.lastBgsaveDurationSec}`,
      `rdb_current_bgsave_time_sec:${child === null ? -1 : unixSeconds(engine.nowMs) - unixSeconds(child.startedAtMs)}`,
      `rdb_saves:${rdb.saves}`,
      `rdb_last_cow_size:${rdb.lastCowBytes}`,
      `rdb_last_load_keys_expired:${rdb.lastLoad.keysExpired}`,
      `rdb_last_load_keys_loaded:${rdb.lastLoad.keysLoaded}`,
      `aof_enabled:${aofOn ? 1 : 0}`,
      `aof_rewrite_in_progress:${engine.aof.child === null ? 0 : 1}`,
      `aof_rewrite_scheduled:${engine.aof.rewriteScheduled ? 1 : 0}`,
      `aof_last_rewrite_time_sec:${engine.aof.lastRewriteDurationSec}`,
      `aof_current_rewrite_time_sec:${engine.aof.child === null ? -1 : unixSeconds(engine.nowMs) - unixSeconds(engine.aof.child.startedAtMs)}`,
      `aof_last_bgrewrite_status:${engine.aof.lastBgrewriteStatus}`,
      `aof_rewrites:${engine.aof.rewrites}`,
      `aof_rewrites_consecutive_failures:${engine.aof.consecutiveFailures}`,
      `aof_last_write_status:${engine.aof.lastWriteStatus}`,
      `aof_last_cow_size:${engine.aof.lastCowBytes}`,
      'module_fork_in_progress:0',
      'module_fork_last_cow_size:0',
    ];
    // Redis prints these six only while the AOF is on.
    if (aofOn) {
      fields.push(
        `aof_current_size:${engine.aof.currentSize}`,
        `aof_base_size:${engine.aof.baseSize}`,
        `aof_pending_rewrite:${engine.aof.rewriteScheduled ? 1 : 0}`,
        `aof_buffer_length:${engine.aof.buffer.length}`,
        `aof_pending_bio_fsync:${engine.aof.fsyncInFlight === null ? 0 : 1}`,
        `aof_delayed_fsync:${engine.aof.delayedFsync}`,
      );
    }
    fields.push(...loadingFields(engine));
    return fields;
  },

  stats: (engine) => {
    const s = engine.stats;
    return [
      `total_connections_received:${s.totalConnectionsReceived}`,
      `total_commands_processed:${s.totalCommandsProcessed}`,
      'instantaneous_ops_per_sec:0',
      'total_net_input_bytes:0',
      'total_net_output_bytes:0',
      'total_net_repl_input_bytes:0',
      'total_net_repl_output_bytes:0',
      'instantaneous_input_kbps:0.00',
      'instantaneous_output_kbps:0.00',
      'instantaneous_input_repl_kbps:0.00',
      'instantaneous_output_repl_kbps:0.00',
      'rejected_connections:0',
      'sync_full:0',
      'sync_partial_ok:0',
      'sync_partial_err:0',
      `expired_keys:${s.expiredKeys}`,
      'expired_stale_perc:0.00',
      'expired_time_cap_reached_count:0',
      'expire_cycle_cpu_milliseconds:0',
      'evicted_keys:0',
      'evicted_clients:0',
      'total_eviction_exceeded_time:0',
      'current_eviction_exceeded_time:0',
      `keyspace_hits:${s.keyspaceHits}`,
      `keyspace_misses:${s.keyspaceMisses}`,
      'pubsub_channels:0',
      'pubsub_patterns:0',
      'pubsubshard_channels:0',
      `latest_fork_usec:${engine.rdb.latestForkUsec}`,
      `total_forks:${engine.rdb.totalForks}`,
      'migrate_cached_sockets:0',
      'slave_expires_tracked_keys:0',
      'active_defrag_hits:0',
      'active_defrag_misses:0',
      'active_defrag_key_hits:0',
      'active_defrag_key_misses:0',
      'total_active_defrag_time:0',
      'current_active_defrag_time:0',
      'tracking_total_keys:0',
      'tracking_total_items:0',
      'tracking_total_prefixes:0',
      'unexpected_error_replies:0',
      `total_error_replies:${s.errorReplies}`,
      'dump_payload_sanitizations:0',
      // One read and one write per command: what a client that waits for each reply causes.
      `total_reads_processed:${s.totalCommandsProcessed}`,
      `total_writes_processed:${s.totalCommandsProcessed}`,
      'io_threaded_reads_processed:0',
      'io_threaded_writes_processed:0',
      'reply_buffer_shrinks:0',
      'reply_buffer_expands:0',
    ];
  },

  replication: (engine) => [
    'role:master',
    'connected_slaves:0',
    'master_failover_state:no-failover',
    `master_replid:${stableHexId(engine, 2)}`,
    'master_replid2:0000000000000000000000000000000000000000',
    'master_repl_offset:0',
    'second_repl_offset:-1',
    'repl_backlog_active:0',
    'repl_backlog_size:1048576',
    'repl_backlog_first_byte_offset:0',
    'repl_backlog_histlen:0',
  ],

  cpu: (engine) => {
    // An idle node burns about 2 ms of CPU a second on its cron; a plausible, steady figure.
    const uptime = uptimeSeconds(engine);
    const sys = (0.004 + uptime * 0.0008).toFixed(6);
    const user = (0.015 + uptime * 0.0012).toFixed(6);
    return [
      `used_cpu_sys:${sys}`,
      `used_cpu_user:${user}`,
      'used_cpu_sys_children:0.000000',
      'used_cpu_user_children:0.000000',
      `used_cpu_sys_main_thread:${sys}`,
      `used_cpu_user_main_thread:${user}`,
    ];
  },

  // No modules; per-command and latency statistics are not kept by the engine yet.
  modules: () => [],
  commandstats: () => [],
  // One line per error code, in the byte order of Redis's radix tree.
  errorstats: (engine) =>
    [...engine.stats.errorCodes.keys()].sort().map((code) => `errorstat_${code}:count=${engine.stats.errorCodes.get(code)}`),
  latencystats: () => [],

  cluster: () => ['cluster_enabled:0'],

  keyspace: (engine) => {
    const lines: string[] = [];
    for (const db of engine.dbs) {
      if (db.size === 0) continue;
      lines.push(`db${db.index}:keys=${db.size},expires=${db.expires.size},avg_ttl=${averageTtl(engine, db.expires)}`);
    }
    return lines;
  },
};

/**
 * The mean remaining TTL in ms of the keys that have one. Redis shows a running estimate from its
 * expiry sampling; the exact mean is what that estimate approaches.
 */
function averageTtl(engine: Engine, expires: ReadonlyMap<string, number>): number {
  if (expires.size === 0) return 0;
  let total = 0;
  for (const when of expires.values()) total += Math.max(0, when - engine.nowMs);
  return Math.floor(total / expires.size);
}
