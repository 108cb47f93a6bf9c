/**
 * ISO 11649 structured creditor references ("RF references"): "RF", two check
 * digits and a reference part of 1 to 21 letters and digits, checked with ISO 7064
 * MOD 97-10 like an IBAN. The invoice prints the reference, the payer quotes it in
 * the transfer, and cash application finds it again in the remittance text, so one
 * typo in the bank's field is caught before money lands on the wrong invoice.
 *
 * The electronic form has no spaces ("RF18539007547034"); the print form groups it
 * in fours ("RF18 5390 0754 7034").
 */

const maxReferencePartLength = 21;
const maxReferenceLength = 25;
const electronicPattern = /^RF(\d{2})([A-Z0-9]{1,21})$/;

/** The creditor reference for an invoice or credit note number, in electronic form. */
export function creditorReferenceFor(documentNumber: string): string {
  const characters = documentNumber.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (characters === '') {
    throw new Error(`document number "${documentNumber}" has no letters or digits to build a creditor reference from`);
  }
  // The reference part holds 21 characters at most. Document numbers put the
  // shared series prefix first and the running number last, so the tail is the
  // part that tells one document from the next and the head is what can go.
  const referencePart = characters.slice(-maxReferencePartLength);
  return `RF${checkDigits(referencePart)}${referencePart}`;
}

/** True for a well-formed RF reference whose check digits hold; spaces and case do not matter. */
export function isValidCreditorReference(text: string): boolean {
  const reference = normalise(text);
  if (reference.length > maxReferenceLength) return false;
  const match = electronicPattern.exec(reference);
  if (match === null) return false;
  // MOD 97-10 check digits run from 02 to 98; 00, 01 and 99 pass the remainder
  // test for some references but are never issued, so a reference with them is a typo.
  const digits = Number(match[1]);
  if (digits < 2 || digits > 98) return false;
  return mod97(`${match[2]}RF${match[1]}`) === 1;
}

/** The print form: groups of four separated by single spaces ("RF18 5390 0754 7034"). */
export function formatCreditorReference(reference: string): string {
  return normalise(reference).replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * Finds an RF reference in free text such as a bank's remittance information
 * ("Payment RF18 5390 0754 7034 thanks") and returns it in electronic form, or
 * null when the text holds none whose check digits hold.
 *
 * From each "RF" followed by two digits at the start of a word, the following
 * whitespace-separated runs of letters and digits are candidates: bank statements
 * wrap remittance text at fixed widths, so a reference may be split anywhere, and
 * the words after it may be letters and digits too. The check digits decide which
 * run is the reference. A reference written as one word wins, then one grouped in
 * fours as printed, then any other split; among equals the longest, because a
 * shorter prefix of a longer reference can pass the check by chance as well.
 */
export function parseCreditorReference(text: string): string | null {
  const start = /(?<![A-Za-z0-9])RF\d{2}/gi;
  for (let match = start.exec(text); match !== null; match = start.exec(text)) {
    const groups = wordsFrom(text.slice(match.index));
    let best: { reference: string; rank: number } | null = null;
    let joined = '';
    for (let count = 1; count <= groups.length; count += 1) {
      joined += groups[count - 1]!.toUpperCase();
      if (joined.length > maxReferenceLength) break;
      if (!isValidCreditorReference(joined)) continue;
      const rank = count === 1 ? 3 : isPrintGrouping(groups.slice(0, count)) ? 2 : 1;
      if (best === null || rank >= best.rank) best = { reference: joined, rank };
    }
    if (best !== null) return best.reference;
  }
  return null;
}

function normalise(text: string): string {
  return text.replace(/\s+/g, '').toUpperCase();
}

/** Runs of letters and digits separated only by whitespace, from the start of `text`. */
function wordsFrom(text: string): string[] {
  const match = /^[A-Za-z0-9]+(?:\s+[A-Za-z0-9]+)*/.exec(text);
  return match === null ? [] : match[0].split(/\s+/);
}

/** Groups of four with a shorter last group: how formatCreditorReference prints. */
function isPrintGrouping(groups: readonly string[]): boolean {
  return groups.every((group, index) => (index === groups.length - 1 ? group.length >= 1 && group.length <= 4 : group.length === 4));
}

function checkDigits(referencePart: string): string {
  return String(98 - mod97(`${referencePart}RF00`)).padStart(2, '0');
}

/** The remainder mod 97 of the number the text reads as when A–Z stand for 10–35. */
function mod97(text: string): number {
  let remainder = 0;
  for (const character of text) {
    const code = character.charCodeAt(0);
    const value = code <= 57 ? code - 48 : code - 55;
    remainder = (remainder * (value < 10 ? 10 : 100) + value) % 97;
  }
  return remainder;
}
