/** "2026-12-02 09:30 UTC": how listings show an instant (the same for everyone, whatever their time zone). */
export function formatWhen(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
