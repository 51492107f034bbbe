/**
 * The auth types the panel offers and how each maps onto `%sm_analytics`.
 *
 * One place for this fact: the magic accepts exactly `None`, `Kerberos` and
 * `Basic_Access`; LDAP and HTTP Basic both travel as `Basic_Access`.
 */

export type PanelAuthType = 'None' | 'Kerberos' | 'LDAP' | 'HTTP_Basic';
export type MagicAuthType = 'None' | 'Kerberos' | 'Basic_Access';

export interface IAuthTypeInfo {
  id: PanelAuthType;
  label: string;
  magicValue: MagicAuthType;
  /** Whether an unattended run needs a Secrets Manager secret. */
  needsSecret: boolean;
}

export const AUTH_TYPES: readonly IAuthTypeInfo[] = [
  { id: 'None', label: 'None', magicValue: 'None', needsSecret: false },
  {
    id: 'Kerberos',
    label: 'Kerberos',
    magicValue: 'Kerberos',
    needsSecret: true
  },
  { id: 'LDAP', label: 'LDAP', magicValue: 'Basic_Access', needsSecret: true },
  {
    id: 'HTTP_Basic',
    label: 'HTTP Basic',
    magicValue: 'Basic_Access',
    needsSecret: true
  }
];

export const MAGIC_AUTH_VALUES: readonly MagicAuthType[] = [
  'None',
  'Kerberos',
  'Basic_Access'
];

export function authTypeInfo(id: PanelAuthType): IAuthTypeInfo {
  const info = AUTH_TYPES.find(a => a.id === id);
  if (!info) {
    throw new Error(`Unknown auth type: ${String(id)}`);
  }
  return info;
}

export function isPanelAuthType(value: unknown): value is PanelAuthType {
  return AUTH_TYPES.some(a => a.id === value);
}

/** Maps what the server detects on a cluster onto the panel's choice. */
export function panelAuthFromDetected(
  detected: string | null | undefined
): PanelAuthType | null {
  switch ((detected ?? '').toLowerCase()) {
    case 'none':
      return 'None';
    case 'kerberos':
      return 'Kerberos';
    case 'ldap':
      return 'LDAP';
    case 'basic_access':
    case 'http_basic':
      return 'HTTP_Basic';
    default:
      return null;
  }
}
