import type { Clock } from '../../clock'
import type { Db } from '../../db/client'
import type { Trx } from '../../db/transaction'
import type { Insertable } from 'kysely'
import { uniqueOr } from '../../db/rows'
import type { DB } from '../../db/schema'
import { ApiError } from '../../http/errors'
import { newId } from '../../ids'

export interface NewOrgWithOwner {
  org: string
  email: string
  /** Hashed before the transaction opens (Passwords.hash). */
  passwordHash: string
}

const emailTaken = (email: string) =>
  new ApiError('conflict', `A user with email ${email} already exists`, [{ field: '/email', message: 'already in use' }])

/**
 * Inserts a user; the unique index on lower(email) decides between two requests racing for
 * one address (the loser's transaction rolls back with this 409).
 */
export async function insertUser(trx: Trx, row: Insertable<DB['users']>): Promise<void> {
  await uniqueOr(trx, () => trx.insertInto('users').values(row).execute(), () => emailTaken(row.email))
}

/** Creates an organization and its owner in one transaction (first-run setup and `crewbase init`). */
export async function createOrgWithOwner(trx: Trx, input: NewOrgWithOwner, clock: Clock) {
  const now = clock.now().toISOString()
  const org = { id: newId('org'), name: input.org.trim(), currency: 'USD', version: 1, created_at: now, updated_at: now }
  await trx.insertInto('orgs').values(org).execute()
  const user = {
    id: newId('usr'),
    org_id: org.id,
    email: input.email.trim(),
    name: null,
    role: 'owner' as const,
    password_hash: input.passwordHash,
    version: 1,
    created_at: now,
    updated_at: now,
  }
  await insertUser(trx, user)
  return { org, user }
}

export async function anyOrgExists(db: Db | Trx): Promise<boolean> {
  return (await db.selectFrom('orgs').select('id').limit(1).executeTakeFirst()) !== undefined
}

/** The org's default currency for new documents and pricebook items (orgs.currency, 'USD' unless changed). */
export async function orgCurrency(trx: Trx | Db, orgId: string): Promise<string> {
  const org = await trx.selectFrom('orgs').select('currency').where('id', '=', orgId).executeTakeFirstOrThrow()
  return org.currency
}
