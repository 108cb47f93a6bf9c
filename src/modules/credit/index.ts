import type { ModuleDefinition } from '../../platform/module';
import { evaluateBlockJob, onCustomerAccountChanged } from './blocks.service';
import { creditControlJob } from './credit-control.job';
import { loadCreditPolicyDemo } from './credit.demo';
import { creditRoutes } from './credit.routes';
import './credit.tables';

export { decideOrderCredit, openReview } from './decision.service';
export { creditPosition, positionView } from './exposure.service';
export { evaluateAutomaticBlock, customersToCheck, blockCredit, unblockCredit } from './blocks.service';
export { setCreditLimit, requestLimit, decideLimitRequest, updateCreditSettings } from './limits.service';
export { releaseReview, rejectReview, withdrawReview } from './reviews.service';
export { scoreAndStore } from './scoring.service';
export { runCreditControl } from './credit-control.job';

/** Credit management: limits, exposure, the credit decision, holds and their reviews, scoring, blocking defaulters. */
export const creditModule: ModuleDefinition = {
  name: 'credit',
  routes: creditRoutes,
  jobs: [creditControlJob, evaluateBlockJob],
  subscribers: {
    'invoice.payment_applied': [onCustomerAccountChanged],
    'payment.reversed': [onCustomerAccountChanged],
    'invoice.written_off': [onCustomerAccountChanged],
    'credit_note.issued': [onCustomerAccountChanged],
  },
  async setUpTenant(tx, tenantId) {
    await tx.insertInto('credit_settings').values({ tenant_id: tenantId }).onConflict((conflict) => conflict.column('tenant_id').doNothing()).execute();
  },
  loadDemo: loadCreditPolicyDemo,
};
