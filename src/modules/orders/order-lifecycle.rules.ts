import type { OrderStatus } from './orders.tables';

/** The actions that move an order through its life. */
export type OrderAction = 'submit' | 'approve' | 'hold' | 'release' | 'reject' | 'cancel' | 'change_lines' | 'ship_partially' | 'ship_fully' | 'close';

/**
 * The lifecycle as data: for each action, the states it may start from and the
 * state it leads to. Anything not listed is refused with the reason below.
 */
export const orderTransitions: Readonly<Record<OrderAction, { from: readonly OrderStatus[]; to: OrderStatus | 'unchanged' }>> = {
  submit: { from: ['draft'], to: 'submitted' },
  approve: { from: ['submitted'], to: 'approved' },
  hold: { from: ['submitted', 'approved'], to: 'on_credit_hold' },
  release: { from: ['on_credit_hold'], to: 'approved' },
  reject: { from: ['on_credit_hold'], to: 'cancelled' },
  // Unshipped quantities can be cancelled at any time; a partly shipped order is short-closed that way.
  cancel: { from: ['draft', 'submitted', 'approved', 'on_credit_hold', 'partially_shipped'], to: 'cancelled' },
  change_lines: { from: ['draft', 'approved', 'on_credit_hold'], to: 'unchanged' },
  ship_partially: { from: ['approved', 'partially_shipped'], to: 'partially_shipped' },
  ship_fully: { from: ['approved', 'partially_shipped'], to: 'shipped' },
  close: { from: ['shipped', 'partially_shipped', 'cancelled'], to: 'closed' },
};

export type TransitionCheck = { allowed: true; to: OrderStatus | 'unchanged' } | { allowed: false; reason: string };

export function checkTransition(status: OrderStatus, action: OrderAction): TransitionCheck {
  const transition = orderTransitions[action];
  if (transition.from.includes(status)) return { allowed: true, to: transition.to };
  const allowedFrom = transition.from.map((state) => state.replace(/_/g, ' ')).join(', ');
  return { allowed: false, reason: `an order that is ${status.replace(/_/g, ' ')} cannot ${action.replace(/_/g, ' ')}; this needs an order that is ${allowedFrom}` };
}

/** Actions a person takes; the others (approve, hold, shipping, closing) follow from the flow. */
const personActions: readonly OrderAction[] = ['submit', 'change_lines', 'cancel', 'release', 'reject'];

/** The actions an order in this state offers a person (the UI's buttons). */
export function availableActions(status: OrderStatus): OrderAction[] {
  return personActions.filter((action) => orderTransitions[action].from.includes(status));
}
