/** A grey placeholder the size of content that is still loading, so the layout does not jump when it arrives. */
export function Skeleton({ width, height, className }: { readonly width?: number | string; readonly height: number | string; readonly className?: string }) {
  return <span className={className === undefined ? 'skeleton' : `skeleton ${className}`} style={{ width, height }} aria-hidden="true" />;
}
