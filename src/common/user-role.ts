/** The roles an account can have; the users table's check constraint lists the same two. */
export const USER_ROLES = ['user', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];
