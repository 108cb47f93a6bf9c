import { currencyExponent } from '../../kernel';
import type { RequestContext } from '../../platform/auth/actor';
import type { Tx } from '../../platform/db/database';
import { getTenant } from '../../platform/tenants/tenants';

/**
 * The demo company's credit policy: customers without a limit of their own get
 * 5,000.00 (base currency), orders are held with an item more than 30 days past
 * due, customers are blocked automatically beyond 60.
 */
export async function loadCreditPolicyDemo(tx: Tx, context: RequestContext): Promise<void> {
  const tenantId = context.actor.tenantId;
  const unit = 10n ** BigInt(currencyExponent((await getTenant(tx, tenantId)).baseCurrency));
  await tx.updateTable('credit_settings').set({ default_limit_minor: 5000n * unit, grace_days: 30, block_after_days: 60, starting_class: 'C' }).where('tenant_id', '=', tenantId).execute();
}
