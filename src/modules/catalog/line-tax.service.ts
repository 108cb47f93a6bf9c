import type { BusinessDate } from '../../kernel';
import type { Executor } from '../../platform/db/database';
import { AppError } from '../../platform/errors/app-error';
import type { ItemView } from './items.service';
import { getTaxCategoriesByCodes } from './tax-categories.service';
import { ratesOn } from './tax-rates.service';
import { determineTaxCategory, type EnTaxCategory, type TaxCategoryFacts } from './tax.rules';

/** The VAT category and rate of a document line: the pure rule decides, the tenant's rates supply the percentage. */

export interface LineTaxInput {
  sellerCountry: string;
  buyerCountry: string;
  buyerVatId: string | null;
  date: BusinessDate;
}

export interface LineTax {
  categoryCode: EnTaxCategory;
  /** Canonical decimal text: "19", "5.5", "0". */
  ratePercent: string;
  exemptionReasonCode: string | null;
  exemptionReason: string | null;
}

/**
 * The VAT category and rate of each item sold from `sellerCountry` to the buyer on
 * `date`, in the items' order: two queries however many items. A missing rate
 * answers O2C_TAX_RATE_MISSING naming category, country and date.
 */
export async function determineLineTaxes(
  executor: Executor,
  tenantId: string,
  input: LineTaxInput & { items: readonly ItemView[] },
): Promise<LineTax[]> {
  const categories = await getTaxCategoriesByCodes(
    executor,
    tenantId,
    input.items.map((item) => item.taxCategoryCode),
  );
  const determinations = input.items.map((item) => {
    const category = categories.get(item.taxCategoryCode);
    if (category === undefined) throw new Error(`item ${item.id} names tax category "${item.taxCategoryCode}", which does not exist`);
    const facts: TaxCategoryFacts = category;
    return {
      category,
      ...determineTaxCategory({
        itemKind: item.kind,
        taxCategory: facts,
        sellerCountry: input.sellerCountry,
        buyerCountry: input.buyerCountry,
        buyerVatId: input.buyerVatId,
      }),
    };
  });
  const needed = determinations.flatMap((found) => (found.rateCountry === null ? [] : [{ code: found.category.code, country: found.rateCountry }]));
  const rates = await ratesOn(executor, tenantId, needed, input.date);
  return determinations.map((found) => {
    let ratePercent = '0';
    if (found.rateCountry !== null) {
      const rate = rates.get(`${found.category.code}|${found.rateCountry}`);
      if (rate === undefined) {
        throw new AppError(
          'O2C_TAX_RATE_MISSING',
          `no tax rate for category "${found.category.code}" in ${found.rateCountry} on ${input.date}; add one under /api/v1/tax-rates`,
        );
      }
      ratePercent = rate;
    }
    return {
      categoryCode: found.categoryCode,
      ratePercent,
      exemptionReasonCode: found.exemptionReasonCode,
      exemptionReason: found.exemptionReason,
    };
  });
}

export async function determineLineTax(executor: Executor, tenantId: string, input: LineTaxInput & { item: ItemView }): Promise<LineTax> {
  const [tax] = await determineLineTaxes(executor, tenantId, { ...input, items: [input.item] });
  return tax!;
}
