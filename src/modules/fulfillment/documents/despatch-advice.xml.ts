import { group, leaf, ublAddress, ublCommonNamespaces, xmlDocument, type XmlNode } from '../../../platform/documents/xml';
import type { TenantView } from '../../../platform/tenants/tenants';
import type { ShipmentView } from '../shipment-view';
import { decimalText, linesByNumber, tenantDate, weightSummary } from './common';

/**
 * The shipment as a UBL 2.1 DespatchAdvice (advance ship notice) following the
 * Peppol BIS Despatch Advice 3 customization. UBL is strict about element order:
 * every block below follows the sequence of its type in the UBL 2.1 schemas
 * (maindoc/UBL-DespatchAdvice-2.1.xsd and common/UBL-CommonAggregateComponents-2.1.xsd).
 */
export const despatchAdviceCustomizationId = 'urn:fdc:peppol.eu:poacc:trns:despatch_advice:3';
export const despatchAdviceProfileId = 'urn:fdc:peppol.eu:poacc:bis:despatch_advice:3';

/** Kept here as well because the fulfillment documents' index has always offered it from this file. */
export { escapeXml } from '../../../platform/documents/xml';

function supplierParty(tenant: TenantView): XmlNode {
  // PartyType: PartyName, PostalAddress, PartyTaxScheme, PartyLegalEntity.
  return group(
    'cac:DespatchSupplierParty',
    group(
      'cac:Party',
      group('cac:PartyName', leaf('cbc:Name', tenant.legalName)),
      ublAddress('cac:PostalAddress', {
        line1: tenant.addressLine1,
        line2: tenant.addressLine2,
        city: tenant.city,
        postalCode: tenant.postalCode,
        countryCode: tenant.countryCode,
      }),
      tenant.vatId === null ? null : group('cac:PartyTaxScheme', leaf('cbc:CompanyID', tenant.vatId), group('cac:TaxScheme', leaf('cbc:ID', 'VAT'))),
      group('cac:PartyLegalEntity', leaf('cbc:RegistrationName', tenant.legalName), leaf('cbc:CompanyID', tenant.registrationId)),
    ),
  );
}

function customerParty(shipment: ShipmentView): XmlNode {
  // CustomerPartyType: CustomerAssignedAccountID, SupplierAssignedAccountID, …, Party.
  return group(
    'cac:DeliveryCustomerParty',
    leaf('cbc:SupplierAssignedAccountID', shipment.customer.number),
    group(
      'cac:Party',
      group('cac:PartyName', leaf('cbc:Name', shipment.customer.name)),
      ublAddress('cac:PostalAddress', shipment.shipTo),
      group('cac:PartyLegalEntity', leaf('cbc:RegistrationName', shipment.customer.name)),
    ),
  );
}

function shipmentBlock(tenant: TenantView, shipment: ShipmentView): XmlNode {
  const weights = weightSummary(shipment);
  const grossWeight = weights.complete && weights.knownTotalKg !== null ? decimalText(weights.knownTotalKg) : null;
  const deliveredOn = shipment.deliveredAt === null ? null : tenantDate(tenant, new Date(shipment.deliveredAt));
  // ShipmentType: ID, …, GrossWeightMeasure, …, TotalTransportHandlingUnitQuantity, …, Consignment, …, Delivery.
  return group(
    'cac:Shipment',
    leaf('cbc:ID', shipment.number),
    leaf('cbc:GrossWeightMeasure', grossWeight, { unitCode: 'KGM' }),
    leaf('cbc:TotalTransportHandlingUnitQuantity', shipment.packages.length === 0 ? null : String(shipment.packages.length)),
    // ConsignmentType: ID, CarrierAssignedID, …, CarrierServiceInstructions, …, CarrierParty.
    shipment.carrier === null && shipment.trackingNumber === null
      ? null
      : group(
          'cac:Consignment',
          leaf('cbc:ID', shipment.number),
          leaf('cbc:CarrierAssignedID', shipment.trackingNumber),
          leaf('cbc:CarrierServiceInstructions', shipment.serviceLevel),
          group('cac:CarrierParty', group('cac:PartyName', leaf('cbc:Name', shipment.carrier))),
        ),
    // DeliveryType: ActualDeliveryDate, TrackingID, DeliveryAddress, EstimatedDeliveryPeriod, DeliveryParty, Despatch.
    group(
      'cac:Delivery',
      leaf('cbc:ActualDeliveryDate', deliveredOn),
      leaf('cbc:TrackingID', shipment.trackingNumber),
      ublAddress('cac:DeliveryAddress', shipment.shipTo),
      group('cac:EstimatedDeliveryPeriod', leaf('cbc:EndDate', shipment.expectedDeliveryDate)),
      group('cac:DeliveryParty', group('cac:PartyName', leaf('cbc:Name', shipment.shipTo.name))),
      group('cac:Despatch', leaf('cbc:ActualDespatchDate', shipment.shipDate)),
    ),
  );
}

function despatchLine(line: ShipmentView['lines'][number]): XmlNode {
  // DespatchLineType: ID, DeliveredQuantity, OrderLineReference, Item (Name, SellersItemIdentification).
  return group(
    'cac:DespatchLine',
    leaf('cbc:ID', String(line.lineNo)),
    leaf('cbc:DeliveredQuantity', line.quantity, { unitCode: line.unit }),
    group('cac:OrderLineReference', leaf('cbc:LineID', line.orderLineId)),
    group('cac:Item', leaf('cbc:Name', line.description), group('cac:SellersItemIdentification', leaf('cbc:ID', line.sku))),
  );
}

/**
 * Renders the DespatchAdvice. `generatedAt` gives the IssueDate (the calendar day
 * in the tenant's time zone). Optional facts that the shipment lacks (PO, weights,
 * carrier, tracking, dates) are left out rather than sent empty.
 */
export function renderDespatchAdvice(tenant: TenantView, shipment: ShipmentView, generatedAt: Date = new Date()): string {
  const children: XmlNode[] = [
    leaf('cbc:UBLVersionID', '2.1'),
    leaf('cbc:CustomizationID', despatchAdviceCustomizationId),
    leaf('cbc:ProfileID', despatchAdviceProfileId),
    leaf('cbc:ID', shipment.number),
    leaf('cbc:IssueDate', tenantDate(tenant, generatedAt)),
    leaf('cbc:DocumentStatusCode', shipment.status === 'cancelled' ? 'Cancelled' : null),
    group(
      'cac:OrderReference',
      leaf('cbc:ID', shipment.customerPoNumber ?? shipment.orderNumber),
      leaf('cbc:SalesOrderID', shipment.orderNumber),
    ),
    supplierParty(tenant),
    customerParty(shipment),
    shipmentBlock(tenant, shipment),
    ...linesByNumber(shipment).map(despatchLine),
  ];
  return xmlDocument(
    'DespatchAdvice',
    { xmlns: 'urn:oasis:names:specification:ubl:schema:xsd:DespatchAdvice-2', ...ublCommonNamespaces },
    children,
  );
}
