/**
 * An independent calculation of the documented rounding rule, written differently on
 * purpose: exact decimal digits of the product at whatever scale the quantity has, then
 * rounding by looking at the first dropped digit (half away from zero for amounts ≥ 0).
 */
function roundDigits(value: bigint, scale: number): bigint {
  const digits = value.toString().padStart(scale + 1, '0')
  const kept = BigInt(digits.slice(0, digits.length - scale))
  if (scale === 0) return kept
  return Number(digits[digits.length - scale]) >= 5 ? kept + 1n : kept
}

export function expectedLine(quantity: string, unitPriceCents: number, taxRateBps: number) {
  const [whole, fraction = ''] = quantity.split('.')
  const subtotal = roundDigits(BigInt(whole! + fraction) * BigInt(unitPriceCents), fraction.length)
  const tax = roundDigits(subtotal * BigInt(taxRateBps), 4)
  return { subtotal_cents: Number(subtotal), tax_cents: Number(tax), total_cents: Number(subtotal + tax) }
}

export function expectedDocument(lines: Array<{ quantity: string; unit_price_cents: number; tax_rate_bps: number }>) {
  let subtotal = 0
  let tax = 0
  for (const line of lines) {
    const amounts = expectedLine(line.quantity, line.unit_price_cents, line.tax_rate_bps)
    subtotal += amounts.subtotal_cents
    tax += amounts.tax_cents
  }
  return { subtotal_cents: subtotal, tax_cents: tax, total_cents: subtotal + tax }
}
