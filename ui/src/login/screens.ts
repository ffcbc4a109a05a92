// Which screens (tabs) each role sees. A convenience only: the core refuses what a role
// may not do whatever the UI shows.
import type { Role } from '../ipc/types';

export type Screen = 'dispatch' | 'leader' | 'supervisor' | 'region' | 'accounts';

const BY_ROLE: Record<Role, Screen[]> = {
  dispatcher: ['dispatch'],
  patrol_leader: ['leader', 'dispatch'],
  supervisor: ['supervisor', 'dispatch'],
  administrator: ['accounts', 'region'],
  // Crews use the crew's page on their phones (the service's /crew/), not the desk.
  crew: [],
};

/** The tabs for a role, the role's main screen first; none for an unknown role. */
export function screensFor(role: string | undefined): Screen[] {
  return role && Object.prototype.hasOwnProperty.call(BY_ROLE, role) ? BY_ROLE[role as Role] : [];
}
