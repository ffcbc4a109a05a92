import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { i18n } from '../i18n/index.svelte';
import HelpOverlay from './HelpOverlay.svelte';
import { DISPATCHER_SHORTCUTS } from './shortcuts';

describe('HelpOverlay', () => {
  afterEach(() => i18n.set('zh-CN'));

  it('opens on ?, lists every dispatcher shortcut, closes on Esc', async () => {
    render(HelpOverlay);
    expect(screen.queryByTestId('help-overlay')).toBeNull();
    await fireEvent.keyDown(window, { key: '?' });
    expect(screen.getByTestId('help-overlay')).toBeTruthy();
    const count = DISPATCHER_SHORTCUTS.reduce((n, g) => n + g.items.length, 0);
    expect(screen.getAllByTestId('shortcut')).toHaveLength(count);
    expect(screen.getAllByText('撤销所选警情（需理由）')).toHaveLength(2);
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByTestId('help-overlay')).toBeNull();
  });

  it('covers every dispatcher action', () => {
    const what = DISPATCHER_SHORTCUTS.flatMap((g) => g.items.map((s) => s.what));
    for (const action of ['help.key.assign_top', 'help.key.next', 'help.key.cancel', 'help.key.open', 'help.key.reassign', 'help.key.note', 'help.key.wind', 'help.key.closures'])
      expect(what).toContain(action);
  });
});
