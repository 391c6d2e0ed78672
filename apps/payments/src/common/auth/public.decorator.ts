import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'paystory:public';

/** Marks a /v1 route that the gateway or a person's browser calls, so it takes no API key. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
