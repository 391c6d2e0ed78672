import { Injectable } from '@nestjs/common';
import { Eta } from 'eta';
import { ATTENTION } from './attention.eta';
import { ERROR } from './error.eta';
import { LAYOUT } from './layout.eta';
import { NOTIFICATION_TABLE } from './notification-table.eta';
import { NOTIFICATIONS } from './notifications.eta';
import { OUTBOX } from './outbox.eta';
import { PAYMENT_TABLE } from './payment-table.eta';
import { PAYMENT } from './payment.eta';
import { RECONCILIATION } from './reconciliation.eta';
import { REFUND } from './refund.eta';
import { RESYNC } from './resync.eta';
import { SEARCH } from './search.eta';
import { SIGN_IN } from './sign-in.eta';
import { SUBSCRIPTION } from './subscription.eta';
import { SUBSCRIPTIONS } from './subscriptions.eta';

/**
 * The templates, by name. They are TypeScript modules holding Eta template text: they ship with the
 * compiled service as they are (no assets to copy) and load the same under ts-node, `nest build`
 * and Jest's ESM mode, where a file read next to the source would need `__dirname`.
 */
const TEMPLATES = {
  layout: LAYOUT,
  'payment-table': PAYMENT_TABLE,
  'notification-table': NOTIFICATION_TABLE,
  'sign-in': SIGN_IN,
  attention: ATTENTION,
  search: SEARCH,
  payment: PAYMENT,
  refund: REFUND,
  resync: RESYNC,
  subscriptions: SUBSCRIPTIONS,
  subscription: SUBSCRIPTION,
  notifications: NOTIFICATIONS,
  outbox: OUTBOX,
  reconciliation: RECONCILIATION,
  error: ERROR,
};

export type ConsoleTemplate = Exclude<keyof typeof TEMPLATES, 'layout' | 'payment-table' | 'notification-table'>;

/** Eta with escaping on for every `<%= %>`, each template compiled once when the module starts. */
@Injectable()
export class ConsoleRenderer {
  private readonly eta = new Eta({ autoEscape: true, cache: true });

  constructor() {
    for (const [name, template] of Object.entries(TEMPLATES)) this.eta.loadTemplate(`@${name}`, template);
  }

  render(template: ConsoleTemplate, data: object): string {
    return this.eta.render(`@${template}`, data);
  }
}
