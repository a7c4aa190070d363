/**
 * The connection's settings, in order: busy_timeout first so the others wait for a lock
 * instead of failing, then WAL, NORMAL sync and foreign keys. The benchmark's raw floor
 * (bench/floor.ts) applies this same list, so a setting never counts as our overhead.
 */
export const SQLITE_PRAGMAS = [
  'PRAGMA busy_timeout = 5000',
  'PRAGMA journal_mode = WAL',
  'PRAGMA synchronous = NORMAL',
  'PRAGMA foreign_keys = ON',
  // A checkpoint (two fsyncs) every 16 MB of WAL instead of every 4 MB: at the default, the
  // checkpoints inside commits were two thirds of all commit time under a webhook storm.
  'PRAGMA wal_autocheckpoint = 4000',
] as const
