/**
 * A secret just created by a rotation, shown once on the page. It lives only in the page's state
 * and is dropped when the user confirms they saved it (it can be revealed again later).
 */
export interface IssuedSecret {
  readonly id: string;
  readonly secret: string;
  /** When the previous secret stops signing. */
  readonly previousExpiresAt: string;
  readonly overlapSeconds: number;
}
