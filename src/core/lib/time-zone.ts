/** True for a time zone this Node knows (IANA names such as Europe/Brussels, and UTC), in any case. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
