import { SetMetadata } from '@nestjs/common';
import { UserRole } from '../user-role';

export const ROLES = 'roles';

/** Limits a route to users with one of these roles (others get 403). */
export const Roles = (...roles: UserRole[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES, roles);
