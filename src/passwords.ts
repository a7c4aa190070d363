/**
 * Password hashing, handed in through AppDeps so it runs before a transaction opens (it takes
 * ~100 ms of CPU on a worker thread; holding the database meanwhile stalled every request).
 * Production always uses argon2id; tests may pass a cheaper cost of the same algorithm.
 */
export interface Passwords {
  hash(password: string): Promise<string>
  /** With `hash` null (unknown email), checks against a fixed hash so the answer takes as long. */
  verify(password: string, hash: string | null): Promise<boolean>
}

// A fixed argon2id hash (Bun.password's default cost) of a random value nobody kept:
// hashing one at start-up would add ~200 ms to every start.
const DUMMY_HASH = '$argon2id$v=19$m=65536,t=2,p=1$0mVdQb4g2liEs/spo2C1WdysaM/WBuXYCzrd6dKhnRU$/amEdPhCQNKgKEAGiGnPSj/+oa8HuUXnH9JOwPLZcaA'

/** argon2id at `memoryCost` KiB and `timeCost` passes (defaults: Bun's, 64 MiB and 2). */
export function argon2idPasswords(cost: { memoryCost: number; timeCost: number } = { memoryCost: 65536, timeCost: 2 }, dummyHash = DUMMY_HASH): Passwords {
  return {
    hash: (password) => Bun.password.hash(password, { algorithm: 'argon2id', ...cost }),
    verify: (password, hash) => Bun.password.verify(password, hash ?? dummyHash),
  }
}
