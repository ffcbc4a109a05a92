import { fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }));

import { operator } from '../login/session.svelte';
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

  describe('row actions', () => {
    afterEach(() => {
      operator.session = null;
    });

    it('disables another account, never offers it for the signed-in one, resets a password', async () => {
      operator.session = { username: 'admin', role: 'administrator' };
      const accounts = [{ ...admin }, { ...wang }];
      invoke.mockImplementation(async (cmd: string, args?: Record<string, unknown>) => {
        if (cmd === 'list_accounts') return accounts.map((a) => ({ ...a }));
        if (cmd === 'set_account_disabled') {
          accounts[1].disabled = Boolean(args?.disabled);
          return null;
        }
        if (cmd === 'reset_password') return null;
        throw new Error(`unexpected ${cmd}`);
      });
      render(AccountsScreen);
      await vi.waitFor(() => expect(screen.getAllByTestId('account-row')).toHaveLength(2));
      const row = (name: string) => screen.getAllByTestId('account-row').find((r) => r.dataset.username === name)!;
      expect(row('admin').querySelector('[data-testid="account-toggle"]')).toBeNull();

      await fireEvent.click(row('wang').querySelector('[data-testid="account-toggle"]')!);
      await vi.waitFor(() => expect(row('wang').querySelector('[data-testid="account-status"]')!.textContent).toBe('已停用'));
      expect(invoke).toHaveBeenCalledWith('set_account_disabled', { username: 'wang', disabled: true });
      expect(row('wang').querySelector('[data-testid="account-toggle"]')!.textContent).toBe('启用');

      await fireEvent.click(row('wang').querySelector('[data-testid="account-reset"]')!);
      await fireEvent.input(screen.getByTestId('reset-password'), { target: { value: 'wang-new-pass' } });
      await fireEvent.input(screen.getByTestId('reset-confirm'), { target: { value: 'wang-new-pas' } });
      await fireEvent.submit(screen.getByTestId('reset-form'));
      expect(screen.getByTestId('account-row-error').textContent).toBe('两次输入的密码不一致');
      expect(invoke).not.toHaveBeenCalledWith('reset_password', expect.anything());

      await fireEvent.input(screen.getByTestId('reset-confirm'), { target: { value: 'wang-new-pass' } });
      await fireEvent.submit(screen.getByTestId('reset-form'));
      await vi.waitFor(() => expect(screen.queryByTestId('reset-form')).toBeNull());
      expect(invoke).toHaveBeenCalledWith('reset_password', { username: 'wang', password: 'wang-new-pass' });
      expect(screen.getByTestId('account-created').textContent).toContain('wang');
    });
  });
});
