import { fireEvent, render, screen } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }));

import LoginScreen from './LoginScreen.svelte';
import { operator } from './session.svelte';

async function type(testid: string, value: string) {
  await fireEvent.input(screen.getByTestId(testid), { target: { value } });
}

describe('LoginScreen', () => {
  beforeEach(() => {
    invoke.mockReset();
    operator.session = null;
  });
  afterEach(() => {
    operator.needsFirstAdministrator = false;
    operator.session = null;
  });

  it('first start: refuses mismatched passwords without calling the core', async () => {
    operator.needsFirstAdministrator = true;
    render(LoginScreen);
    expect(screen.getByTestId('first-start')).toBeTruthy();
    await type('login-username', 'admin');
    await type('login-password', 'correct horse');
    await type('login-confirm', 'correct hors');
    await fireEvent.submit(screen.getByTestId('login-form'));
    expect(screen.getByTestId('login-error').textContent).toBe('两次输入的密码不一致');
    expect(invoke).not.toHaveBeenCalled();
  });

  it('first start: shows the core refusal in place, then signs the administrator in', async () => {
    operator.needsFirstAdministrator = true;
    render(LoginScreen);
    invoke.mockRejectedValueOnce({ kind: 'invalid_input', message: 'password: at least 8 characters' });
    await type('login-username', 'admin');
    await type('login-password', 'short');
    await type('login-confirm', 'short');
    await fireEvent.submit(screen.getByTestId('login-form'));
    await vi.waitFor(() => expect(screen.getByTestId('login-error').textContent).toContain('at least 8 characters'));
    expect(operator.session).toBeNull();

    invoke.mockResolvedValueOnce({ username: 'admin', role: 'administrator' });
    await type('login-password', 'correct horse');
    await type('login-confirm', 'correct horse');
    await fireEvent.submit(screen.getByTestId('login-form'));
    await vi.waitFor(() => expect(operator.session).toEqual({ username: 'admin', role: 'administrator' }));
    expect(invoke).toHaveBeenLastCalledWith('create_first_administrator', { username: 'admin', password: 'correct horse' });
    expect(operator.needsFirstAdministrator).toBe(false);
  });

  it('login: a wrong password is shown in the operator language and nobody is signed in', async () => {
    render(LoginScreen);
    expect(screen.getByTestId('login')).toBeTruthy();
    expect(screen.queryByTestId('login-confirm')).toBeNull();
    invoke.mockRejectedValueOnce({ kind: 'invalid_input', message: 'login: unknown user or wrong password' });
    await type('login-username', 'wang');
    await type('login-password', 'nope-nope');
    await fireEvent.submit(screen.getByTestId('login-form'));
    await vi.waitFor(() => expect(screen.getByTestId('login-error').textContent).toBe('用户名或密码错误'));
    expect(invoke).toHaveBeenCalledWith('login', { username: 'wang', password: 'nope-nope' });
    expect(operator.session).toBeNull();
    flushSync();
    expect((screen.getByTestId('login-password') as HTMLInputElement).value).toBe('');
  });

  it('login: a locked name says for how long, in the operator language', async () => {
    render(LoginScreen);
    invoke.mockRejectedValueOnce({ kind: 'sign_in_locked', message: 'too many failed sign-ins', minutes: 12 });
    await type('login-username', 'wang');
    await type('login-password', 'nope-nope');
    await fireEvent.submit(screen.getByTestId('login-form'));
    await vi.waitFor(() =>
      expect(screen.getByTestId('login-error').textContent).toBe(
        '该用户名登录失败次数过多，已暂时锁定，请 12 分钟后再试，或请管理员重置密码。',
      ),
    );
    expect(operator.session).toBeNull();
  });

  it('after an idle sign-out: says who and why, and offers the name again', () => {
    operator.idleSignedOut = 'wang';
    operator.idleMinutes = 30;
    render(LoginScreen);
    expect(screen.getByTestId('login-idle').textContent?.trim()).toBe('wang 已空闲 30 分钟，调度台已自动退出登录。请重新登录。');
    expect((screen.getByTestId('login-username') as HTMLInputElement).value).toBe('wang');
    operator.idleSignedOut = null;
  });
});
