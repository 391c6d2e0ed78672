import { ValidateBy, type ValidationOptions } from 'class-validator';
import { isSeoulDate, seoulDateOf } from '../seoul-day';

/** A Seoul calendar date `YYYY-MM-DD` that has begun: today (in Asia/Seoul) or before. */
export function IsReconciliationDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isReconciliationDate',
      validator: {
        validate: (value: unknown) => isSeoulDate(value) && value <= seoulDateOf(new Date()),
        defaultMessage: (args) =>
          isSeoulDate(args?.value)
            ? `${args.property} must not be in the future (today in Asia/Seoul is ${seoulDateOf(new Date())})`
            : `${args?.property ?? 'date'} must be a calendar date written YYYY-MM-DD (Asia/Seoul)`,
      },
    },
    options,
  );
}
