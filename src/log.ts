import type { LogLevel } from './config'

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

export interface Logger {
  /** Lets hot paths skip building a line nobody will see. */
  enabled(level: LogLevel): boolean
  debug(message: string, fields?: Record<string, unknown>): void
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
}

/** Paths can carry secrets (ingress tokens); logs only ever see the redacted form. */
export function redactPath(path: string): string {
  return path.replace(/^\/webhooks\/ingress\/[^/?]+/, '/webhooks/ingress/[redacted]')
}

/** One JSON object per line on stderr, so `journalctl` and `docker logs` stay greppable. */
export function createLogger(level: LogLevel, write: (line: string) => void = (l) => process.stderr.write(l + '\n')): Logger {
  const min = ORDER[level]
  const log = (lvl: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] < min) return
    write(JSON.stringify({ time: new Date().toISOString(), level: lvl, msg: message, ...fields }))
  }
  return { enabled: (lvl) => ORDER[lvl] >= min, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }
}

export const silentLogger: Logger = { enabled: () => false, debug() {}, info() {}, warn() {}, error() {} }
