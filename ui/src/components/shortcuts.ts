// Every dispatcher shortcut, as the help overlay lists them. The handlers live with their
// screens (DispatchPanel, IncidentDetail, ConditionsBar); this list is what a dispatcher reads.
import type { Key } from '../i18n/dict';

export interface Shortcut {
  keys: string[];
  what: Key;
}

export interface ShortcutGroup {
  title: Key;
  items: Shortcut[];
}

export const DISPATCHER_SHORTCUTS: ShortcutGroup[] = [
  {
    title: 'help.group.intake',
    items: [
      { keys: ['F', '/'], what: 'help.key.focus' },
      { keys: ['Enter'], what: 'help.key.submit' },
      { keys: ['↖'], what: 'help.key.mapclick' },
    ],
  },
  {
    title: 'help.group.rec',
    items: [
      { keys: ['Enter'], what: 'help.key.assign_top' },
      { keys: ['1', '…', '9'], what: 'help.key.assign_rank' },
    ],
  },
  {
    title: 'help.group.board',
    items: [
      { keys: ['↑', '↓'], what: 'help.key.select' },
      { keys: ['N'], what: 'help.key.next' },
      { keys: ['X'], what: 'help.key.cancel' },
      { keys: ['O'], what: 'help.key.open' },
    ],
  },
  {
    title: 'help.group.detail',
    items: [
      { keys: ['R'], what: 'help.key.reassign' },
      { keys: ['A'], what: 'help.key.note' },
      { keys: ['X'], what: 'help.key.cancel' },
    ],
  },
  {
    title: 'help.group.conditions',
    items: [
      { keys: ['W'], what: 'help.key.wind' },
      { keys: ['V'], what: 'help.key.visibility' },
      { keys: ['C'], what: 'help.key.closures' },
      { keys: ['T'], what: 'help.key.clock' },
    ],
  },
  {
    title: 'help.group.general',
    items: [
      { keys: ['?'], what: 'help.key.help' },
      { keys: ['Esc'], what: 'help.key.escape' },
    ],
  },
];
