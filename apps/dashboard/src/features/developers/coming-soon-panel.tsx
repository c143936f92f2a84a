/** An honest placeholder: the feature is planned, and this is what it will do. */
export function ComingSoonPanel({ description }: { readonly description: string }) {
  return (
    <section className="panel coming-soon" aria-label="Coming soon">
      <span className="badge badge-info">Coming soon</span>
      <p>{description}</p>
    </section>
  );
}
