/** What a field's value must look like, beyond its size. */
export type FieldKind =
  /** Whole KRW written as decimal digits, no sign, no fraction ("1000"). */
  | 'amount'
  /** Digits only (phone numbers, instalment months, flags). */
  | 'digits'
  /** `yyyyMMddHHmmss`. */
  | 'timestamp'
  /** Anything within the byte limit. */
  | 'text';

/** One field of a gateway request, exactly as the guide's table spells and sizes it. */
export interface FieldSpec {
  /** The name on the wire. Case is significant (guide §2.2, NOTES items 7 and 19). */
  readonly name: string;
  /** Largest size in bytes in the request's charset; undefined where the guide says N/A. */
  readonly maxBytes?: number;
  /** The value must be exactly this many bytes ("10 Fixed"). */
  readonly fixedBytes?: number;
  /** Must be present and non-empty. */
  readonly required: boolean;
  /** Required, except when the named field holds this value (the cancel's `tid` with `ordNoChk` "1", §7.3). */
  readonly optionalWhen?: { readonly field: string; readonly value: string };
  readonly kind: FieldKind;
}

export function field(
  name: string,
  size: number | 'N/A' | { fixed: number },
  required: boolean,
  kind: FieldKind = 'text',
): FieldSpec {
  if (size === 'N/A') return { name, required, kind };
  if (typeof size === 'number') return { name, maxBytes: size, required, kind };
  return { name, fixedBytes: size.fixed, maxBytes: size.fixed, required, kind };
}

/** A field the guide marks required that a value of another field makes unnecessary (e.g. the cancel's `tid` when `ordNoChk` is "1"). */
export function optionalWhen(spec: FieldSpec, other: string, value: string): FieldSpec {
  return { ...spec, optionalWhen: { field: other, value } };
}
