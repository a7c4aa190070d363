#!/usr/bin/env bun
import { parseArgs } from 'node:util'
import { version } from '../package.json'
import { systemClock } from './clock'
import { ConfigError, loadConfig } from './config'
import { backupDatabase } from './db/client'
import { migrateToLatest } from './db/migrate'
import { transaction } from './db/transaction'
import { ApiError } from './http/errors'
import { ALL_PERMISSIONS } from './http/permissions'
import { createLogger } from './log'
import { argon2idPasswords } from './passwords'
import { createApiKey } from './modules/api-keys/service'
import { createOrgWithOwner } from './modules/orgs/service'
import { SealedSecretError, SecretBox } from './secrets/box'
import { sealStoredSecrets } from './secrets/stored'
import { openConfiguredDatabase, serve } from './server'

const HELP = `crewbase ${version} — job server for small trade shops

Usage:
  crewbase [serve]                 start the server (migrates first)
  crewbase init --org NAME --email EMAIL --password PASSWORD [--json]
                                   create an organization, its owner and one full-permission API key
  crewbase migrate                 apply pending database migrations
  crewbase backup FILE             write a consistent copy of the live database to FILE
  crewbase rotate-secret-key       re-seal stored secrets under CREWBASE_SECRET_KEY (old key in
                                   CREWBASE_SECRET_KEY_PREVIOUS)
  crewbase health                  exit 0 when the local server answers /health (for HEALTHCHECK)
  crewbase --help | --version

Environment (defaults): PORT=3000 HOST=0.0.0.0 CREWBASE_DB=./data/crewbase.sqlite
  CREWBASE_RATE_LIMIT=100 CREWBASE_WEBHOOK_TIMEOUT_MS=10000 CREWBASE_WEBHOOK_RETRY_SCHEDULE=60,300,1800
  CREWBASE_WEBHOOK_ALLOW_INSECURE=false CREWBASE_DISPATCH_CRON="* * * * * *" CREWBASE_LOG_LEVEL=info
  CREWBASE_ALERTS_CRON="0 * * * * *" CREWBASE_PUBLIC_URL=(from the request)
  CREWBASE_PRUNE_CRON="0 0 * * * *" CREWBASE_DELIVERY_RETENTION_DAYS=30 CREWBASE_EVENT_RETENTION_DAYS=90
  CREWBASE_SECRET_KEY=(unset: secrets stored plain; make one with: openssl rand -base64 32)
  CREWBASE_SECRET_KEY_PREVIOUS=(unset; the old key while rotating)`

const SECRET_KEY_HINT =
  'Tip: set CREWBASE_SECRET_KEY to seal webhook signing secrets at rest (32 random bytes, base64), e.g.\n' +
  '  export CREWBASE_SECRET_KEY="$(openssl rand -base64 32)"\n' +
  'Keep it apart from your backups: without it, sealed secrets cannot be opened.'

function fail(message: string): never {
  process.stderr.write(`crewbase: ${message}\n`)
  process.exit(1)
}

async function main(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
      org: { type: 'string' },
      email: { type: 'string' },
      password: { type: 'string' },
      json: { type: 'boolean' },
    },
  })
  if (values.help) return console.log(HELP)
  if (values.version) return console.log(version)
  const [command = 'serve', ...rest] = positionals
  const config = loadConfig()
  const logger = createLogger(config.logLevel)

  switch (command) {
    case 'serve':
      await serve(config, logger)
      return
    case 'migrate': {
      const handle = openConfiguredDatabase(config)
      const result = await migrateToLatest(handle.db)
      const applied = result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? []
      console.log(applied.length ? `applied ${applied.length} migration(s):\n  ${applied.join('\n  ')}` : 'database is up to date')
      await handle.close()
      return
    }
    case 'init': {
      const { org, email, password } = values
      if (!org || !email || !password) fail('init needs --org, --email and --password')
      if (password.length < 8) fail('--password must be at least 8 characters')
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) fail(`--email "${email}" is not an email address`)
      const handle = openConfiguredDatabase(config)
      await migrateToLatest(handle.db)
      const passwordHash = await argon2idPasswords().hash(password)
      const created = await transaction(handle.db, async (trx) => {
        const { org: o, user } = await createOrgWithOwner(trx, { org, email, passwordHash }, systemClock)
        const key = await createApiKey(trx, o.id, user.id, { label: 'init', permissions: ALL_PERMISSIONS }, systemClock)
        return { org: { id: o.id, name: o.name }, user: { id: user.id, email: user.email }, api_key: { id: key.id, key: key.key } }
      }).catch((error) => {
        if (error instanceof ApiError) fail(error.message)
        throw error
      })
      await handle.close()
      if (values.json) console.log(JSON.stringify(created))
      else {
        console.log(`Organization ${created.org.name} (${created.org.id}) and owner ${created.user.email} created.`)
        console.log(`API key (shown once, store it now):\n  ${created.api_key.key}`)
      }
      if (!config.secretKey) process.stderr.write(`${SECRET_KEY_HINT}\n`)
      return
    }
    case 'backup': {
      const [file] = rest
      if (!file) fail('backup needs a FILE: crewbase backup ./crewbase-2026-11-22.sqlite')
      const result = await backupDatabase(config.dbPath, file, (line: string) => process.stderr.write(`… ${line}\n`))
      if (result.integrity !== 'ok') fail(`backup written but integrity_check says: ${result.integrity}`)
      console.log(`backup written to ${file}: ${(result.bytes / 1e6).toFixed(2)} MB in ${result.ms} ms, integrity ok`)
      return
    }
    case 'rotate-secret-key': {
      if (!config.secretKey) fail('CREWBASE_SECRET_KEY: rotate-secret-key needs the new key there and the old one in CREWBASE_SECRET_KEY_PREVIOUS')
      const handle = openConfiguredDatabase(config)
      await migrateToLatest(handle.db)
      const box = await SecretBox.create(config.secretKey, config.secretKeyPrevious)
      const report = await sealStoredSecrets(handle.db, box, { rotate: true }).catch((error) => {
        if (error instanceof SealedSecretError) fail(error.message)
        throw error
      })
      await handle.close()
      console.log(`${report.sealed} of ${report.checked} stored secret(s) re-sealed under key ${box.currentKeyId}; every secret now opens with CREWBASE_SECRET_KEY alone, so CREWBASE_SECRET_KEY_PREVIOUS can go`)
      return
    }
    case 'health': {
      const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host
      const res = await fetch(`http://${host}:${config.port}/health`, { signal: AbortSignal.timeout(2000) }).catch(() => null)
      if (!res?.ok) fail(`no healthy server on port ${config.port}`)
      console.log('ok')
      return
    }
    default:
      fail(`unknown command "${command}"; see crewbase --help`)
  }
}

try {
  await main(process.argv.slice(2))
} catch (error) {
  if (error instanceof ConfigError) fail(error.message)
  if (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) fail(error.message)
  fail((error as Error).message)
}
