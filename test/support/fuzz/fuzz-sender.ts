import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AdminAccountSeed } from '../../../src/users/admin-account-seed';
import { bearer, login, register, SignedInClient, uniqueEmail } from '../accounts';
import { buildRequest, BuiltRequest, FuzzRequest, isSignedIn } from './fuzz-request';
import { FuzzOperation } from './openapi-operations';

/** Neither the document's example password nor any value the fuzz generates. */
const FUZZ_PASSWORD = 'Fuzz-Caller-Passphrase-7319';
const ADMIN_PASSWORD = 'Fuzz-Admin-Passphrase-2486';
/** A well-formed token that no key of this service signed. */
const FORGED_TOKEN =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDAifQ.' +
  'c2lnbmF0dXJlLW5vYm9keS1tYWRl';

/** Session and refresh cookies of text no token has: a NUL, a lone-surrogate byte sequence, a huge value. */
const HOSTILE_COOKIES = `user_session=%00; user_refresh=a%00b%ED%A0%80; other=${'x'.repeat(3000)}`;

export interface SentRequest {
  built: BuiltRequest;
  status: number;
  body: string;
  /** The field names of a 400's `errors`, if it had any. */
  errorFields?: string[];
}

/**
 * Sends the fuzz's requests for a caller and an admin of its own, counting them per operation, and
 * signs the caller in again whenever a fuzzed request (a logout, a password change, a deletion)
 * ended the session it was using.
 */
export class FuzzSender {
  readonly counts = new Map<string, number>();
  /** Requests the fuzz made to keep its callers signed in, outside any operation's count. */
  upkeep = 0;
  private user!: SignedInClient;
  private admin!: SignedInClient;

  constructor(
    private readonly app: NestFastifyApplication,
    private readonly bodyLimit: number,
  ) {}

  async start(): Promise<void> {
    this.user = await this.signUp();
    const email = uniqueEmail('fuzz-admin');
    await this.app.get(AdminAccountSeed).ensureAdmin(email, ADMIN_PASSWORD);
    this.admin = await login(this.app, { email, password: ADMIN_PASSWORD });
  }

  async send(request: FuzzRequest): Promise<SentRequest> {
    const operation = request.operation;
    const built = buildRequest(request, this.bodyLimit);
    const caller = operation.admin ? this.admin : this.user;
    const headers: Record<string, string> = built.contentType ? { 'content-type': built.contentType } : {};
    if (request.session === 'valid') Object.assign(headers, bearer(caller.accessToken));
    if (request.session === 'cookie') headers.cookie = `user_session=${caller.accessToken}`;
    if (request.session === 'forged') Object.assign(headers, bearer(FORGED_TOKEN));
    if (request.session === 'hostile-cookie') headers.cookie = HOSTILE_COOKIES;
    const res = await this.app.inject({ method: built.method, url: built.url, payload: built.payload, headers });
    this.counts.set(operation.id, (this.counts.get(operation.id) ?? 0) + 1);
    if (isSignedIn(request.session) && res.statusCode === 401) await this.keepSignedIn(operation);
    return { built, status: res.statusCode, body: res.body, errorFields: errorFieldsOf(res.statusCode, res.body) };
  }

  /** The live caller for an operation (the admin for /admin routes), for the example requests. */
  callerFor(operation: FuzzOperation): SignedInClient {
    return operation.admin ? this.admin : this.user;
  }

  private async keepSignedIn(operation: FuzzOperation): Promise<void> {
    const caller = this.callerFor(operation);
    this.upkeep += 1;
    const me = await this.app.inject({ method: 'GET', url: '/user/me', headers: bearer(caller.accessToken) });
    if (me.statusCode === 200) return;
    this.upkeep += 1;
    try {
      const fresh = await login(this.app, { email: caller.email, password: caller.password });
      if (operation.admin) this.admin = fresh;
      else this.user = fresh;
    } catch (error) {
      if (operation.admin) throw error;
      // Deleted or locked out: a new caller takes over.
      this.user = await this.signUp();
    }
  }

  private async signUp(): Promise<SignedInClient> {
    this.upkeep += 2;
    return login(this.app, await register(this.app, { email: uniqueEmail('fuzz'), password: FUZZ_PASSWORD }));
  }
}

function errorFieldsOf(status: number, body: string): string[] | undefined {
  if (status !== 400) return undefined;
  try {
    const errors = (JSON.parse(body) as { errors?: { field: string }[] }).errors;
    return Array.isArray(errors) ? errors.map((error) => error.field) : undefined;
  } catch {
    return undefined;
  }
}
