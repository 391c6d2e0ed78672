import type { Request } from 'express';

/** Who is signed in to the host: its user, and the payments tenant the user's orders belong to. */
export interface HostUser {
  id: string;
  tenantId: string;
}

/** What the host's guard leaves on the request for its routes (and a payments auth strategy) to read. */
export interface HostRequest extends Request {
  user?: HostUser;
}
