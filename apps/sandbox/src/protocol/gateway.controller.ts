import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ENDPOINTS } from '@app/paystory/endpoints/endpoint-catalogue';
import { CompleteAuthIssuanceHandler } from '../auth-window/complete-auth-issuance.handler';
import { DeleteBillingKeyHandler } from '../billing-keys/delete-billing-key.handler';
import { RegisterBillingKeyHandler } from '../billing-keys/register-billing-key.handler';
import { CancelHandler } from '../cancels/cancel.handler';
import { ChargeHandler } from '../charges/charge.handler';
import { QueryHandler } from '../transactions/query.handler';
import { GatewayEndpointRunner } from './gateway-endpoint.runner';

/** The PG host's server-to-server endpoints, at the paths the endpoint catalogue gives. */
@Controller()
export class GatewayController {
  constructor(
    private readonly runner: GatewayEndpointRunner,
    private readonly registerBillingKey: RegisterBillingKeyHandler,
    private readonly deleteBillingKey: DeleteBillingKeyHandler,
    private readonly charge: ChargeHandler,
    private readonly cancel: CancelHandler,
    private readonly query: QueryHandler,
    private readonly completeAuthIssuance: CompleteAuthIssuanceHandler,
  ) {}

  @Post(ENDPOINTS.registerBillingKey.path)
  onRegisterBillingKey(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.runner.run(req, res, this.registerBillingKey);
  }

  @Post(ENDPOINTS.charge.path)
  onCharge(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.runner.run(req, res, this.charge);
  }

  @Post(ENDPOINTS.deleteBillingKey.path)
  onDeleteBillingKey(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.runner.run(req, res, this.deleteBillingKey);
  }

  @Post(ENDPOINTS.cancel.path)
  onCancel(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.runner.run(req, res, this.cancel);
  }

  @Get(ENDPOINTS.query.path)
  onQuery(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.runner.run(req, res, this.query);
  }

  @Post(ENDPOINTS.completeAuthIssuance.path)
  onCompleteAuthIssuance(@Req() req: Request, @Res() res: Response): Promise<void> {
    return this.runner.run(req, res, this.completeAuthIssuance);
  }
}
