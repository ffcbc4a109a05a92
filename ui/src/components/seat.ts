// A seat's name in words: `centre`, `traffic`, or `station:<place id>` by the place's name.
type T = (key: 'seat.station' | 'seat.traffic' | 'seat.centre', params?: Record<string, string | number>) => string;

export function seatName(t: T, seat: string, placeName: (id: string) => string): string {
  if (seat.startsWith('station:')) return t('seat.station', { name: placeName(seat.slice('station:'.length)) });
  if (seat === 'traffic') return t('seat.traffic');
  return t('seat.centre');
}
