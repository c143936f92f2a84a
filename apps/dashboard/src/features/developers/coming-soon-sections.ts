export interface ComingSoonSection {
  readonly path: string;
  readonly title: string;
  readonly description: string;
}

/** Developer pages that are not built yet; each says plainly what it will do. */
export const COMING_SOON_SECTIONS: readonly ComingSoonSection[] = [
  {
    path: '/developers/api-secret',
    title: 'API Secret',
    description: 'Reveal and rotate the API secret that identifies your backend, after confirming it is you.',
  },
  {
    path: '/developers/callback-urls',
    title: 'Callback URLs',
    description: 'Register the HTTPS endpoints Paygate sends signed payment callbacks to, and send test events to them.',
  },
  {
    path: '/developers/deliveries',
    title: 'Deliveries',
    description: 'Inspect every callback delivery attempt with its response and timing, and retry the ones that failed.',
  },
];
