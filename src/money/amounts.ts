/**
 * Money arithmetic, exact: amounts are integer minor units, quantities are integer
 * thousandths, and every product is computed in BigInt so no float ever touches money.
 *
 * The rounding rule (README "Money", OpenAPI descriptions):
 *   line subtotal = round_half_away_from_zero(quantity × unit_price_cents)
 *   line tax      = round_half_away_from_zero(line subtotal × tax_rate_bps / 10000)
 *   document subtotal / tax = sums of the lines'; total = subtotal + tax
 */

/** Largest amount any field, line or document may reach (10^14 minor units), far below 2^53. */
export const MAX_AMOUNT_CENTS = 100_000_000_000_000
/** Largest quantity of one line. */
export const MAX_QUANTITY = 1_000_000
/** Quantities carry at most this many decimals (1.5 hours, 2.125 m³). */
export const QUANTITY_DECIMALS = 3
const QUANTITY_SCALE = 10n ** BigInt(QUANTITY_DECIMALS)
const BPS_SCALE = 10_000n

/** n / d rounded to the nearest integer, halves away from zero (d > 0). */
export function divideRoundHalfAwayFromZero(n: bigint, d: bigint): bigint {
  const quotient = n / d
  const remainder = n % d
  const twice = (remainder < 0n ? -remainder : remainder) * 2n
  if (twice < d) return quotient
  return n < 0n ? quotient - 1n : quotient + 1n
}

/**
 * A JSON quantity as exact thousandths, or null when it has more than 3 decimals.
 * JSON numbers arrive as doubles; their shortest round-trip text ("1.005") is what the
 * caller wrote, so the digits are read from that text, never multiplied as a float.
 */
export function quantityToThousandths(quantity: number): bigint | null {
  if (!Number.isFinite(quantity) || quantity < 0) return null
  const text = String(quantity)
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text)
  if (!match) return null // exponent notation: far too small or too large for a quantity
  const fraction = match[2] ?? ''
  if (fraction.length > QUANTITY_DECIMALS) return null
  return BigInt(match[1]!) * QUANTITY_SCALE + BigInt(fraction.padEnd(QUANTITY_DECIMALS, '0'))
}

/** Thousandths back to the JSON number the caller sent (1005 → 1.005; division is correctly rounded). */
export function thousandthsToQuantity(thousandths: number): number {
  return thousandths / Number(QUANTITY_SCALE)
}

export interface LineAmounts {
  subtotal: bigint
  tax: bigint
}

export function lineAmounts(quantityThousandths: bigint, unitPriceCents: bigint, taxRateBps: bigint): LineAmounts {
  const subtotal = divideRoundHalfAwayFromZero(quantityThousandths * unitPriceCents, QUANTITY_SCALE)
  const tax = divideRoundHalfAwayFromZero(subtotal * taxRateBps, BPS_SCALE)
  return { subtotal, tax }
}

export interface DocumentTotals {
  subtotal_cents: number
  tax_cents: number
  total_cents: number
}

/** Sums of the lines' amounts; callers check the result against MAX_AMOUNT_CENTS. */
export function documentTotals(lines: LineAmounts[]): { subtotal: bigint; tax: bigint; total: bigint } {
  let subtotal = 0n
  let tax = 0n
  for (const line of lines) {
    subtotal += line.subtotal
    tax += line.tax
  }
  return { subtotal, tax, total: subtotal + tax }
}

export const withinAmountLimit = (value: bigint) => value >= 0n && value <= BigInt(MAX_AMOUNT_CENTS)
