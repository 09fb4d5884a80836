import type { Role } from '../../domain/roles.ts';
import type { Actor } from '../audit/audit-log.ts';

/** Who is making a request: a signed-in user or the holder of an API token. */
export interface Principal {
  userId: string;
  name: string;
  email: string;
  role: Role;
  /** The areas this user works in; every query of personal data is limited to these. */
  areaIds: readonly string[];
  via: 'session' | 'api_token';
  ip: string;
}

/** What repositories need to scope a query: the caller's role, areas and identity. */
export interface Scope {
  userId: string;
  role: Role;
  areaIds: readonly string[];
}

export function scopeOf(principal: Principal): Scope {
  return { userId: principal.userId, role: principal.role, areaIds: principal.areaIds };
}

export function actorOf(principal: Principal): Actor {
  return { userId: principal.userId, label: `${principal.name} <${principal.email}> (${principal.role}${principal.via === 'api_token' ? ', API token' : ''})`, ip: principal.ip };
}
