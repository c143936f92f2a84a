import { escapeHtml as h, jsonForScript } from './html.js';
import { format, type MessageKey, type Messages } from './messages.js';
import { qrSvg } from './qr-svg.js';
import type { DepositPage, DepositStatus, PageOption } from './service.js';

/** The page's Content-Security-Policy: its own script, style and status endpoint; nothing external, no inline script. */
export const PAGE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Where the page's script and style are served (same origin; the version busts caches on upgrade). */
export interface PageAssets {
  readonly scriptUrl: string;
  readonly styleUrl: string;
}

/** Client-side strings: the status texts the script switches between, already in the page's language. */
const CLIENT_KEYS = [
  'state.waiting',
  'state.seen',
  'state.confirming',
  'state.confirmed',
  'state.failed',
  'state.underpaid',
  'state.expired',
  'redirecting',
  'continue',
  'copied',
  'copyFailed',
  'expiresIn',
] as const satisfies readonly MessageKey[];

function layout(m: Messages, lang: string, title: string, assets: PageAssets, body: string, state: string): string {
  return (
    `<!doctype html><html lang="${h(lang)}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex, nofollow">' +
    '<link rel="icon" href="data:,">' +
    `<title>${h(title)}</title><link rel="stylesheet" href="${h(assets.styleUrl)}"></head>` +
    `<body data-state="${h(state)}"><main class="card">${body}<p class="footer">${h(m.poweredBy)}</p></main></body></html>`
  );
}

/** A page that explains why there is nothing to pay (expired or unknown link), without any detail of the link. */
export function renderGonePage(m: Messages, lang: string, assets: PageAssets, page: { kind: 'invalid' } | { kind: 'expired'; merchant: string }): string {
  const title = page.kind === 'expired' ? m.expiredTitle : m.invalidTitle;
  const body = page.kind === 'expired' ? format(m.expiredBody, { merchant: page.merchant }) : m.invalidBody;
  return layout(m, lang, title, assets, `<h1>${h(title)}</h1><p class="lead">${h(body)}</p>`, page.kind);
}

export function statusText(m: Messages, status: DepositStatus, merchant: string): string {
  const d = status.deposit;
  return format(m[`state.${status.state}`], {
    merchant,
    confirmations: d?.confirmations ?? 0,
    required: d?.requiredConfirmations ?? 0,
    received: d === null ? '' : `${d.amount} ${d.asset}`,
  });
}

function remaining(status: DepositStatus): string {
  const seconds = Math.max(0, Math.floor((Date.parse(status.expiresAt) - Date.parse(status.serverTime)) / 1000));
  const hh = Math.floor(seconds / 3600);
  const mm = String(Math.floor((seconds % 3600) / 60)).padStart(2, '0');
  const ss = String(seconds % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${mm}:${ss}` : `${mm}:${ss}`;
}

function optionList(m: Messages, options: readonly PageOption[]): string {
  const items = options
    .map(
      (o) =>
        `<li><a class="option" href="?pay=${encodeURIComponent(o.key)}" data-testid="option">` +
        `<span class="asset">${h(o.asset)}</span><span class="network">${h(o.network)} · ${h(o.displayName)}</span>` +
        (o.amountDue === null ? '' : `<span class="due">${h(o.amountDue)} ${h(o.asset)}</span>`) +
        '</a></li>',
    )
    .join('');
  return `<section class="instructions" aria-labelledby="choose"><h2 id="choose">${h(m.chooseCurrency)}</h2><p class="hint">${h(m.chooseHint)}</p><ul class="options">${items}</ul></section>`;
}

function instructions(m: Messages, option: PageOption, canChange: boolean): string {
  const amount =
    option.amountDue === null
      ? `<p class="hint">${h(m.amountAny)}</p>`
      : `<div class="field"><p class="label" id="amount-label">${h(m.amountLabel)}</p>` +
        `<p class="value"><strong class="amount" data-testid="amount">${h(option.amountDue)}</strong> ${h(option.asset)} ` +
        `<button type="button" class="copy" data-copy="${h(option.amountDue)}" aria-label="${h(m.copyAmount)}">${h(m.copy)}</button></p>` +
        (option.requestedValue === null
          ? ''
          : `<p class="hint" data-testid="requested-value">${h(format(m.amountApprox, { value: option.requestedValue }))}</p>`) +
        '</div>';
  const qrLabel =
    option.amountDue === null
      ? format(m.qrLabelNoAmount, { address: option.address })
      : format(m.qrLabel, { amount: `${option.amountDue} ${option.asset}`, address: option.address });
  return (
    `<section class="instructions" aria-labelledby="pay-heading"><h2 id="pay-heading">${h(option.asset)} · ${h(option.network)}</h2>` +
    (canChange ? `<p><a class="change" href="?">${h(m.changeCurrency)}</a></p>` : '') +
    amount +
    `<figure class="qr-box" data-payment-uri="${h(option.paymentUri)}">${qrSvg(option.paymentUri, qrLabel)}<figcaption class="hint">${h(m.qrHint)}</figcaption></figure>` +
    `<div class="field"><p class="label" id="address-label">${h(format(m.addressLabel, { network: option.network }))}</p>` +
    `<p class="value"><code class="address" data-testid="address" aria-labelledby="address-label">${h(option.address)}</code> ` +
    `<button type="button" class="copy" data-copy="${h(option.address)}" aria-label="${h(m.copyAddress)}">${h(m.copy)}</button></p></div>` +
    `<p class="warning" role="note">${h(format(m.networkWarning, { asset: option.asset, network: option.network }))}</p></section>`
  );
}

/** The open page: choice of currency (or the chosen one's instructions), live status and countdown. */
export function renderOpenPage(
  m: Messages,
  lang: string,
  assets: PageAssets,
  page: Extract<DepositPage, { kind: 'open' }>,
  chosen: string | undefined,
  statusUrl: string,
): string {
  const { status } = page;
  const selected = page.options.find((o) => o.key === chosen) ?? (page.options.length === 1 ? page.options[0] : undefined);
  const redirect =
    status.redirectUrl === null
      ? ''
      : `<p class="redirect" data-redirect>${h(format(m.redirecting, { merchant: page.merchant }))} <a href="${h(status.redirectUrl)}">${h(m.continue)}</a></p>`;
  const deposit = status.deposit;
  const progress =
    deposit !== null && status.state !== 'confirmed' && deposit.requiredConfirmations > 0
      ? `<progress data-progress max="${deposit.requiredConfirmations}" value="${deposit.confirmations}" aria-label="${h(m.statusLabel)}"></progress>`
      : '<progress data-progress hidden max="1" value="0"></progress>';
  const config = {
    statusUrl,
    state: status.state,
    expiresAt: status.expiresAt,
    serverTime: status.serverTime,
    merchant: page.merchant,
    strings: Object.fromEntries(CLIENT_KEYS.map((k) => [k, m[k]])),
  };
  const body =
    (page.environment === 'sandbox' ? `<p class="banner" role="note">${h(m.sandboxBanner)}</p>` : '') +
    `<p class="merchant">${h(format(m.merchantLine, { merchant: page.merchant }))}</p><h1>${h(m.heading)}</h1>` +
    `<section class="status" aria-labelledby="status-heading"><h2 id="status-heading" class="visually-hidden">${h(m.statusLabel)}</h2>` +
    `<p class="status-text" role="status" aria-live="polite" data-testid="status" data-status>${h(statusText(m, status, page.merchant))}</p>${progress}${redirect}` +
    `<p class="countdown" data-countdown${status.state === 'waiting' ? '' : ' hidden'}>${h(format(m.expiresIn, { time: remaining(status) }))}</p>` +
    `<noscript><p><a href="">${h(m.refresh)}</a></p></noscript></section>` +
    (selected === undefined ? optionList(m, page.options) : instructions(m, selected, page.options.length > 1)) +
    `<script type="application/json" id="deposit-page-config">${jsonForScript(config)}</script>` +
    `<script type="module" src="${h(assets.scriptUrl)}"></script>`;
  return layout(m, lang, format(m.pageTitle, { merchant: page.merchant }), assets, body, status.state);
}
