import { fireEvent, render, screen } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }));

import AccountsScreen from './AccountsScreen.svelte';

const admin = { username: 'admin', role: 'administrator', created_utc: 1_700_000_000, disabled: false };
const wang = { username: 'wang', role: 'dispatcher', created_utc: 1_700_000_600, disabled: false };

describe('AccountsScreen', () => {
  beforeEach(() => {
    invoke.mockReset();
  });

  it('lists the accounts and creates one with its role, then lists it', async () => {
    const accounts = [admin];
    invoke.mockImplementation(async (cmd: string, args?: Record<string, unknown>) => {
      if (cmd === 'list_accounts') return [...accounts];
      if (cmd === 'create_account') {
        accounts.push({ ...wang, username: String(args?.username), role: String(args?.role) });
        return null;
      }
      throw new Error(`unexpected ${cmd} ${JSON.stringify(args)}`);
    });
    render(AccountsScreen);
    await vi.waitFor(() => expect(screen.getAllByTestId('account-row')).toHaveLength(1));
    expect(screen.getByTestId('account-row').textContent).toContain('管理员');

    await fireEvent.input(screen.getByTestId('account-username'), { target: { value: ' wang ' } });
    await fireEvent.change(screen.getByTestId('account-role'), { target: { value: 'dispatcher' } });
    await fireEvent.input(screen.getByTestId('account-password'), { target: { value: 's3cret-pass' } });
    await fireEvent.input(screen.getByTestId('account-confirm'), { target: { value: 's3cret-pass' } });
    await fireEvent.submit(screen.getByTestId('account-form'));
    await vi.waitFor(() => expect(screen.getAllByTestId('account-row')).toHaveLength(2));
    expect(invoke).toHaveBeenCalledWith('create_account', { username: 'wang', role: 'dispatcher', password: 's3cret-pass' });
    expect(screen.getByTestId('account-created').textContent).toContain('wang');
    const row = screen.getAllByTestId('account-row').find((r) => r.dataset.username === 'wang');
    expect(row?.textContent).toContain('调度员');
  });

  it('shows a core refusal in place and keeps the form', async () => {
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'list_accounts') return [admin, wang];
      throw { kind: 'invalid_input', message: "username: 'wang' exists already" };
    });
    render(AccountsScreen);
    await vi.waitFor(() => expect(screen.getAllByTestId('account-row')).toHaveLength(2));
    await fireEvent.input(screen.getByTestId('account-username'), { target: { value: 'wang' } });
    await fireEvent.input(screen.getByTestId('account-password'), { target: { value: 's3cret-pass' } });
    await fireEvent.input(screen.getByTestId('account-confirm'), { target: { value: 's3cret-pass' } });
    await fireEvent.submit(screen.getByTestId('account-form'));
    await vi.waitFor(() => expect(screen.getByTestId('account-form-error').textContent).toContain('exists already'));
    expect((screen.getByTestId('account-username') as HTMLInputElement).value).toBe('wang');
    expect(screen.queryByTestId('account-created')).toBeNull();
  });
});
