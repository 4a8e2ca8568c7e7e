import { Injectable, OnModuleDestroy } from '@nestjs/common';

/**
 * Whether this instance is shutting down. Readiness answers 503 from the moment this flips, so the load
 * balancer stops routing here while in-flight requests still finish.
 */
@Injectable()
export class ShutdownState implements OnModuleDestroy {
  private since?: Date;

  get shuttingDown(): boolean {
    return this.since !== undefined;
  }

  /** When shutdown began, for the readiness message. */
  get startedAt(): Date | undefined {
    return this.since;
  }

  begin(): void {
    this.since ??= new Date();
  }

  /** app.close() destroys modules before it stops the server: a close from any caller counts. */
  onModuleDestroy(): void {
    this.begin();
  }
}
