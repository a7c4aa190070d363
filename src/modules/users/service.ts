import type { Static } from 'elysia'
import type { Actor } from '../../actor'
import type { Clock } from '../../clock'
import type { Db } from '../../db/client'
import type { Role } from '../../db/schema'
import type { Trx } from '../../db/transaction'
import type { Principal } from '../../http/auth'
import { ApiError, notFound } from '../../http/errors'
import { assertIfMatch } from '../../http/etag'
import { type PageParams, paginate } from '../../http/pagination'
import { newId } from '../../ids'
import { insertUser } from '../orgs/service'
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

/**
 * Only an owner may create, promote, change or remove an owner; `mayManageOwners` says
 * whether the caller may (an owner's session, or an API key with the users permission).
 */
function assertMayManage(mayManageOwners: boolean, targetRole: Role) {
  if (targetRole === 'owner' && !mayManageOwners) {
    throw new ApiError('forbidden', 'Only an owner can grant, change or remove the owner role')
  }
}

/** What the route knows of the caller's rights over owners (see assertMayManage). */
export const mayManageOwners = (principal: Principal) => principal.kind !== 'session' || principal.role === 'owner'

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

export type NewUser = Omit<Static<typeof UserCreate>, 'password'> & { passwordHash: string; mayManageOwners: boolean }

/** `passwordHash` comes hashed: hashing inside the transaction held the database for ~100 ms. */
export async function createUser(trx: Trx, orgId: string, input: NewUser, _actor: Actor, clock: Clock) {
  assertMayManage(input.mayManageOwners, input.role)
  const now = clock.now().toISOString()
  const row = {
    id: newId('usr'),
    org_id: orgId,
    email: input.email.trim(),
    name: input.name ?? null,
    role: input.role,
    password_hash: input.passwordHash,
    version: 1,
    created_at: now,
    updated_at: now,
  }
  await insertUser(trx, row)
  return toUser(row)
}

export type UserChange = Omit<Static<typeof UserPatch>, 'password'> & {
  id: string
  ifMatch: string | null
  /** Set when the password changes, hashed before the transaction. */
  passwordHash?: string
  mayManageOwners: boolean
}

export async function updateUser(trx: Trx, orgId: string, input: UserChange, _actor: Actor, clock: Clock) {
  const { id } = input
  const row = await findUser(trx, orgId, id)
  assertIfMatch(input.ifMatch, row.version)
  assertMayManage(input.mayManageOwners, row.role)
  if (input.role) assertMayManage(input.mayManageOwners, input.role)
  if (row.role === 'owner' && input.role && input.role !== 'owner') await assertOwnerRemains(trx, orgId, id)
  const changes = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.role !== undefined ? { role: input.role } : {}),
    ...(input.passwordHash !== undefined ? { password_hash: input.passwordHash } : {}),
  }
  const updated = await trx
    .updateTable('users')
    .set({ ...changes, version: row.version + 1, updated_at: clock.now().toISOString() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
  // A new password or a lower role ends the user's sessions: they sign in again with what they may now do.
  if (input.passwordHash !== undefined || (input.role !== undefined && input.role !== row.role)) {
    await trx.deleteFrom('sessions').where('user_id', '=', id).execute()
  }
  return toUser(updated)
}

export async function deleteUser(trx: Trx, orgId: string, input: { id: string; mayManageOwners: boolean }, _actor: Actor) {
  const row = await findUser(trx, orgId, input.id)
  assertMayManage(input.mayManageOwners, row.role)
  if (row.role === 'owner') await assertOwnerRemains(trx, orgId, input.id)
  await trx.deleteFrom('sessions').where('user_id', '=', input.id).execute()
  await trx.updateTable('api_keys').set({ created_by: null }).where('created_by', '=', input.id).execute()
  await trx.deleteFrom('users').where('id', '=', input.id).execute()
}
