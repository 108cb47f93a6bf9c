export {
  renderUblInvoice,
  ublFileName,
  paymentTermsText,
  paymentMeansCode,
  endpointFor,
  peppolBillingCustomizationId,
  peppolBillingProfileId,
  invoiceTypeCode,
  creditNoteTypeCode,
} from './ubl';
export { checkEn16931, type Violation } from './en16931.rules';
export { validateUblSchema, ublSchemaRoot, type SchemaCheckResult } from './schema-check';
