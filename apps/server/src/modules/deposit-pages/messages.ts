/**
 * Every text of the hosted deposit page, per locale. Placeholders are `{name}`. Add a locale by
 * adding an object with the same keys (TypeScript enforces that) and listing it in LOCALES.
 */
const en = {
  pageTitle: 'Pay {merchant}',
  heading: 'Complete your payment',
  merchantLine: 'Payment to {merchant}',
  chooseCurrency: 'Choose what to pay with',
  chooseHint: 'Pick a currency and network. Your wallet must support the one you pick.',
  changeCurrency: 'Pay with something else',
  amountLabel: 'Amount to send',
  amountAny: 'Send any amount.',
  amountApprox: 'That is {value} at the current exchange rate.',
  addressLabel: 'Deposit address ({network})',
  copy: 'Copy',
  copyAddress: 'Copy the address',
  copyAmount: 'Copy the amount',
  copied: 'Copied',
  copyFailed: 'Could not copy; select the text and copy it',
  qrLabel: 'QR code for paying {amount} to {address}',
  qrLabelNoAmount: 'QR code of the address {address}',
  qrHint: 'Scan with your wallet app.',
  networkWarning: 'Send only {asset} on the {network} network to this address. Anything else may be lost.',
  expiresIn: 'This payment request expires in {time}.',
  expiresAt: 'Expires at {time} (UTC).',
  statusLabel: 'Payment status',
  'state.waiting': 'Waiting for your payment…',
  'state.seen': 'Payment seen on the network. Waiting for confirmations…',
  'state.confirming': 'Payment seen: {confirmations} of {required} confirmations.',
  'state.confirmed': 'Payment confirmed. Thank you!',
  'state.failed': 'The payment failed on the network. Nothing was received; please try again or contact {merchant}.',
  'state.underpaid': 'We received {received}, which is less than requested. Please contact {merchant}.',
  'state.expired': 'This payment request has expired.',
  redirecting: 'Taking you back to {merchant}…',
  continue: 'Continue',
  refresh: 'Refresh status',
  expiredTitle: 'This payment link has expired',
  expiredBody: 'The time to pay with this link is over. Please go back to {merchant} and start the payment again to get a new link.',
  invalidTitle: 'This payment link is not valid',
  invalidBody: 'Check that you copied the whole link, or go back to the shop and start the payment again.',
  sandboxBanner: 'Test mode: no real money moves on this page.',
  poweredBy: 'Secured by Paygate',
} as const;

export type MessageKey = keyof typeof en;
export type Messages = Readonly<Record<MessageKey, string>>;

export const LOCALES: Readonly<Record<string, Messages>> = { en };
export const DEFAULT_LOCALE = 'en';

/** The best locale we have for an `Accept-Language` header (falls back to English). */
export function negotiateLocale(acceptLanguage: string | undefined): string {
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.split(';')[0]?.trim().toLowerCase() ?? '';
    const base = tag.split('-')[0] ?? '';
    if (LOCALES[tag] !== undefined) return tag;
    if (LOCALES[base] !== undefined) return base;
  }
  return DEFAULT_LOCALE;
}

export function messagesFor(locale: string): Messages {
  return LOCALES[locale] ?? en;
}

/** Fill `{name}` placeholders. */
export function format(template: string, values: Readonly<Record<string, string | number>> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = values[name];
    return value === undefined ? whole : String(value);
  });
}
