/** Request fields by wire name, as the endpoint catalogue spells them; undefined values are not sent. */
export type WireFields = Record<string, string | undefined>;

/** The fields that go on the wire: absent optional values left out, empty strings kept. */
export function sendableFields(fields: WireFields): Record<string, string> {
  const wire: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) wire[name] = value;
  return wire;
}
