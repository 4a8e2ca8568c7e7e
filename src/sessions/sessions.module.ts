import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { RefreshToken } from './entities/refresh-token.entity';
import { Session } from './entities/session.entity';
import { RecentProof } from './recent-proof/recent-proof';
import { RecentProofGuard } from './recent-proof/recent-proof.guard';
import { RefreshTokenRepository } from './refresh-token.repository';
import { SessionRepository } from './session.repository';
import { SessionsService } from './sessions.service';

/**
 * Sessions and their refresh tokens (each table with its one writer, SessionsService deciding when);
 * the recent-proof check (@RequiresRecentAuth()) of the modules importing it.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Session, RefreshToken]), AuditModule],
  providers: [SessionRepository, RefreshTokenRepository, SessionsService, RecentProof, RecentProofGuard],
  exports: [SessionsService, RecentProof, RecentProofGuard],
})
export class SessionsModule {}
