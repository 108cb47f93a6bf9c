/** Short labels of the UN/ECE Rec 20 unit codes items use ("C62" reads as "pc"). */
const unitLabels: Record<string, string> = {
  C62: 'pc',
  H87: 'pc',
  EA: 'ea',
  PR: 'pair',
  SET: 'set',
  DZN: 'doz',
  XBX: 'box',
  XPK: 'pack',
  XPX: 'pallet',
  XRO: 'roll',
  GRM: 'g',
  KGM: 'kg',
  TNE: 't',
  MMT: 'mm',
  CMT: 'cm',
  MTR: 'm',
  KMT: 'km',
  MTK: 'm²',
  MTQ: 'm³',
  MLT: 'ml',
  LTR: 'l',
  KWH: 'kWh',
  MIN: 'min',
  HUR: 'h',
  DAY: 'day',
  WEE: 'week',
  MON: 'month',
  ANN: 'year',
  E48: 'unit',
  LS: 'lump sum',
};

/** A unit code as people read it, with the code itself as the tooltip. */
export function UnitLabel({ code }: { readonly code: string }) {
  const label = unitLabels[code];
  if (label === undefined) return <span className="unit">{code}</span>;
  return (
    <abbr className="unit" title={`Unit ${code}`}>
      {label}
    </abbr>
  );
}
