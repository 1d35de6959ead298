/** Quotes provider text for a message, cut short: a forged body must not make a dead letter huge. */
export function quote(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}
