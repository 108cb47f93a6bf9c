export { renderPickList } from './pick-list.pdf';
export { renderPackingSlip } from './packing-slip.pdf';
export { renderBillOfLading } from './bill-of-lading.pdf';
export { renderDespatchAdvice, escapeXml, despatchAdviceCustomizationId, despatchAdviceProfileId } from './despatch-advice.xml';
