import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { OidcFlow } from './entities/oidc-flow.entity';

/** The oidc_flows table's one writer: a flow is inserted once and taken (deleted) once. */
@Injectable()
export class OidcFlowRepository {
  constructor(@InjectRepository(OidcFlow) private readonly flows: Repository<OidcFlow>) {}

  async insert(flow: Omit<OidcFlow, 'user'>): Promise<void> {
    await this.flows.insert(flow);
  }

  /** DELETE … RETURNING: of two callbacks racing with one state, only one gets the flow. */
  async take(state: string): Promise<OidcFlow | undefined> {
    const result = await this.flows
      .createQueryBuilder()
      .delete()
      .where('state = :state', { state })
      .returning('*')
      .execute();
    const row = (result.raw as Record<string, unknown>[])[0];
    if (!row) return undefined;
    return this.flows.create({
      state: row.state as string,
      browserBinding: row.browser_binding as string,
      provider: row.provider as string,
      nonce: row.nonce as string,
      codeVerifier: row.code_verifier as string,
      returnTo: row.return_to as string,
      purpose: row.purpose as OidcFlow['purpose'],
      userId: row.user_id as string | null,
      sessionId: row.session_id as string | null,
      createdAt: new Date(row.created_at as string),
      expiresAt: new Date(row.expires_at as string),
    });
  }

  async sweep(now: Date): Promise<void> {
    await this.flows.createQueryBuilder().delete().where('expires_at <= :now', { now }).execute();
  }
}
