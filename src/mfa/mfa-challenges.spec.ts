import { DataSource, EntityManager } from 'typeorm';
import { Mocked, newTestService } from '../common/testing/automock';
import { MfaLoginToken } from './entities/mfa-login-token.entity';
import { TotpFactor } from './entities/totp-factor.entity';
import { MfaChallenges } from './mfa-challenges';
import { MfaLoginTokenRepository } from './mfa-login-token.repository';
import { RecoveryCodeRepository } from './recovery-code.repository';
import { TotpFactorRepository } from './totp-factor.repository';

const MANAGER = {} as EntityManager;
const TOKEN = { id: 't-1', userId: 'u-1', tokenVersion: 2 } as MfaLoginToken;
const FACTOR = { userId: 'u-1' } as TotpFactor;
const RECOVERY_CODE = 'abcd-efgh-ijkl-mnop';

describe('MfaChallenges', () => {
  let challenges: MfaChallenges;
  let tokens: Mocked<MfaLoginTokenRepository>;
  let totp: Mocked<TotpFactorRepository>;
  let recoveryCodes: Mocked<RecoveryCodeRepository>;
  let dataSource: Mocked<DataSource>;

  beforeEach(async () => {
    const { sut, mock } = await newTestService(MfaChallenges);
    challenges = sut;
    tokens = mock(MfaLoginTokenRepository);
    totp = mock(TotpFactorRepository);
    recoveryCodes = mock(RecoveryCodeRepository);
    dataSource = mock(DataSource);
    dataSource.transaction.mockImplementation(((work: (manager: EntityManager) => unknown) => work(MANAGER)) as never);
    totp.find.mockResolvedValue(FACTOR);
    tokens.spend.mockResolvedValue(true);
  });

  it('issues the next step for the token version the password check saw', async () => {
    tokens.issue.mockResolvedValue('opaque');
    await expect(challenges.begin({ id: 'u-1', tokenVersion: 2 })).resolves.toBe('opaque');
    expect(tokens.issue).toHaveBeenCalledWith('u-1', 2);
  });

  it('holds a token to the sessions it was issued for: a later version means they all ended', () => {
    expect(challenges.belongsToCurrentSessions(TOKEN, { tokenVersion: 2 })).toBe(true);
    expect(challenges.belongsToCurrentSessions(TOKEN, { tokenVersion: 3 })).toBe(false);
  });

  it('completes with a right TOTP code by spending the token', async () => {
    totp.acceptCode.mockResolvedValue(true);
    await expect(challenges.complete(TOKEN, '123456')).resolves.toEqual({ outcome: 'completed', method: 'totp' });
    expect(totp.acceptCode).toHaveBeenCalledWith(FACTOR, '123456');
    expect(tokens.spend).toHaveBeenCalledWith('t-1');
    expect(tokens.recordWrongCode).not.toHaveBeenCalled();
  });

  it('counts a wrong TOTP code on the token and spends nothing', async () => {
    totp.acceptCode.mockResolvedValue(false);
    await expect(challenges.complete(TOKEN, '000000')).resolves.toEqual({ outcome: 'wrong_code', method: 'totp' });
    expect(tokens.recordWrongCode).toHaveBeenCalledWith('t-1');
    expect(tokens.spend).not.toHaveBeenCalled();
  });

  it('takes no TOTP code from an account whose factor is gone', async () => {
    totp.find.mockResolvedValue(null);
    await expect(challenges.complete(TOKEN, '123456')).resolves.toMatchObject({ outcome: 'wrong_code' });
    expect(totp.acceptCode).not.toHaveBeenCalled();
  });

  it('reports a token that died meanwhile (spent by a parallel request) after a right TOTP code', async () => {
    totp.acceptCode.mockResolvedValue(true);
    tokens.spend.mockResolvedValue(false);
    await expect(challenges.complete(TOKEN, '123456')).resolves.toEqual({ outcome: 'token_dead', method: 'totp' });
    expect(tokens.recordWrongCode).not.toHaveBeenCalled();
  });

  it('spends a recovery code and the token together, in one transaction', async () => {
    recoveryCodes.consume.mockResolvedValue(true);
    await expect(challenges.complete(TOKEN, RECOVERY_CODE)).resolves.toEqual({
      outcome: 'completed',
      method: 'recovery_code',
    });
    expect(recoveryCodes.consume).toHaveBeenCalledWith('u-1', RECOVERY_CODE, MANAGER);
    expect(tokens.spend).toHaveBeenCalledWith('t-1', MANAGER);
    expect(totp.acceptCode).not.toHaveBeenCalled();
  });

  it('counts an unknown or used recovery code as a wrong code', async () => {
    recoveryCodes.consume.mockResolvedValue(false);
    await expect(challenges.complete(TOKEN, RECOVERY_CODE)).resolves.toEqual({
      outcome: 'wrong_code',
      method: 'recovery_code',
    });
    expect(tokens.recordWrongCode).toHaveBeenCalledWith('t-1');
  });

  it('rolls the recovery code back when the token died meanwhile, so the code stays usable', async () => {
    recoveryCodes.consume.mockResolvedValue(true);
    tokens.spend.mockResolvedValue(false);
    const rolledBack = jest.fn();
    mockTransactionRollback(rolledBack);
    await expect(challenges.complete(TOKEN, RECOVERY_CODE)).resolves.toEqual({
      outcome: 'token_dead',
      method: 'recovery_code',
    });
    expect(rolledBack).toHaveBeenCalled();
  });

  it('lets a database error out as it is', async () => {
    const outage = new Error('Connection terminated');
    recoveryCodes.consume.mockRejectedValue(outage);
    await expect(challenges.complete(TOKEN, RECOVERY_CODE)).rejects.toBe(outage);
  });

  /** A transaction that notes a rollback: its work ended by throwing. */
  function mockTransactionRollback(rolledBack: jest.Mock): void {
    dataSource.transaction.mockImplementation((async (work: (manager: EntityManager) => Promise<unknown>) => {
      try {
        return await work(MANAGER);
      } catch (error) {
        rolledBack();
        throw error;
      }
    }) as never);
  }
});
