// The core's errors in the operator's language. The core words an error in English (with
// the field, id or state that makes it precise); the UI puts what kind of refusal it is in
// the operator's language before it, and words whole the errors it has all parameters for.
import type { Key, Lang } from '../i18n/dict';
import { translate } from '../i18n/translate';
import type { CoreError } from './types';

function isCoreError(e: unknown): e is CoreError {
  return typeof e === 'object' && e !== null && typeof (e as CoreError).kind === 'string' && typeof (e as CoreError).message === 'string';
}

export function coreErrorText(lang: Lang, e: unknown): string {
  if (!isCoreError(e)) return String(e);
  const t = (key: Key, params?: Record<string, string | number>) => translate(lang, key, params);
  switch (e.kind) {
    case 'not_signed_in':
      return t('error.not_signed_in');
    case 'session_expired':
      return t('error.session_expired', { minutes: e.minutes ?? '' });
    case 'sign_in_locked':
      return t('login.locked', { minutes: e.minutes ?? '' });
    default: {
      const key = `error.kind.${e.kind}`;
      const head = translate(lang, key);
      return head === key ? e.message : t('error.with_detail', { what: head, detail: e.message });
    }
  }
}
