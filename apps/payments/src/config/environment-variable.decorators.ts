import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNumber, IsPositive, IsString, Matches, Max, Min, ValidateBy } from 'class-validator';

/*
 * The kinds of value the environment holds, each as class-validator rules with the message an
 * operator reads at boot. Values arrive as strings; each kind turns its string into the typed value
 * first (class-transformer), so the rules and the configuration see numbers, flags and lists.
 */

/** A whole number from `min` to `max`. */
export function WholeNumber(min: number, max: number): PropertyDecorator {
  const message = { message: `must be a whole number from ${min} to ${max}` };
  return applyDecorators(
    Transform(({ value }) => Number(value)),
    IsInt(message),
    Min(min, message),
    Max(max, message),
  );
}

/** `true` or `false`, nothing looser: a typo must not switch a job off. */
export function Flag(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)),
    IsBoolean({ message: 'must be one of true, false' }),
  );
}

/** One of a fixed set of words. */
export function OneOf(allowed: readonly string[]): PropertyDecorator {
  return IsIn([...allowed], { message: `must be one of ${allowed.join(', ')}` });
}

/** A comma-separated list; blanks around and between the commas are dropped. */
export function CommaList(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }) =>
      String(value)
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    ),
    IsString({ each: true }),
  );
}

/** A time of day on the Seoul clock, `HH:MM` (24-hour). */
export function SeoulTimeOfDay(): PropertyDecorator {
  return Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be a Seoul time of day HH:MM (24-hour), e.g. 03:00' });
}

/** A comma-separated list of positive day counts, e.g. `1,3,5`. */
export function DayList(): PropertyDecorator {
  const message = { each: true, message: 'must be a comma-separated list of positive day counts, e.g. 1,3,5' };
  return applyDecorators(
    Transform(({ value }) => String(value).split(',').map(Number)),
    IsNumber({ allowNaN: false, allowInfinity: false }, message),
    IsPositive(message),
  );
}

/**
 * A URL, kept without its trailing slashes (paths are appended to it). With `protocols`, only those
 * schemes; the message never repeats the URL, which may carry a password.
 */
export function Url(protocols?: readonly string[]): PropertyDecorator {
  const wrongProtocol = (url: string) => protocols !== undefined && !protocols.includes(new URL(url).protocol);
  return applyDecorators(
    Transform(({ value }) => String(value).replace(/\/+$/, '')),
    ValidateBy({
      name: 'url',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && URL.canParse(value) && !wrongProtocol(value),
        defaultMessage: (args) =>
          typeof args?.value === 'string' && URL.canParse(args.value)
            ? `must start with ${protocols?.map((protocol) => `${protocol}//`).join(' or ')}`
            : 'is not a URL',
      },
    }),
  );
}
