import { t } from 'elysia'
import { invalid } from '../http/errors'

/**
 * Circulating ISO 4217 currencies (fund, metal and test codes such as XAU or XXX are
 * left out: nobody invoices a repair in them). Kept static so the binary does not depend
 * on the ICU data it was built with.
 */
export const CURRENCIES = new Set(
  (
    'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD ' +
    'CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD ' +
    'GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT ' +
    'LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR ' +
    'NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP ' +
    'STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG ' +
    'XOF XPF YER ZAR ZMW ZWG'
  ).split(' '),
)

const CURRENCY =
  'ISO 4217 code in upper case (`USD`, `EUR`, `JPY`); every `*_cents` amount is in this currency’s minor unit (cents, yen…)'
export const CurrencyCode = (description = CURRENCY) => t.String({ minLength: 3, maxLength: 3, description, examples: ['USD'] })

export const isCurrency = (code: string) => CURRENCIES.has(code)

/** 400 naming `field` unless `code` is a circulating ISO 4217 code in upper case. */
export function assertCurrency(code: string, field: string): string {
  if (!isCurrency(code)) throw invalid(field, `must be an ISO 4217 currency code in upper case, such as USD or EUR (got ${JSON.stringify(code)})`)
  return code
}
