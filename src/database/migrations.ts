import { MigrationInterface } from 'typeorm';
import { CreateUsers1764300000000 } from '../../migrations/1764300000000-CreateUsers';
import { CreateSessions1764300100000 } from '../../migrations/1764300100000-CreateSessions';
import { CreateLoginFailures1764300500000 } from '../../migrations/1764300500000-CreateLoginFailures';
import { CreateOneTimeTokensAndMailOutbox1764300600000 } from '../../migrations/1764300600000-CreateOneTimeTokensAndMailOutbox';
import { AddLoginAttemptCount1764300720000 } from '../../migrations/1764300720000-AddLoginAttemptCount';
import { AddSecondFactorFlags1764300800000 } from '../../migrations/1764300800000-AddSecondFactorFlags';
import { CreateMfaTables1764300900000 } from '../../migrations/1764300900000-CreateMfaTables';
import { CreatePasskeys1764300950000 } from '../../migrations/1764300950000-CreatePasskeys';
import { CreateAuditEvents1764301000000 } from '../../migrations/1764301000000-CreateAuditEvents';
import { AddSessionAuthenticatedAt1764301100000 } from '../../migrations/1764301100000-AddSessionAuthenticatedAt';
import { SplitLoginFailureCounters1764301200000 } from '../../migrations/1764301200000-SplitLoginFailureCounters';
import { AddMfaLoginTokenVersion1764301210000 } from '../../migrations/1764301210000-AddMfaLoginTokenVersion';
import { AddLoginFailureReservedAt1764301220000 } from '../../migrations/1764301220000-AddLoginFailureReservedAt';
import { AddSecurityNotifications1764301500000 } from '../../migrations/1764301500000-AddSecurityNotifications';
import { CreateSigningKeys1764301600000 } from '../../migrations/1764301600000-CreateSigningKeys';
import { AddBansAndImpersonation1764301700000 } from '../../migrations/1764301700000-AddBansAndImpersonation';
import { CreateExternalIdentities1764301800000 } from '../../migrations/1764301800000-CreateExternalIdentities';

export type MigrationList = Array<new () => MigrationInterface>;

/** The migrations the application's data source runs and judges readiness by (a test may swap the list). */
export const COMPILED_MIGRATIONS = Symbol('COMPILED_MIGRATIONS');

/**
 * Every migration of the top-level migrations/ folder, imported so that each build (npm run build,
 * nest build, nest start --watch) compiles them in: "pending" is judged against this list, never
 * against a folder on disk that a build may lack. A new migration is added here (a test compares the
 * list with the folder).
 */
export const MIGRATIONS: MigrationList = [
  CreateUsers1764300000000,
  CreateSessions1764300100000,
  CreateLoginFailures1764300500000,
  CreateOneTimeTokensAndMailOutbox1764300600000,
  AddLoginAttemptCount1764300720000,
  AddSecondFactorFlags1764300800000,
  CreateMfaTables1764300900000,
  CreatePasskeys1764300950000,
  CreateAuditEvents1764301000000,
  AddSessionAuthenticatedAt1764301100000,
  SplitLoginFailureCounters1764301200000,
  AddMfaLoginTokenVersion1764301210000,
  AddLoginFailureReservedAt1764301220000,
  AddSecurityNotifications1764301500000,
  CreateSigningKeys1764301600000,
  AddBansAndImpersonation1764301700000,
  CreateExternalIdentities1764301800000,
];
