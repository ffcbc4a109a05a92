import { invoke } from '@tauri-apps/api/core';
import type { CoreError, MapView } from './types';

/** Turn whatever a rejected `invoke` gave us into the core's `{kind, message}` shape. */
export function toCoreError(e: unknown): CoreError {
  if (e && typeof e === 'object' && 'kind' in e && 'message' in e) {
    const o = e as { kind: unknown; message: unknown };
    return { kind: String(o.kind), message: String(o.message) };
  }
  return { kind: 'ipc', message: e instanceof Error ? e.message : String(e) };
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toCoreError(e);
  }
}

/** The whole map: region, islands, places, links and units. */
export const mapView = (): Promise<MapView> => call<MapView>('map_view');
