/**
 * Running dispatchers listen here. A committed event, a redeliver or a recover wakes them
 * at once instead of waiting for the next cron sweep. (Several can run in one process in
 * tests, each over its own database; waking one needlessly costs one empty due query.)
 */
const listeners = new Set<() => void>()

export function onDeliveriesQueued(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export function wakeDispatchers(): void {
  for (const listener of listeners) listener()
}
