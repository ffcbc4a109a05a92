/** UTC unix seconds as the desk's local "YYYY-MM-DD HH:mm". */
export function localTime(utcSeconds: number): string {
  const d = new Date(utcSeconds * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}
