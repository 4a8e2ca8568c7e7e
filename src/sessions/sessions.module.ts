import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { RefreshToken } from './entities/refresh-token.entity';
import { Session } from './entities/session.entity';
import { RecentProof } from './recent-proof/recent-proof';
import { RecentProofGuard } from './recent-proof/recent-proof.guard';
import { SessionsService } from './sessions.service';

/** Sessions and their refresh tokens; the recent-proof check (@RequiresRecentAuth()) of the modules importing it. */
@Module({
  imports: [TypeOrmModule.forFeature([Session, RefreshToken]), AuditModule],
  providers: [SessionsService, RecentProof, RecentProofGuard],
  exports: [SessionsService, RecentProof, RecentProofGuard],
})
export class SessionsModule {}
