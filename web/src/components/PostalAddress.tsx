/** A postal address as a block: name, street lines, postal code with city, and country. */
export interface PostalAddressValue {
  readonly name: string;
  readonly line1: string;
  readonly line2: string | null;
  readonly postalCode: string;
  readonly city: string;
  readonly countryCode: string;
}

export function PostalAddress({ address }: { address: PostalAddressValue }) {
  return (
    <address>
      {address.name}
      <br />
      {address.line1}
      {address.line2 === null ? null : (
        <>
          <br />
          {address.line2}
        </>
      )}
      <br />
      {address.postalCode} {address.city}, {address.countryCode}
    </address>
  );
}
