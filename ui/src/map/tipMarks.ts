// Citizens' tips on the dispatcher's map: each open group at its place, the one chosen in
// the tips panel larger; a click chooses it. Nothing of the tipper's text is drawn here.
import L from 'leaflet';
import type { Lang } from '../i18n/dict';
import { translate } from '../i18n/translate';

export interface TipMark {
  /** The group's lead tip. */
  id: number;
  lon: number;
  lat: number;
  /** How many tips the group has. */
  size: number;
  selected: boolean;
}

export function tipLayer(marks: TipMark[], lang: Lang, onTip: (id: number) => void): L.LayerGroup {
  const group = L.layerGroup();
  for (const t of marks) {
    const size = t.selected ? 26 : 20;
    const count = t.size > 1 ? `<sup>${t.size}</sup>` : '';
    L.marker([t.lat, t.lon], {
      icon: L.divIcon({
        className: `tip-marker${t.selected ? ' tip-selected' : ''}`,
        html: `<span data-testid="map-tip" data-id="${t.id}" data-selected="${t.selected}">${translate(lang, 'tips.map.glyph')}${count}</span>`,
        iconSize: [size, size],
        iconAnchor: [size / 2, size / 2],
      }),
      keyboard: false,
      zIndexOffset: t.selected ? 900 : 500,
      title: translate(lang, 'tips.map.title', { id: t.id }),
    })
      .on('click', () => onTip(t.id))
      .addTo(group);
  }
  return group;
}
