import type { Db } from '../db/client'
import { engineOf } from '../db/engine'
import { transaction } from '../db/transaction'
import { SealedSecretError, type SecretBox, sealedWith } from './box'

export interface SealReport {
  /** Stored secrets looked at (current and previous webhook signing secrets). */
  checked: number
  /** Plain ones sealed now, or (rotating) ones re-sealed under the current key. */
  sealed: number
  /** Sealed ones left under CREWBASE_SECRET_KEY_PREVIOUS (serve leaves them; rotate-secret-key does not). */
  underPreviousKey: number
}

const COLUMNS = ['secret', 'previous_secret'] as const

/**
 * At start (and by `crewbase rotate-secret-key` with `rotate`): every stored webhook secret must
 * open with the keys given, or this throws before anything is served (never a signing failure
 * later). With a key, plain secrets are sealed in place and the file is rewritten without them;
 * rotating re-seals whatever is not under the current key.
 */
export async function sealStoredSecrets(db: Db, box: SecretBox, options: { rotate?: boolean } = {}): Promise<SealReport> {
  const rows = await db.selectFrom('webhook_endpoints').select(['id', 'secret', 'previous_secret']).execute()
  const report: SealReport = { checked: 0, sealed: 0, underPreviousKey: 0 }
  const unopenable = new Map<string, number>()
  let sealedPlain = false
  const updates: Array<{ id: string; set: Partial<Record<(typeof COLUMNS)[number], string>> }> = []
  for (const row of rows) {
    const set: Partial<Record<(typeof COLUMNS)[number], string>> = {}
    for (const column of COLUMNS) {
      const stored = row[column]
      if (stored === null) continue
      report.checked++
      const keyId = sealedWith(stored)
      if (!box.canOpen(stored)) {
        unopenable.set(keyId!, (unopenable.get(keyId!) ?? 0) + 1)
        continue
      }
      const plain = await box.open(stored, row.id).catch((error: Error) => {
        throw new SealedSecretError(`CREWBASE_SECRET_KEY: ${error.message}`)
      })
      const needsSealing = box.sealing && (keyId === null || (options.rotate && keyId !== box.currentKeyId))
      if (needsSealing) set[column] = await box.seal(plain, row.id)
      if (needsSealing && keyId === null) sealedPlain = true
      else if (keyId !== null && keyId !== box.currentKeyId) report.underPreviousKey++
    }
    if (Object.keys(set).length > 0) updates.push({ id: row.id, set })
  }
  if (unopenable.size > 0) {
    const count = [...unopenable.values()].reduce((a, b) => a + b, 0)
    const keys = [...unopenable.keys()].join(', ')
    throw new SealedSecretError(
      box.sealing
        ? `CREWBASE_SECRET_KEY: ${count} stored secret(s) are sealed with another key (key id ${keys}); set the key they were sealed with, or put it in CREWBASE_SECRET_KEY_PREVIOUS and run crewbase rotate-secret-key`
        : `CREWBASE_SECRET_KEY: not set, but ${count} stored secret(s) are sealed (key id ${keys}); set the key they were sealed with`,
    )
  }
  if (updates.length > 0) {
    await transaction(db, async (trx) => {
      for (const { id, set } of updates) await trx.updateTable('webhook_endpoints').set(set).where('id', '=', id).execute()
    })
    report.sealed = updates.reduce((n, u) => n + Object.keys(u.set).length, 0)
    // Plain copies of what was just sealed would otherwise stay in the file's free space.
    if (sealedPlain) await engineOf(db).rewriteWithoutFreeSpace(db)
  }
  return report
}
