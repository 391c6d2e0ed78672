/**
 * The name of the service's TypeORM data source. Named, so that a host app's own default data
 * source and ours live side by side when PaymentsModule is mounted in it.
 */
export const PAYMENTS_DATA_SOURCE = 'payments';
