import { Controller, Delete, Get, HttpCode, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { readJson } from '../inspection/inspection.controller';
import { FaultPlan, type PlannedFault } from './fault-plan.service';
import { readFaultProgramme, type FaultProgramme } from './fault-programme';

/** `/__sandbox/faults`: faults the next calls of an endpoint play (README "Programmed faults"). */
@Controller('__sandbox/faults')
export class FaultsController {
  constructor(private readonly faults: FaultPlan) {}

  @Get()
  list(): PlannedFault[] {
    return this.faults.pending();
  }

  /** The next `count` (default 1) calls of `endpoint` (naming `ordNo`/`tid`, when given) play `fault`. */
  @Post()
  @HttpCode(201)
  async add(@Req() req: Request): Promise<FaultProgramme['fault'] & { count: number }> {
    const { fault, count } = readFaultProgramme(await readJson(req));
    this.faults.add(fault, count);
    return { ...fault, count };
  }

  @Delete()
  @HttpCode(204)
  clear(): void {
    this.faults.clear();
  }
}
