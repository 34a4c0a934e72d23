/**
 * The engine's public face: a deterministic Redis 7.0 node driven by lines of text. Everything
 * outside src/engine imports from here.
 */
export { Engine, DB_COUNT, DEFAULT_EPOCH_MS, LEFT_OUT_ERROR_START } from './engine.ts';
export type { EngineOptions, LineResult, LoadingStatus, Stats } from './engine.ts';
export type { AckedWrite, LossReason, LostWrite, RecoveryReport } from './persistence/recovery-report.ts';
export type { LoadFailureKind } from './persistence/rdb-load.ts';
export type { Client } from './client.ts';
export type { ChildPurpose, EngineEvent, EngineEventType, EventListener, LogLevel, ReapOutcome } from './events.ts';
export { exportKeyspace } from './keyspace/export.ts';
export type { KeyspaceExport, ExportedKey, ExportedText } from './keyspace/export.ts';
export { typeOf } from './keyspace/values.ts';
export type { RedisType, RedisValue } from './keyspace/values.ts';
export { RedisList } from './keyspace/list.ts';
export { RedisZSet } from './keyspace/zset.ts';
export { DEFAULT_CONFIG } from './config.ts';
export { copyState, type CopyResult } from './state-copy.ts';
export { nodeFootprintBytes, type NodeCheckpoint } from './checkpoint.ts';
export { SIGUSR1_EXIT_CODE } from './persistence/fork-child.ts';
