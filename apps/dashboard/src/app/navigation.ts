export interface NavEntry {
  readonly path: string;
  readonly label: string;
  readonly icon: NavIcon;
}

export type NavIcon = 'overview' | 'logs' | 'transactions' | 'sandbox' | 'key' | 'secret' | 'callback' | 'deliveries' | 'shield' | 'audit' | 'team';

/** The Developers section of the sidebar, in the order integrators work through it. */
export const DEVELOPER_NAV: readonly NavEntry[] = [
  { path: '/developers/overview', label: 'Overview', icon: 'overview' },
  { path: '/developers/request-logs', label: 'Request logs', icon: 'logs' },
  { path: '/developers/transactions', label: 'Transactions', icon: 'transactions' },
  { path: '/developers/sandbox', label: 'Sandbox', icon: 'sandbox' },
  { path: '/developers/keypair', label: 'KeyPair', icon: 'key' },
  { path: '/developers/api-secret', label: 'API Secret', icon: 'secret' },
  { path: '/developers/callback-urls', label: 'Callback URLs', icon: 'callback' },
  { path: '/developers/deliveries', label: 'Deliveries', icon: 'deliveries' },
  { path: '/developers/ip-allowlist', label: 'IP allowlist', icon: 'shield' },
  { path: '/developers/audit-log', label: 'Audit log', icon: 'audit' },
  { path: '/developers/team', label: 'Team', icon: 'team' },
];

export const HOME_PATH = '/developers/overview';
