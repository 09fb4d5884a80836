import type { Config } from './config.ts';
import type { Db } from './db/database.ts';
import { managedApiTokens } from './features/admin/api-tokens.ts';
import { areaService } from './features/areas/service.ts';
import { auditService } from './features/audit/service.ts';
import { apiTokens } from './features/auth/api-tokens.ts';
import type { OidcSignIn } from './features/auth/oidc.ts';
import { authService } from './features/auth/service.ts';
import { referralService } from './features/referrals/service.ts';
import { schedulingService } from './features/scheduling/service.ts';
import { complianceService } from './features/compliance/service.ts';
import { messageService } from './features/messages/service.ts';
import { userService } from './features/users/service.ts';
import { victimSupportService } from './features/victims/service.ts';
import { fieldCipher } from './security/field-encryption.ts';

export interface ServiceDependencies {
  db: Db;
  config: Config;
  now: () => Date;
  /** OpenID Connect sign-in, when configured. */
  oidc?: OidcSignIn;
}

/** Builds every service from its dependencies, in one place. */
export function createServices(deps: ServiceDependencies) {
  const cipher = fieldCipher(deps.config.secret, deps.config.previousSecrets);
  return {
    clock: deps.now,
    cipher,
    auth: authService(deps.db, cipher, deps.now),
    apiTokens: apiTokens(deps.db, deps.now),
    users: userService(deps.db, deps.config, deps.now),
    areas: areaService(deps.db, deps.now),
    audit: auditService(deps.db, deps.now),
    managedApiTokens: managedApiTokens(deps.db, deps.now),
    referrals: referralService(deps.db, cipher, deps.now),
    scheduling: schedulingService(deps.db, deps.now),
    compliance: complianceService(deps.db, deps.now, { chaseAfterDays: deps.config.breachChaseDays }),
    victims: victimSupportService(deps.db, cipher, deps.now, { chaseAfterDays: deps.config.breachChaseDays }),
    messages: messageService(deps.db, cipher, deps.now),
    oidc: deps.oidc,
  };
}

export type Services = ReturnType<typeof createServices>;
