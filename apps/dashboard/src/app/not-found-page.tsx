import { Link } from 'wouter';
import { HOME_PATH } from './navigation';

export function NotFoundPage() {
  return (
    <section className="panel empty-state">
      <h1>Page not found</h1>
      <p className="muted">There is nothing at this address.</p>
      <Link to={HOME_PATH} className="btn">
        Go to the developer overview
      </Link>
    </section>
  );
}
