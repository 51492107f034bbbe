/**
 * `--auth-type` values: what the magic accepts, what people write instead,
 * and the panel's auth type for either.
 */
import { panelAuthFromDetected } from '../auth';
import { AUTH_VALUES, MagicAuth, unquote } from './grammar';

export function isAuthValue(value: string): value is MagicAuth {
  return (AUTH_VALUES as readonly string[]).includes(value);
}

/** The obvious `--auth-type` for what people write; null if not obvious. */
export function mapAuthType(value: string): MagicAuth | null {
  const key = unquote(value.trim())
    .toLowerCase()
    .replace(/[\s_-]+/g, '');
  switch (key) {
    case 'none':
      return 'None';
    case 'kerberos':
    case 'krb':
    case 'krb5':
      return 'Kerberos';
    case 'ldap':
    case 'basic':
    case 'httpbasic':
    case 'basicaccess':
    case 'basicauth':
    case 'httpbasicauth':
      return 'Basic_Access';
    default:
      return null;
  }
}

/** The panel's auth type id for a value written in a connect line. */
export function panelAuth(raw: string | null): string | undefined {
  if (raw === null) {
    return undefined;
  }
  const value = unquote(raw.trim());
  const direct = panelAuthFromDetected(
    value.toLowerCase().replace(/[\s-]+/g, '_')
  );
  if (direct) {
    return direct;
  }
  const mapped = mapAuthType(value);
  return mapped === 'Basic_Access' ? 'HTTP_Basic' : (mapped ?? undefined);
}
