// oidc-provider ships no types; the test provider declares the few members it uses (oidc-test-provider.ts).
declare module 'oidc-provider';
