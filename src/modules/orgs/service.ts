import type { Clock } from '../../clock'
import type { Db } from '../../db/client'
import type { Trx } from '../../db/transaction'
import { ApiError } from '../../http/errors'
import { newId } from '../../ids'

export interface NewOrgWithOwner {
  org: string
  email: string
  password: string
}

export async function assertEmailFree(trx: Trx | Db, email: string): Promise<void> {
  const taken = await trx
    .selectFrom('users')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst()
  if (taken) throw new ApiError('conflict', `A user with email ${email} already exists`, [{ field: '/email', message: 'already in use' }])
}

/** Creates an organization and its owner in one transaction (first-run setup and `crewbase init`). */
export async function createOrgWithOwner(trx: Trx, input: NewOrgWithOwner, clock: Clock) {
  await assertEmailFree(trx, input.email)
  const now = clock.now().toISOString()
  const org = { id: newId('org'), name: input.org.trim(), currency: 'USD', version: 1, created_at: now, updated_at: now }
  await trx.insertInto('orgs').values(org).execute()
  const user = {
    id: newId('usr'),
    org_id: org.id,
    email: input.email.trim(),
    name: null,
    role: 'owner' as const,
    password_hash: await Bun.password.hash(input.password),
    version: 1,
    created_at: now,
    updated_at: now,
  }
  await trx.insertInto('users').values(user).execute()
  return { org, user }
}

export async function anyOrgExists(db: Db): Promise<boolean> {
  return (await db.selectFrom('orgs').select('id').limit(1).executeTakeFirst()) !== undefined
}

/** The org's default currency for new documents and pricebook items (orgs.currency, 'USD' unless changed). */
export async function orgCurrency(trx: Trx | Db, orgId: string): Promise<string> {
  const org = await trx.selectFrom('orgs').select('currency').where('id', '=', orgId).executeTakeFirstOrThrow()
  return org.currency
}
