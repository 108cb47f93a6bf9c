/** How common UN/ECE Recommendation 20 unit codes print on documents. */
const unitSymbols: Readonly<Record<string, string>> = {
  C62: 'pcs',
  H87: 'pcs',
  HUR: 'h',
  DAY: 'd',
  MON: 'mo',
  ANN: 'yr',
  KGM: 'kg',
  GRM: 'g',
  MTR: 'm',
  MTK: 'm²',
  LTR: 'l',
  SET: 'set',
  PR: 'pair',
  E48: 'service',
};

export function unitSymbol(unitCode: string): string {
  return unitSymbols[unitCode] ?? unitCode;
}
