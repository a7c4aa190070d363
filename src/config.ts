import { Cron } from 'croner'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

export interface Config {
  port: number
  host: string
  dbPath: string
  rateLimit: number
  webhookTimeoutMs: number
  webhookRetrySchedule: number[]
  webhookAllowInsecure: boolean
  dispatchCron: string
  alertsCron: string
  logLevel: LogLevel
  publicUrl: string | null
  pruneCron: string
  deliveryRetentionDays: number
  eventRetentionDays: number
  /** CREWBASE_SECRET_KEY: 32 bytes that seal stored secrets; null keeps them plain. */
  secretKey: Uint8Array<ArrayBuffer> | null
  /** CREWBASE_SECRET_KEY_PREVIOUS: the key being rotated away from. */
  secretKeyPrevious: Uint8Array<ArrayBuffer> | null
}

/** Thrown for a bad environment variable; the CLI prints its message as one line and exits 1. */
export class ConfigError extends Error {}

type Env = Record<string, string | undefined>

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name}: "${raw}" is not a whole number`)
  const value = Number(raw)
  if (value < min || value > max) throw new ConfigError(`${name}: ${value} is outside ${min}..${max}`)
  return value
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase()
  if (raw === undefined || raw === '') return fallback
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true
  if (['0', 'false', 'no', 'off'].includes(raw)) return false
  throw new ConfigError(`${name}: "${env[name]}" is not true or false`)
}

function cronPattern(env: Env, name: string, fallback: string): string {
  const raw = env[name]?.trim() || fallback
  try {
    new Cron(raw, { paused: true }).stop()
  } catch (error) {
    throw new ConfigError(`${name}: "${raw}" is not a valid cron pattern (${(error as Error).message})`)
  }
  return raw
}

function retrySchedule(env: Env, name: string, fallback: number[]): number[] {
  const raw = env[name]?.trim()
  if (!raw) return fallback
  const parts = raw.split(',').map((p) => p.trim())
  if (parts.some((p) => !/^\d+$/.test(p)) || parts.length > 20) {
    throw new ConfigError(`${name}: "${raw}" must be a comma-separated list of seconds, e.g. 60,300,1800`)
  }
  return parts.map(Number)
}

function publicUrl(env: Env, name: string): string | null {
  const raw = env[name]?.trim()
  if (!raw) return null
  try {
    const url = new URL(raw)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)')
    return url.origin + url.pathname.replace(/\/+$/, '')
  } catch {
    throw new ConfigError(`${name}: "${raw}" is not an http(s) URL`)
  }
}

/** 32 bytes in base64 (standard or URL-safe), as `openssl rand -base64 32` prints them. */
function secretKey(env: Env, name: string): Uint8Array<ArrayBuffer> | null {
  const raw = env[name]?.trim()
  if (!raw) return null
  const bytes = /^[A-Za-z0-9+/_-]+={0,2}$/.test(raw) ? Buffer.from(raw, 'base64') : Buffer.alloc(0)
  if (bytes.length !== 32) {
    throw new ConfigError(`${name}: must be 32 random bytes in base64 (make one with: openssl rand -base64 32)`)
  }
  return new Uint8Array(bytes)
}

export function loadConfig(env: Env = process.env): Config {
  const logLevel = (env.CREWBASE_LOG_LEVEL?.trim() || 'info') as LogLevel
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) {
    throw new ConfigError(`CREWBASE_LOG_LEVEL: "${logLevel}" must be one of debug, info, warn, error`)
  }
  return {
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: env.HOST?.trim() || '0.0.0.0',
    dbPath: env.CREWBASE_DB?.trim() || './data/crewbase.sqlite',
    rateLimit: integer(env, 'CREWBASE_RATE_LIMIT', 100, 1, 1_000_000),
    webhookTimeoutMs: integer(env, 'CREWBASE_WEBHOOK_TIMEOUT_MS', 10_000, 1, 600_000),
    webhookRetrySchedule: retrySchedule(env, 'CREWBASE_WEBHOOK_RETRY_SCHEDULE', [60, 300, 1800]),
    webhookAllowInsecure: boolean(env, 'CREWBASE_WEBHOOK_ALLOW_INSECURE', false),
    dispatchCron: cronPattern(env, 'CREWBASE_DISPATCH_CRON', '* * * * * *'),
    alertsCron: cronPattern(env, 'CREWBASE_ALERTS_CRON', '0 * * * * *'),
    logLevel,
    publicUrl: publicUrl(env, 'CREWBASE_PUBLIC_URL'),
    pruneCron: cronPattern(env, 'CREWBASE_PRUNE_CRON', '0 0 * * * *'),
    deliveryRetentionDays: integer(env, 'CREWBASE_DELIVERY_RETENTION_DAYS', 30, 1, 36_500),
    eventRetentionDays: integer(env, 'CREWBASE_EVENT_RETENTION_DAYS', 90, 1, 36_500),
    secretKey: secretKey(env, 'CREWBASE_SECRET_KEY'),
    secretKeyPrevious: secretKey(env, 'CREWBASE_SECRET_KEY_PREVIOUS'),
  }
}
