/** The roles of o2c. A user or API key holds a set of them; each route lists the roles it admits. */
export const roles = ['admin', 'sales', 'credit', 'warehouse', 'billing', 'collector', 'cashapp', 'controller', 'viewer'] as const;
export type Role = (typeof roles)[number];

export function isRole(text: string): text is Role {
  return (roles as readonly string[]).includes(text);
}

/**
 * Permissions are single rights held beside roles, for actions a role alone
 * should not carry: price_override lets an order line leave the price list.
 */
export const permissions = ['price_override'] as const;
export type Permission = (typeof permissions)[number];

export function isPermission(text: string): text is Permission {
  return (permissions as readonly string[]).includes(text);
}

/** Every role: for read-only routes any signed-in person may use. */
export const anyRole: readonly Role[] = roles;
