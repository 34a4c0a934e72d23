import type { Engine } from '../engine.ts';

/**
 * INFO persistence's loading_* fields, which Redis 7.0 prints at the end of the section only while
 * a load runs, computed as genRedisInfoString does: the percentage of the file read (or of the
 * RDB's used-mem when the size is unknown), and an ETA from the whole seconds elapsed.
 */
export function loadingFields(engine: Engine): string[] {
  const status = engine.loadingStatus();
  if (status === null) return [];
  const { startedAtMs, totalBytes, loadedBytes, rdbUsedMem } = status;
  let percent = 0;
  let remainingBytes = 1;
  if (totalBytes !== 0) {
    percent = (loadedBytes / totalBytes) * 100;
    remainingBytes = totalBytes - loadedBytes;
  } else if (rdbUsedMem !== 0) {
    percent = Math.min(99.99, (loadedBytes / rdbUsedMem) * 100);
    remainingBytes = Math.max(1, rdbUsedMem - loadedBytes);
  }
  const startSec = Math.floor(startedAtMs / 1000);
  const elapsedSec = Math.floor(engine.nowMs / 1000) - startSec;
  const etaSec = elapsedSec === 0 ? 1 : Math.floor((elapsedSec * remainingBytes) / (loadedBytes + 1));
  return [
    `loading_start_time:${startSec}`,
    `loading_total_bytes:${totalBytes}`,
    `loading_rdb_used_mem:${rdbUsedMem}`,
    `loading_loaded_bytes:${loadedBytes}`,
    `loading_loaded_perc:${percent.toFixed(2)}`,
    `loading_eta_seconds:${etaSec}`,
  ];
}
