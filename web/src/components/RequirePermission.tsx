import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { access, allows, type Permission } from '../access';
import { roleLabels } from '../access';
import { useMe } from '../session';

/** Shows the page only to roles that may use it; the server refuses the others anyway. */
export function RequirePermission({ permission, children }: { readonly permission: Permission; readonly children: ReactNode }) {
  const me = useMe();
  if (allows(me.actor.roles, permission)) return children;
  return (
    <section>
      <h1>Not available to your roles</h1>
      <p>
        This page needs one of the roles: {access[permission].map((role) => roleLabels[role]).join(', ')}. Ask an administrator if you
        need it.
      </p>
      <p>
        <Link to="/">Go to Home</Link>
      </p>
    </section>
  );
}
