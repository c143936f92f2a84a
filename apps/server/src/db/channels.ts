/**
 * LISTEN/NOTIFY channels, in one place so publishers and subscribers cannot drift apart.
 * Payloads are plain ids; listeners re-read the database, never trust the payload for data.
 */
export const CHANNELS = {
  /** A BP's credentials or API identity changed (KeyPair, IP allowlist, name). Payload: bp id. */
  credentials: 'paygate_credentials',
  /** New callback deliveries are due. Payload: empty. */
  callbacks: 'paygate_callbacks',
} as const;
