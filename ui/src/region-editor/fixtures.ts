// What the editor's tests edit: a place row as the core sends it.
import type { EditorPlace } from '../ipc/types';

export const place: EditorPlace = {
  id: 'chengdong',
  kind: 'town',
  name_zh: '城东街道',
  name_en: 'Chengdong Subdistrict',
  pinyin: 'chengdong jiedao',
  lon: 122.125,
  lat: 30.018,
  island: 'zhoushan',
  source: 'ESTIMATE',
  confidence: 'low',
};
