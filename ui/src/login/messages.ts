// The core's account errors in the operator's language; the core's own wording (English,
// with the field) stays visible for anything not translated here.
import type { Key } from '../i18n/dict';
import type { CoreError } from '../ipc/types';

type T = (key: Key, params?: Record<string, string | number>) => string;

export function accountErrorText(t: T, e: CoreError): string {
  if (e.kind === 'invalid_input' && e.message.startsWith('login:')) return t('login.refused');
  if (e.kind === 'forbidden') return `${t('error.forbidden')} (${e.message})`;
  if (e.kind === 'not_signed_in') return t('error.not_signed_in');
  if (e.kind === 'sign_in_locked') return t('login.locked', { minutes: e.minutes ?? '' });
  if (e.kind === 'session_expired') return t('error.session_expired', { minutes: e.minutes ?? '' });
  return e.message;
}
