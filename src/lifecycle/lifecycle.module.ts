import { Module } from '@nestjs/common';
import { ShutdownState } from './shutdown-state';

@Module({ providers: [ShutdownState], exports: [ShutdownState] })
export class LifecycleModule {}
