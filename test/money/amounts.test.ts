import { describe, expect, test } from 'bun:test'
import fc from 'fast-check'
import {
  divideRoundHalfAwayFromZero,
  lineAmounts,
  MAX_QUANTITY,
  quantityToThousandths,
  thousandthsToQuantity,
} from '../../src/money/amounts'
import { expectedLine } from './oracle'

const line = (quantity: number, unit: number, bps: number) => {
  const amounts = lineAmounts(quantityToThousandths(quantity)!, BigInt(unit), BigInt(bps))
  return { subtotal: Number(amounts.subtotal), tax: Number(amounts.tax) }
}

describe('the rounding rule', () => {
  // [quantity, unit_price_cents, tax_rate_bps, subtotal, tax, why]
  const awkward: Array<[number, number, number, number, number, string]> = [
    [1.005, 100, 0, 101, 0, '100.5 rounds up; 1.005 * 100 in floats is 100.49999…'],
    [2.5, 1, 0, 3, 0, 'a half rounds away from zero, not to even'],
    [0.5, 1, 0, 1, 0, 'half a cent is a cent'],
    [0.333, 3, 0, 1, 0, '0.999 rounds to 1'],
    [0.001, 1, 0, 0, 0, 'a thousandth of a cent is nothing'],
    [1, 100, 50, 100, 1, 'tax of exactly 0.5 rounds up'],
    [1, 1, 50, 1, 0, 'tax of 0.005 rounds to 0'],
    [1, 1999, 825, 1999, 165, '164.9175 → 165'],
    [1.5, 9500, 825, 14250, 1176, '1175.625 → 1176'],
    [8.675, 37, 0, 321, 0, '320.975 → 321'],
    [1.115, 1000, 0, 1115, 0, 'exact'],
    [0.1, 3, 0, 0, 0, '0.3 → 0'],
    [3, 33, 10000, 99, 99, 'a 100 % tax doubles'],
    [MAX_QUANTITY, 100_000_000, 0, 100_000_000_000_000, 0, 'the largest line still exact'],
  ]
  for (const [quantity, unit, bps, subtotal, tax, why] of awkward) {
    test(`${quantity} × ${unit} at ${bps} bps is ${subtotal} + ${tax} (${why})`, () => {
      expect(line(quantity, unit, bps)).toEqual({ subtotal, tax })
      const oracle = expectedLine(String(quantity), unit, bps)
      expect([oracle.subtotal_cents, oracle.tax_cents]).toEqual([subtotal, tax])
    })
  }

  test('agrees with an independent digit-by-digit calculation on random lines', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: MAX_QUANTITY * 1000 }),
        fc.integer({ min: 0, max: 100_000_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        (thousandths, unit, bps) => {
          const text = `${Math.floor(thousandths / 1000)}.${String(thousandths % 1000).padStart(3, '0')}`
          const quantity = Number(text) // what a client's JSON.stringify sends
          const oracle = expectedLine(text, unit, bps)
          expect(line(quantity, unit, bps)).toEqual({ subtotal: oracle.subtotal_cents, tax: oracle.tax_cents })
        },
      ),
      { numRuns: 2000 },
    )
  })

  test('halves round away from zero in both directions', () => {
    expect(divideRoundHalfAwayFromZero(5n, 2n)).toBe(3n)
    expect(divideRoundHalfAwayFromZero(-5n, 2n)).toBe(-3n)
    expect(divideRoundHalfAwayFromZero(7n, 4n)).toBe(2n)
    expect(divideRoundHalfAwayFromZero(-7n, 4n)).toBe(-2n)
    expect(divideRoundHalfAwayFromZero(4n, 4n)).toBe(1n)
  })
})

describe('quantities', () => {
  test('are read from their decimal text, never multiplied as floats', () => {
    expect(quantityToThousandths(1.005)).toBe(1005n)
    expect(quantityToThousandths(1.5)).toBe(1500n)
    expect(quantityToThousandths(1000000)).toBe(1_000_000_000n)
    expect(thousandthsToQuantity(1005)).toBe(1.005)
  })

  test('with more than three decimals, float noise or exponents are refused', () => {
    expect(quantityToThousandths(1.0005)).toBeNull()
    expect(quantityToThousandths(0.1 + 0.2)).toBeNull()
    expect(quantityToThousandths(1e-7)).toBeNull()
    expect(quantityToThousandths(1e21)).toBeNull()
    expect(quantityToThousandths(Number.NaN)).toBeNull()
  })
})
