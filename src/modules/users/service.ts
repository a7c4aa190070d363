import type { Static } from 'elysia'
import type { Clock } from '../../clock'
import type { Db } from '../../db/client'
import type { Role } from '../../db/schema'
import { transaction, type Trx } from '../../db/transaction'
import type { Principal } from '../../http/auth'
import { ApiError, notFound } from '../../http/errors'
import { assertIfMatch } from '../../http/etag'
import { type PageParams, paginate } from '../../http/pagination'
import { newId } from '../../ids'
import { assertEmailFree } from '../orgs/service'
import { toUser, type UserCreate, type UserPatch } from './model'

export function listUsers(db: Db, orgId: string, params: PageParams) {
  return paginate(
    db.selectFrom('users').selectAll().where('org_id', '=', orgId),
    'users.id',
    params,
    toUser,
  )
}

async function findUser(trx: Trx | Db, orgId: string, id: string) {
  const row = await trx.selectFrom('users').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst()
  if (!row) throw notFound('User')
  return row
}

export async function getUser(db: Db, orgId: string, id: string) {
  return toUser(await findUser(db, orgId, id))
}

/** Only an owner may create, promote, change or remove an owner. */
function assertMayManage(actor: Principal, targetRole: Role) {
  if (targetRole === 'owner' && actor.role !== 'owner' && actor.kind === 'session') {
    throw new ApiError('forbidden', 'Only an owner can grant, change or remove the owner role')
  }
}

async function assertOwnerRemains(trx: Trx, orgId: string, leavingUserId: string) {
  const others = await trx
    .selectFrom('users')
    .select('id')
    .where('org_id', '=', orgId)
    .where('role', '=', 'owner')
    .where('id', '!=', leavingUserId)
    .limit(1)
    .executeTakeFirst()
  if (!others) throw new ApiError('conflict', 'An organization must keep at least one owner')
}

export function createUser(db: Db, actor: Principal, input: Static<typeof UserCreate>, clock: Clock) {
  assertMayManage(actor, input.role)
  return transaction(db, async (trx) => {
    await assertEmailFree(trx, input.email)
    const now = clock.now().toISOString()
    const row = {
      id: newId('usr'),
      org_id: actor.orgId,
      email: input.email.trim(),
      name: input.name ?? null,
      role: input.role,
      password_hash: await Bun.password.hash(input.password),
      version: 1,
      created_at: now,
      updated_at: now,
    }
    await trx.insertInto('users').values(row).execute()
    return toUser(row)
  })
}

export function updateUser(
  db: Db,
  actor: Principal,
  id: string,
  input: Static<typeof UserPatch>,
  ifMatch: string | null,
  clock: Clock,
) {
  return transaction(db, async (trx) => {
    const row = await findUser(trx, actor.orgId, id)
    assertIfMatch(ifMatch, row.version)
    assertMayManage(actor, row.role)
    if (input.role) assertMayManage(actor, input.role)
    if (row.role === 'owner' && input.role && input.role !== 'owner') await assertOwnerRemains(trx, actor.orgId, id)
    const changes = {
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.role !== undefined ? { role: input.role } : {}),
      ...(input.password !== undefined ? { password_hash: await Bun.password.hash(input.password) } : {}),
    }
    const updated = await trx
      .updateTable('users')
      .set({ ...changes, version: row.version + 1, updated_at: clock.now().toISOString() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow()
    // A new password or a lower role ends the user's sessions: they sign in again with what they may now do.
    if (input.password !== undefined || (input.role !== undefined && input.role !== row.role)) {
      await trx.deleteFrom('sessions').where('user_id', '=', id).execute()
    }
    return toUser(updated)
  })
}

export function deleteUser(db: Db, actor: Principal, id: string) {
  return transaction(db, async (trx) => {
    const row = await findUser(trx, actor.orgId, id)
    assertMayManage(actor, row.role)
    if (row.role === 'owner') await assertOwnerRemains(trx, actor.orgId, id)
    await trx.deleteFrom('sessions').where('user_id', '=', id).execute()
    await trx.updateTable('api_keys').set({ created_by: null }).where('created_by', '=', id).execute()
    await trx.deleteFrom('users').where('id', '=', id).execute()
  })
}
