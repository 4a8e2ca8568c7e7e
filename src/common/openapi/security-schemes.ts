/** Names of the OpenAPI security schemes, shared by the controllers that require them and the document. */
export const SESSION_COOKIE_SCHEME = 'sessionCookie';
export const BEARER_SCHEME = 'bearer';
