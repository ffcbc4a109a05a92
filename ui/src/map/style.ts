// Colours and shapes by kind: shared by the map layers and the legend.
import type { Key } from '../i18n/dict';

export const SEA = '#cfe2ee';
export const ESTIMATE = '#e8590c';

export const ISLAND = {
  district: { fill: '#efe6cf', stroke: '#8a7a55' },
  other: { fill: '#dcdcd6', stroke: '#9a9a92' },
};

export const LINK = {
  road: { color: '#b9a77a', weight: 1 },
  bridge: { color: '#5c4b2e', weight: 4 },
  // Closed and suspended links are grey and dashed, with a ✕ marker (live.ts).
  bridgeClosed: { color: '#868e96', weight: 4, dashArray: '5 5' },
  ferry: { color: '#1c6ea4', weight: 2, dashArray: '6 5' },
  ferrySuspended: { color: '#868e96', weight: 2, dashArray: '2 6' },
};

export interface PlaceStyle {
  color: string;
  radius: number;
  /** Shown in the legend (junctions and bridge ends are plumbing, not legend items). */
  legend: boolean;
}

export const PLACE_KINDS = [
  'station',
  'post',
  'traffic_squadron',
  'pier',
  'town',
  'village',
  'landmark',
  'bridge_end',
  'junction',
] as const;

const PLACE: Record<string, PlaceStyle> = {
  station: { color: '#1d3f8f', radius: 6, legend: true },
  post: { color: '#2b8a3e', radius: 5, legend: true },
  traffic_squadron: { color: '#1971c2', radius: 6, legend: true },
  pier: { color: '#0b7285', radius: 5, legend: true },
  town: { color: '#495057', radius: 5, legend: true },
  village: { color: '#868e96', radius: 3.5, legend: true },
  landmark: { color: '#9c36b5', radius: 4, legend: true },
  bridge_end: { color: '#5c4b2e', radius: 2.5, legend: false },
  junction: { color: '#adb5bd', radius: 2, legend: false },
};
const PLACE_FALLBACK: PlaceStyle = { color: '#495057', radius: 3, legend: false };

export function placeStyle(kind: string): PlaceStyle {
  return PLACE[kind] ?? PLACE_FALLBACK;
}

export function placeLabelKey(kind: string): Key {
  return (`place.${kind}` as Key);
}

export const UNIT_KINDS = ['traffic', 'station', 'joint', 'post', 'boat'] as const;

export interface UnitStyle {
  color: string;
  /** One-character badge, by language. */
  glyph: { 'zh-CN': string; en: string };
  shape: 'circle' | 'square' | 'joint' | 'boat';
}

const UNIT: Record<string, UnitStyle> = {
  traffic: { color: '#1971c2', glyph: { 'zh-CN': '交', en: 'T' }, shape: 'square' },
  station: { color: '#1d3f8f', glyph: { 'zh-CN': '所', en: 'S' }, shape: 'circle' },
  joint: { color: '#862e9c', glyph: { 'zh-CN': '联', en: 'J' }, shape: 'joint' },
  post: { color: '#2b8a3e', glyph: { 'zh-CN': '站', en: 'P' }, shape: 'square' },
  boat: { color: '#0b7285', glyph: { 'zh-CN': '艇', en: 'B' }, shape: 'boat' },
};
const UNIT_FALLBACK: UnitStyle = { color: '#495057', glyph: { 'zh-CN': '警', en: 'U' }, shape: 'circle' };

export function unitStyle(kind: string): UnitStyle {
  return UNIT[kind] ?? UNIT_FALLBACK;
}

export function unitLabelKey(kind: string): Key {
  return (`unit.${kind}` as Key);
}

/** Open incidents: fill by priority (1 most urgent). */
export const INCIDENT_PRIORITY: Record<number, string> = { 1: '#c92a2a', 2: '#e8590c', 3: '#f59f00', 4: '#868e96' };
