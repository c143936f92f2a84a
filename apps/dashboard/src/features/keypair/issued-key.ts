/**
 * What the page shows once after issuing a KeyPair. For a generated key this holds the private
 * key, so it lives only in the page's state and is dropped when the user confirms they saved it.
 */
export interface IssuedKey {
  readonly keyId: string;
  /** Null when the user uploaded their own public key: Paygate never saw the private half. */
  readonly secret: { readonly privateKey: string; readonly keyFile: string } | null;
}
