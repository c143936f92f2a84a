/**
 * The hosted deposit page's script (served as /assets/deposit-page.js, no dependencies). The page
 * is complete without it; this adds copy buttons, the countdown, and live status without reloads:
 * it polls the page's status endpoint, backs off when told to (429 Retry-After), and sends the
 * customer to the merchant's redirect URL once the deposit is confirmed.
 */

type State = 'waiting' | 'seen' | 'confirming' | 'confirmed' | 'failed' | 'underpaid' | 'expired';

interface PageConfig {
  readonly statusUrl: string;
  readonly state: State;
  readonly expiresAt: string;
  readonly serverTime: string;
  readonly merchant: string;
  readonly strings: Readonly<Record<string, string>>;
}

interface Status {
  readonly state: State;
  readonly expiresAt: string;
  readonly serverTime: string;
  readonly deposit: { amount: string; asset: string; confirmations: number; requiredConfirmations: number } | null;
  readonly redirectUrl: string | null;
}

const POLL_MS = 3000;
const REDIRECT_DELAY_MS = 2500;
const FINAL: readonly State[] = ['confirmed', 'failed', 'expired'];

function readConfig(): PageConfig | null {
  const text = document.getElementById('deposit-page-config')?.textContent;
  if (text === undefined || text === null) return null;
  return JSON.parse(text) as PageConfig;
}

function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (values[name] === undefined ? whole : String(values[name])));
}

function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const hh = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${mm}:${ss}` : `${mm}:${ss}`;
}

function start(config: PageConfig): void {
  const t = (key: string, values: Record<string, string | number> = {}) => fill(config.strings[key] ?? key, { merchant: config.merchant, ...values });
  const statusText = document.querySelector<HTMLElement>('[data-status]');
  const progress = document.querySelector<HTMLProgressElement>('[data-progress]');
  const countdown = document.querySelector<HTMLElement>('[data-countdown]');
  // Server time minus this browser's, so a wrong device clock does not shorten the countdown.
  let skewMs = Date.parse(config.serverTime) - Date.now();
  let expiresAt = Date.parse(config.expiresAt);
  let state: State = config.state;
  let redirecting = false;

  // ── copy buttons ──
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-copy]')) {
    const label = button.textContent ?? '';
    button.addEventListener('click', () => {
      const value = button.dataset.copy ?? '';
      navigator.clipboard.writeText(value).then(
        () => {
          button.textContent = t('copied');
          window.setTimeout(() => {
            button.textContent = label;
          }, 2000);
        },
        () => {
          button.textContent = t('copyFailed');
        },
      );
    });
  }

  // ── countdown ──
  const tick = () => {
    if (countdown === null) return;
    const left = (expiresAt - (Date.now() + skewMs)) / 1000;
    countdown.hidden = state !== 'waiting';
    countdown.textContent = t('expiresIn', { time: clock(left) });
  };
  tick();
  const ticker = window.setInterval(tick, 1000);

  // ── live status ──
  const render = (status: Status) => {
    state = status.state;
    expiresAt = Date.parse(status.expiresAt);
    skewMs = Date.parse(status.serverTime) - Date.now();
    document.body.dataset.state = state;
    const d = status.deposit;
    const text = t(`state.${state}`, {
      confirmations: d?.confirmations ?? 0,
      required: d?.requiredConfirmations ?? 0,
      received: d === null ? '' : `${d.amount} ${d.asset}`,
    });
    if (statusText !== null && statusText.textContent !== text) statusText.textContent = text;
    if (progress !== null) {
      const show = d !== null && state !== 'confirmed' && d.requiredConfirmations > 0;
      progress.hidden = !show;
      if (show) {
        progress.max = d.requiredConfirmations;
        progress.value = d.confirmations;
      }
    }
    tick();
    if (state === 'confirmed' && status.redirectUrl !== null && !redirecting) {
      redirecting = true;
      const target = status.redirectUrl;
      const note = document.createElement('p');
      note.className = 'redirect';
      note.setAttribute('data-redirect', '');
      note.append(`${t('redirecting')} `);
      const link = document.createElement('a');
      link.href = target;
      link.textContent = t('continue');
      note.append(link);
      if (document.querySelector('[data-redirect]') === null) statusText?.after(note);
      window.setTimeout(() => window.location.assign(target), REDIRECT_DELAY_MS);
    }
  };

  const poll = async (): Promise<void> => {
    let wait = POLL_MS;
    try {
      const response = await fetch(config.statusUrl, { cache: 'no-store', headers: { accept: 'application/json' } });
      if (response.status === 429) {
        const retry = Number(response.headers.get('retry-after'));
        wait = Number.isFinite(retry) && retry > 0 ? retry * 1000 : POLL_MS * 4;
      } else if (response.ok) {
        render((await response.json()) as Status);
      }
    } catch {
      // Offline for a moment: keep the last status and try again later.
      wait = POLL_MS * 2;
    }
    if (FINAL.includes(state)) {
      window.clearInterval(ticker);
      tick();
      return;
    }
    // Poll less often while the tab is hidden.
    window.setTimeout(() => void poll(), document.hidden ? wait * 4 : wait);
  };
  if (!FINAL.includes(state)) window.setTimeout(() => void poll(), POLL_MS);
  else if (state === 'confirmed') void poll();
}

const config = readConfig();
if (config !== null) start(config);
