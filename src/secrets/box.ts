import { createHash } from 'node:crypto'

/**
 * Secrets the server must be able to use again (webhook signing secrets cannot be hashed) are
 * sealed at rest with AES-256-GCM through Web Crypto under CREWBASE_SECRET_KEY: a fresh 96-bit
 * nonce each time, the row id as associated data (a sealed value copied to another row does not
 * open), and the id of the key that sealed it, so a rotation knows which key opens what.
 *
 *   sealed:v1:<key id>:<nonce, base64url>:<ciphertext and tag, base64url>
 *
 * Without a key, values are stored as given (and `serve` warns once).
 */
const PREFIX = 'sealed:v1:'

export class SealedSecretError extends Error {}

interface Key {
  id: string
  crypto: CryptoKey
}

/** First 8 bytes of SHA-256 of the key, in hex: names the key without revealing it. */
export function keyId(raw: Uint8Array): string {
  return createHash('sha256').update(raw).digest('hex').slice(0, 16)
}

async function importKey(raw: Uint8Array<ArrayBuffer>): Promise<Key> {
  const crypto = await globalThis.crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt'])
  return { id: keyId(raw), crypto }
}

export function isSealed(stored: string): boolean {
  return stored.startsWith(PREFIX)
}

/** The id of the key a stored value is sealed with, or null for a plain value. */
export function sealedWith(stored: string): string | null {
  return isSealed(stored) ? (stored.slice(PREFIX.length).split(':', 1)[0] ?? null) : null
}

const OPENED_CACHE_SIZE = 1000

export class SecretBox {
  readonly #current: Key | null
  readonly #previous: Key | null
  // The dispatcher opens the same few secrets for every attempt: remember what was opened.
  readonly #opened = new Map<string, string>()

  private constructor(current: Key | null, previous: Key | null) {
    this.#current = current
    this.#previous = previous
  }

  static async create(current: Uint8Array<ArrayBuffer> | null, previous: Uint8Array<ArrayBuffer> | null = null): Promise<SecretBox> {
    return new SecretBox(current ? await importKey(current) : null, previous ? await importKey(previous) : null)
  }

  /** No key: secrets are stored as given. */
  static plain(): SecretBox {
    return new SecretBox(null, null)
  }

  get sealing(): boolean {
    return this.#current !== null
  }

  get currentKeyId(): string | null {
    return this.#current?.id ?? null
  }

  /** Whether this box holds the key `stored` was sealed with (always true for a plain value). */
  canOpen(stored: string): boolean {
    const id = sealedWith(stored)
    return id === null || id === this.#current?.id || id === this.#previous?.id
  }

  async seal(plain: string, rowId: string): Promise<string> {
    if (!this.#current) return plain
    const nonce = globalThis.crypto.getRandomValues(new Uint8Array(12))
    const sealed = await globalThis.crypto.subtle.encrypt(
      { name: 'AES-GCM', iv: nonce, additionalData: new TextEncoder().encode(rowId) },
      this.#current.crypto,
      new TextEncoder().encode(plain),
    )
    return `${PREFIX}${this.#current.id}:${Buffer.from(nonce).toString('base64url')}:${Buffer.from(sealed).toString('base64url')}`
  }

  async open(stored: string, rowId: string): Promise<string> {
    if (!isSealed(stored)) return stored
    const cacheKey = `${rowId}\n${stored}`
    const cached = this.#opened.get(cacheKey)
    if (cached !== undefined) return cached
    const [id, nonce, sealed] = stored.slice(PREFIX.length).split(':')
    const key = [this.#current, this.#previous].find((k) => k?.id === id)
    if (!key || !nonce || !sealed) throw new SealedSecretError(`sealed with key ${id}, which is not CREWBASE_SECRET_KEY or CREWBASE_SECRET_KEY_PREVIOUS`)
    let plain: string
    try {
      const opened = await globalThis.crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: Buffer.from(nonce, 'base64url'), additionalData: new TextEncoder().encode(rowId) },
        key.crypto,
        Buffer.from(sealed, 'base64url'),
      )
      plain = new TextDecoder().decode(opened)
    } catch {
      throw new SealedSecretError(`a secret of ${rowId} does not open with key ${id} (altered, or moved from another row)`)
    }
    if (this.#opened.size >= OPENED_CACHE_SIZE) this.#opened.delete(this.#opened.keys().next().value!)
    this.#opened.set(cacheKey, plain)
    return plain
  }
}
