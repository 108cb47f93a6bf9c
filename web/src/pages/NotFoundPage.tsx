import { Link } from 'react-router-dom';
import { usePageTitle } from '../usePageTitle';

export function NotFoundPage() {
  usePageTitle('Not found');
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        There is no page at this address. <Link to="/">Go to Home</Link>
      </p>
    </section>
  );
}
