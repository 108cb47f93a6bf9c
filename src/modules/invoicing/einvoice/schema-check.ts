import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateXML, type XMLFileInfo } from 'xmllint-wasm';
import type { DocumentKind } from '../invoice-document';

/**
 * Validates a UBL invoice or credit note against the OASIS UBL 2.1 schemas with
 * libxml2 (xmllint compiled to WebAssembly, no native build). The schemas ship with
 * the application in schemas/ubl-2.1 (see schemas/README.md): the main document
 * schema is passed as the schema and every module of common/ is preloaded under
 * its relative name, so the schemas' relative imports resolve inside xmllint's
 * in-memory file system and nothing is fetched from the network.
 *
 * The schema checks structure, element order and data types only; the EN 16931
 * business rules are checkEn16931's job.
 */

/** The project's copy of the UBL 2.1 schemas. */
export const ublSchemaRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../schemas/ubl-2.1');

const mainSchemas: Readonly<Record<DocumentKind, string>> = {
  invoice: 'maindoc/UBL-Invoice-2.1.xsd',
  credit_note: 'maindoc/UBL-CreditNote-2.1.xsd',
};

interface SchemaSet {
  readonly main: Readonly<Record<DocumentKind, XMLFileInfo>>;
  readonly common: readonly XMLFileInfo[];
}

/** Loaded schema files per root folder: the 650 kB are read once per process, not per document. */
const schemaSets = new Map<string, Promise<SchemaSet>>();

async function loadSchemaSet(root: string): Promise<SchemaSet> {
  const read = async (fileName: string): Promise<XMLFileInfo> => ({ fileName, contents: await readFile(path.join(root, fileName), 'utf8') });
  const commonNames = (await readdir(path.join(root, 'common'))).filter((name) => name.endsWith('.xsd')).sort();
  const [invoice, creditNote, common] = await Promise.all([
    read(mainSchemas.invoice),
    read(mainSchemas.credit_note),
    Promise.all(commonNames.map((name) => read(`common/${name}`))),
  ]);
  return { main: { invoice, credit_note: creditNote }, common };
}

function schemaSet(root: string): Promise<SchemaSet> {
  let loading = schemaSets.get(root);
  if (loading === undefined) {
    loading = loadSchemaSet(root);
    // A failed read is not cached, so a later call can succeed once the files are there.
    loading.catch(() => schemaSets.delete(root));
    schemaSets.set(root, loading);
  }
  return loading;
}

export interface SchemaCheckResult {
  readonly valid: boolean;
  /** xmllint's messages, each naming the line and the element, e.g. "invoice.xml:12: element …". */
  readonly errors: string[];
}

/**
 * Validates `xml` as a UBL 2.1 Invoice (kind "invoice") or CreditNote (kind
 * "credit_note"). `schemaRoot` points at another copy of the schemas with the same
 * layout (maindoc/, common/); by default the project's own.
 */
export async function validateUblSchema(xml: string, kind: DocumentKind, options: { schemaRoot?: string } = {}): Promise<SchemaCheckResult> {
  const schemas = await schemaSet(options.schemaRoot ?? ublSchemaRoot);
  const fileName = kind === 'credit_note' ? 'credit-note.xml' : 'invoice.xml';
  const result = await validateXML({ xml: { fileName, contents: xml }, schema: schemas.main[kind], preload: [...schemas.common] });
  const errors = result.errors.map((error) => error.rawMessage.trim()).filter((message) => message !== '');
  return { valid: result.valid, errors: result.valid ? [] : errors.length > 0 ? errors : [result.rawOutput.trim()] };
}
