import { beforeAll, describe, expect, test } from 'bun:test'
import fc from 'fast-check'
import { createTestApp } from '../helpers/app'
import { createIngressUrl, sendActivity, type TestApp } from './fixtures'

// The generated OpenAPI document cannot reach past an ingress token, so this walks the
// activity body itself with hostile values against a live URL: never a 5xx, always the envelope.
const SEED = Number(process.env.FUZZ_SEED ?? 20261122)
const RUNS = Number(process.env.FUZZ_RUNS ?? 150)

const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '\ud800', '\uFEFF\u202E', '<script>', "'; DROP TABLE activities; --", '__proto__', 'x'.repeat(300)),
)
const hostileTime = fc.oneof(
  fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2026-02-29T00:00:00Z', '0000-01-01T00:00:00Z', '0001-01-01T00:00:00+01:00', '2026-03-02T14:05:00-23:59', '2026-03-02'),
  hostileString,
)
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 4 }),
  // Objects that cannot be converted to a string (Elysia words its errors with `${value}`).
  fc.constantFrom({ toString: 1 }, { valueOf: {} }, [{ toString: [] }], { __proto__: null, constructor: 1 }),
)

/** Mostly a good value, sometimes a hostile one: so bodies reach storage as well as validation. */
const mostly = (good: fc.Arbitrary<unknown>, bad: fc.Arbitrary<unknown> = hostileValue) =>
  fc.oneof({ arbitrary: good, weight: 6 }, { arbitrary: bad, weight: 1 })

const activity = (memberEmail: string) =>
  fc.record(
    {
      title: mostly(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 })),
      description: mostly(fc.string({ unit: 'grapheme', maxLength: 200 })),
      startTime: mostly(fc.constantFrom('2026-03-02T14:05:00Z', '2026-03-02T14:05:00+14:00'), hostileTime),
      endTime: mostly(fc.constantFrom('2026-03-02T15:00:00Z', '9999-12-31T23:59:59Z'), hostileTime),
      trigger: mostly(fc.string({ maxLength: 50 })),
      event: mostly(fc.string({ maxLength: 50 })),
      memberEmail: mostly(fc.constantFrom(memberEmail, memberEmail.toUpperCase()), fc.oneof(fc.emailAddress(), hostileValue)),
      externalId: mostly(fc.constantFrom('same-1', 'same-2', 'same-3'), fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), hostileValue)),
      metadata: mostly(fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 4 })),
    },
    { requiredKeys: [] },
  )

/** One body in ten also carries a field the contract does not know (always a 400). */
const body = (memberEmail: string) =>
  fc.tuple(activity(memberEmail), fc.nat(9), fc.string({ minLength: 1, maxLength: 10 }), hostileValue).map(
    ([fields, dice, name, value]) => (dice === 0 ? { ...fields, [`x-${name}`]: value } : fields),
  )

let ctx: TestApp
let path: string
let ownerEmail: string
beforeAll(async () => {
  ctx = await createTestApp({ env: { CREWBASE_RATE_LIMIT: '1000000' } })
  const seed = await ctx.seedOrg()
  ownerEmail = seed.user.email
  path = (await createIngressUrl(ctx, seed.key)).path
})

describe('fuzzing the activity body', () => {
  test(
    'hostile activities are stored (201/200) or refused with 400 in the envelope, never a 5xx',
    async () => {
      const seen = new Set<number>()
      await fc.assert(
        fc.asyncProperty(body(ownerEmail), async (sent) => {
          const res = await sendActivity(ctx, path, sent)
          seen.add(res.status)
          expect([200, 201, 400]).toContain(res.status)
          if (res.status === 400) {
            expect(res.body.error.code).toBe('validation_failed')
            expect(res.body.error.details.length).toBeGreaterThan(0)
          } else {
            expect(res.body.data.id).toMatch(/^act_/)
          }
        }),
        { seed: SEED, numRuns: RUNS },
      )
      // The walk reached storage, replays and refusals alike.
      expect([...seen].sort()).toEqual([200, 201, 400])
      expect((await ctx.call('GET', '/health')).status).toBe(200)
    },
    120_000,
  )
})
