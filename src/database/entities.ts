import { User } from '../users/entities/user.entity';

/** Every entity of the service, for the application and the TypeORM CLI alike. */
export const ENTITIES = [User];
