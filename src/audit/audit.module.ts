import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActivityController } from './activity.controller';
import { AdminAuditController } from './admin-audit.controller';
import { AuditReader } from './audit-reader';
import { AuditRetention } from './audit-retention';
import { AuditTrail } from './audit-trail';
import { AuditEvent } from './entities/audit-event.entity';

/** The audit trail: the writer every module calls in its own transaction, the readers, retention. */
@Module({
  imports: [TypeOrmModule.forFeature([AuditEvent])],
  controllers: [AdminAuditController, ActivityController],
  providers: [AuditTrail, AuditReader, AuditRetention],
  exports: [AuditTrail, AuditRetention],
})
export class AuditModule {}
