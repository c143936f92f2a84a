import { statusText } from '../usage/http-status-text';
import type { DeliveryAttempt, DeliveryErrorClass } from './deliveries-api';

export const ERROR_CLASS_LABELS: Record<DeliveryErrorClass, string> = {
  timeout: 'Timeout',
  refused: 'Connection refused',
  dns: 'DNS failure',
  tls: 'TLS error',
  blocked: 'Blocked address',
  non_2xx: 'Non-2xx answer',
  network: 'Network error',
  signing: 'Could not sign',
};

/** What went wrong in words an engineer can act on, and where to look. */
const EXPLANATIONS: Record<Exclude<DeliveryErrorClass, 'non_2xx'>, string> = {
  timeout: 'No complete answer arrived within your timeout. Answer 2xx first and do slow work afterwards, or raise the timeout on the Callback URLs page.',
  refused: 'The connection was refused: nothing listens on that host and port, or a firewall rejected Paygate’s address.',
  dns: 'The host name did not resolve. Check the URL’s spelling and your DNS records.',
  tls: 'The TLS handshake failed. Check that the certificate is valid, not expired, issued for this host name, and served with its full chain.',
  blocked:
    'Paygate refused to connect: the address resolves to a private, loopback or otherwise non-public network. Callback URLs must be reachable on the public internet.',
  network: 'The connection failed or was cut before a complete answer arrived (for example reset or closed early).',
  signing:
    'Paygate could not sign the callback, so it was not sent: no readable API secret. Tell your Paygate operator (the master key may have changed); rotating the API secret also fixes it.',
};

const ERROR_CLASSES: readonly string[] = ['timeout', 'refused', 'dns', 'tls', 'blocked', 'non_2xx', 'network', 'signing'];

export function isErrorClass(value: string): value is DeliveryErrorClass {
  return ERROR_CLASSES.includes(value);
}

/** Why an HTTP answer did (or did not) count as delivered. */
function explainStatus(status: number): string {
  const reason = statusText(status);
  const answered = `Your endpoint answered ${status}${reason === '' ? '' : ` ${reason}`}`;
  if (status >= 200 && status < 300) return `${answered}: delivered.`;
  if (status >= 300 && status < 400) return `${answered}. Redirects are not followed: point the callback URL at the final address.`;
  if (status === 429 || status === 503)
    return `${answered}. Only 2xx counts as delivered; a Retry-After header is honoured for the next attempt (up to an hour).`;
  if (status >= 500) return `${answered}. Only 2xx counts as delivered: check your endpoint’s logs for this webhook-id.`;
  return `${answered}. Only 2xx counts as delivered: check that the URL is right and that your endpoint accepts the callback (often its signature check).`;
}

export function explainAttempt(attempt: Pick<DeliveryAttempt, 'statusCode' | 'errorClass'>): string {
  if (attempt.statusCode !== null) return explainStatus(attempt.statusCode);
  if (attempt.errorClass === null || attempt.errorClass === 'non_2xx') return 'No answer was recorded.';
  return EXPLANATIONS[attempt.errorClass];
}
