/**
 * Small helpers for writing XML documents as text: escaping, elements that are
 * left out when they have no value, and the document frame. UBL documents
 * (DespatchAdvice, Invoice, CreditNote) are built from these; they are strict about
 * element order, so callers list children in their schema's sequence and the
 * helpers never reorder anything.
 */

/** A child element: a string of already-escaped XML, or nothing when the value is absent. */
export type XmlNode = string | null;

// Characters XML 1.0 does not allow at all (C0 controls other than tab, LF, CR; lone surrogates; U+FFFE/FFFF).
// eslint-disable-next-line no-control-regex
const invalidXmlCharacters = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes text for element content and double-quoted attribute values. */
export function escapeXml(text: string): string {
  return text
    .replace(invalidXmlCharacters, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * A simple element with text content. It is left out when the value is absent or
 * blank, because schemas such as UBL (and the Peppol rules on top of them) refuse
 * empty elements.
 */
export function leaf(name: string, value: string | null | undefined, attributes: Record<string, string> = {}): XmlNode {
  if (value === null || value === undefined || value.trim() === '') return null;
  const attributeText = Object.entries(attributes)
    .map(([key, attribute]) => ` ${key}="${escapeXml(attribute)}"`)
    .join('');
  return `<${name}${attributeText}>${escapeXml(value.trim())}</${name}>`;
}

/** An aggregate: omitted when none of its children is present. */
export function group(name: string, ...children: XmlNode[]): XmlNode {
  const present = children.filter((child): child is string => child !== null);
  return present.length === 0 ? null : `<${name}>${present.join('')}</${name}>`;
}

/** A postal address as the fields our documents keep. */
export interface XmlAddressLines {
  readonly line1: string;
  readonly line2: string | null;
  readonly city: string;
  readonly postalCode: string;
  readonly countryCode: string;
}

/**
 * A UBL 2.1 AddressType (cac:PostalAddress, cac:DeliveryAddress, cac:Address …).
 * The schema's sequence is StreetName, AdditionalStreetName, …, CityName,
 * PostalZone, …, Country; the fields we do not keep are left out.
 */
export function ublAddress(name: string, lines: XmlAddressLines): XmlNode {
  return group(
    name,
    leaf('cbc:StreetName', lines.line1),
    leaf('cbc:AdditionalStreetName', lines.line2),
    leaf('cbc:CityName', lines.city),
    leaf('cbc:PostalZone', lines.postalCode),
    group('cac:Country', leaf('cbc:IdentificationCode', lines.countryCode)),
  );
}

/** The namespaces every UBL 2.1 document declares besides its own. */
export const ublCommonNamespaces = {
  'xmlns:cac': 'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2',
  'xmlns:cbc': 'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2',
} as const;

/**
 * The whole document: the UTF-8 declaration, the root element with its namespace
 * attributes, and one top-level child per line (absent children dropped), so a
 * reader or a diff sees the document's structure at a glance.
 */
export function xmlDocument(root: string, attributes: Record<string, string>, children: readonly XmlNode[]): string {
  const attributeText = Object.entries(attributes)
    .map(([key, value]) => ` ${key}="${escapeXml(value)}"`)
    .join('');
  const body = children.filter((child): child is string => child !== null).join('\n  ');
  return ['<?xml version="1.0" encoding="UTF-8"?>', `<${root}${attributeText}>`, `  ${body}`, `</${root}>`, ''].join('\n');
}
