import type { ReactNode } from 'react';

/** One term and its value in a details list (<dl className="details">). */
export function Fact({ term, children }: { readonly term: string; readonly children: ReactNode }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </>
  );
}
