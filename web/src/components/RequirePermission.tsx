import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { access, allows, type Permission } from '../access';
import { roleLabels } from '../access';
import { useMe } from '../session';

interface RequirePermissionProps {
  /** One permission, or several of which any will do. */
  readonly permission: Permission | readonly Permission[];
  readonly children: ReactNode;
}

/** Shows the page only to roles that may use it; the server refuses the others anyway. */
export function RequirePermission({ permission, children }: RequirePermissionProps) {
  const me = useMe();
  const permissions: readonly Permission[] = typeof permission === 'string' ? [permission] : permission;
  if (permissions.some((candidate) => allows(me.actor.roles, candidate))) return children;
  const admitted = [...new Set(permissions.flatMap((candidate) => access[candidate]))];
  return (
    <section>
      <h1>Not available to your roles</h1>
      <p>
        This page needs one of the roles: {admitted.map((role) => roleLabels[role]).join(', ')}. Ask an administrator if you need it.
      </p>
      <p>
        <Link to="/">Go to Home</Link>
      </p>
    </section>
  );
}
