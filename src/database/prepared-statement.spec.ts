import { DataSource } from 'typeorm';
import { PreparedStatement } from './prepared-statement';

function dataSource(logging: boolean): { dataSource: DataSource; poolQuery: jest.Mock; typeormQuery: jest.Mock } {
  const poolQuery = jest.fn().mockResolvedValue({ rows: [{ id: 'from the pool' }] });
  const typeormQuery = jest.fn().mockResolvedValue([{ id: 'through TypeORM' }]);
  const source = { options: { logging }, driver: { master: { query: poolQuery } }, query: typeormQuery };
  return { dataSource: source as unknown as DataSource, poolQuery, typeormQuery };
}

describe('PreparedStatement', () => {
  const statement = new PreparedStatement<{ id: string }>('user-by-id', 'SELECT id FROM users WHERE id = $1');

  it('sends the statement by its name straight to the pg pool, so each connection plans it once', async () => {
    const { dataSource: source, poolQuery, typeormQuery } = dataSource(false);
    await expect(statement.rows(source, ['u1'])).resolves.toEqual([{ id: 'from the pool' }]);
    expect(poolQuery).toHaveBeenCalledWith({
      name: 'user-by-id',
      text: 'SELECT id FROM users WHERE id = $1',
      values: ['u1'],
    });
    expect(typeormQuery).not.toHaveBeenCalled();
  });

  it('asks pg for arrays of the columns when the caller maps them itself', async () => {
    const { dataSource: source, poolQuery } = dataSource(false);
    poolQuery.mockResolvedValue({ rows: [['from the pool']] });
    await expect(statement.tuples(source, ['u1'])).resolves.toEqual([['from the pool']]);
    expect(poolQuery).toHaveBeenCalledWith(expect.objectContaining({ name: 'user-by-id', rowMode: 'array' }));
  });

  it('gives the same arrays through TypeORM (DB_ECHO), in the order of the selected columns', async () => {
    const { dataSource: source, typeormQuery } = dataSource(true);
    typeormQuery.mockResolvedValue([{ id: 'u1', email: 'a@example.com' }]);
    await expect(statement.tuples(source, ['u1'])).resolves.toEqual([['u1', 'a@example.com']]);
  });

  it('goes through TypeORM while its SQL log is on (DB_ECHO), so that the log shows the statement', async () => {
    const { dataSource: source, poolQuery, typeormQuery } = dataSource(true);
    await expect(statement.rows(source, ['u1'])).resolves.toEqual([{ id: 'through TypeORM' }]);
    expect(typeormQuery).toHaveBeenCalledWith('SELECT id FROM users WHERE id = $1', ['u1']);
    expect(poolQuery).not.toHaveBeenCalled();
  });
});
