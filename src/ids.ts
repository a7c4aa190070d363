import { randomBytes } from 'node:crypto'

// Crockford base32, lowercase: ids sort by creation time as plain strings (ULID layout).
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'

let lastTime = 0
let lastRandom = new Uint8Array(10)

function encode(bytes: Uint8Array, chars: number): string {
  let bits = 0
  let value = 0
  let out = ''
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
    value &= (1 << bits) - 1
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31]
  return out.slice(0, chars)
}

function nextRandom(now: number): Uint8Array {
  if (now <= lastTime) {
    // Same millisecond (or clock went back): increment so ids stay strictly increasing.
    const next = new Uint8Array(lastRandom)
    for (let i = next.length - 1; i >= 0; i--) {
      const byte = next[i] ?? 0
      if (byte === 255) next[i] = 0
      else {
        next[i] = byte + 1
        break
      }
    }
    lastRandom = next
    return next
  }
  lastTime = now
  lastRandom = new Uint8Array(randomBytes(10))
  return lastRandom
}

function encodeTime(ms: number): string {
  let time = ''
  let t = ms
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time
    t = Math.floor(t / 32)
  }
  return time
}

/** A new time-ordered id such as `job_01jd3k…`: 10 chars of milliseconds, 16 of randomness (ULID layout). */
export function newId(prefix: string): string {
  const now = Math.max(Date.now(), lastTime)
  return `${prefix}_${encodeTime(now)}${encode(nextRandom(now), 16)}`
}

/** Sorts after every id of `prefix` made before `time` and before every one made at or after it. */
export function idFloor(prefix: string, time: Date): string {
  return `${prefix}_${encodeTime(time.getTime())}`
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** Uniform random base62 string (rejection sampling keeps every character equally likely). */
export function randomBase62(length: number): string {
  let out = ''
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += BASE62[byte % 62]
      if (out.length === length) break
    }
  }
  return out
}
